"""The till (issue #15, point 2): today's visits first in the location's zone,
the visit's services at the quoted price, a visit paid once, never a cancelled one."""

import re
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.booking.services import appointment_cancel
from solibook.catalog.models import Category
from solibook.catalog.taxonomy import load_into
from solibook.core.errors import Conflict, DomainError, ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance import selectors, services
from solibook.finance.models import Checkout, LedgerTransaction, Payment
from solibook.finance.services import TenderIn
from solibook.finance.tests.helpers import books_balance
from solibook.testing.booking import book
from solibook.testing.factories import member
from solibook.testing.races import race
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db


def pay(salon, appointment, **kw):
    with business_scope(salon.business):
        return services.checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            appointment_id=appointment.pk,
            shown_total=4500,
            currency="EUR",
            tenders=[TenderIn("cash", 4500)],
            now=NOW,
            **kw,
        )


def test_the_till_lists_today_first_in_time_order_then_upcoming_never_the_furthest(salon):
    far = [book(salon, hour=10, day_offset=d) for d in (9, 8, 7)]
    late_today = book(salon, hour=17)
    early_today = book(salon, hour=9)
    tomorrow = book(salon, hour=9, day_offset=1)
    # 01:00 on Monday in Paris is still Sunday in UTC: it is today at the salon.
    now = paris(0, 30)
    assert now.astimezone(UTC).day == 2  # Sunday in UTC
    with business_scope(salon.business):
        visits = selectors.till_visits(now=now)
    assert [v.pk for v in visits.today] == [early_today.pk, late_today.pk]
    assert [v.pk for v in visits.upcoming] == [tomorrow.pk] + [v.pk for v in reversed(far)]
    pay(salon, early_today)
    with business_scope(salon.business):
        visits = selectors.till_visits(now=paris(9, 30))
    assert [v.pk for v in visits.today] == [late_today.pk]


def test_the_till_page_shows_today_first_and_yesterdays_unpaid_visit_last(salon, client):
    client.force_login(member(salon.business, Role.OWNER))
    now = timezone.now()
    day = now.astimezone(ZoneInfo("Europe/Paris")).date()
    booked_at = now - timedelta(days=3)
    today = book(salon, paris(11, day=day), now=booked_at)
    yesterday = book(salon, paris(11, day=day - timedelta(days=1)), now=booked_at)
    page = client.get(f"/en/office/{salon.business.slug}/finance/").content.decode()
    assert page.index(f'data-visit="{today.pk}"') < page.index(f'data-visit="{yesterday.pk}"')
    assert 'data-till="today"' in page and "Earlier, not checked out" in page
    assert "11:00" in page  # the salon's wall clock, not UTC's


def test_opening_the_till_from_a_visit_shows_its_services_masters_and_price(salon, client):
    client.force_login(member(salon.business, Role.OWNER))
    visit = book(salon)
    page = client.get(f"/en/office/{salon.business.slug}/finance/checkout/?appointment={visit.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Cut" in html and "Léa" in html and 'name="shown_total" value="4500"' in html
    assert 'value="complete"' in html  # ready to charge: no "Price it" needed
    # A visit's checkout belongs to the till, not to a new sale (the tab said "New sale").
    active = re.findall(r'class="nav-link active" href="([^"]+)"', html)
    assert active == [f"/en/office/{salon.business.slug}/finance/"], active


def test_a_cancelled_visit_is_refused_with_a_clear_message_and_nothing_written(salon, client):
    visit = book(salon)
    with business_scope(salon.business):
        appointment_cancel(
            business=salon.business, appointment_id=visit.pk, by_client=False, now=NOW
        )
    with pytest.raises(ValidationFailed) as refused:
        pay(salon, visit)
    assert refused.value.code == "visit_cancelled"
    client.force_login(member(salon.business, Role.OWNER))
    url = f"/ru/office/{salon.business.slug}/finance/checkout/?appointment={visit.pk}"
    html = client.get(url).content.decode()
    assert "Этот визит отменён" in html and 'id="checkout-form"' not in html
    with scopes_disabled():
        assert not Checkout.objects.exists() and not Payment.objects.exists()


def test_a_visit_checked_out_twice_is_refused_and_the_page_links_the_receipt(salon, client):
    visit = book(salon)
    done = pay(salon, visit)
    with pytest.raises(Conflict) as refused:
        pay(salon, visit)
    assert refused.value.code == "already_checked_out"
    client.force_login(member(salon.business, Role.OWNER))
    base = f"/en/office/{salon.business.slug}/finance/"
    html = client.get(f"{base}checkout/?appointment={visit.pk}").content.decode()
    assert "already been checked out" in html and f"checkouts/{done.pk}/" in html
    posted = client.post(
        f"{base}checkout/",
        {
            "appointment": visit.pk,
            "location": salon.location.pk,
            "pay_cash": "45",
            "action": "complete",
            "shown_total": "4500",
        },
    )
    assert posted.status_code == 409 or "already been checked out" in posted.content.decode()
    with scopes_disabled():
        assert Checkout.objects.count() == 1 and Payment.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_tills_checking_out_one_visit_at_once_charge_it_once(salon):
    load_into(Category)  # an earlier transactional test's flush may have removed them
    try:
        visit = book(salon)

        def attempt(i):
            with business_scope(salon.business), transaction.atomic():
                return services.checkout_complete(
                    business=salon.business,
                    location_id=salon.location.pk,
                    appointment_id=visit.pk,
                    shown_total=4500,
                    currency="EUR",
                    tenders=[TenderIn("card", 4500)],
                    now=NOW + timedelta(minutes=i),
                )

        results = race(6, attempt)
        wins = [r for r in results if isinstance(r, Checkout)]
        refused = [r for r in results if isinstance(r, DomainError)]
        assert len(wins) == 1, results
        assert {r.code for r in refused} == {"already_checked_out"}, results
        with scopes_disabled():
            assert Payment.objects.count() == 1
            assert LedgerTransaction.objects.filter(kind="checkout").count() == 1
        assert books_balance(salon.business)
    finally:
        load_into(Category)
