"""A waitlist offer at a salon that asks a deposit is held for its deposit;
paying it (on time, or late while the time is still free) confirms the visit
and books the waitlist entry, as confirming a plain hold does."""

from datetime import time, timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.booking import services
from solibook.booking.models import Source, Status, WaitlistEntry
from solibook.core.errors import Conflict
from solibook.core.tenancy import business_scope
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import MONDAY, NOW, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered(salon):
    """Léa's 10:00 taken, a client waiting for it at a deposit salon, then freed."""
    business = salon.business
    business.deposit_rule, business.deposit_value = "fixed", 2000
    business.save(update_fields=["deposit_rule", "deposit_value"])
    taken = book(salon, paris(10), account=UserFactory(), source=Source.BACK_OFFICE)
    waiting = UserFactory()
    with business_scope(business):
        entry = services.waitlist_join(
            business=business,
            account=waiting,
            location_id=salon.location.pk,
            service_id=salon.cut.pk,
            master_id=salon.lea.pk,
            day=MONDAY,
            time_from=time(10),
            time_to=time(11),
            now=NOW,
        )
        services.appointment_cancel(
            business=business, appointment_id=taken.pk, by_client=False, now=NOW
        )
        services.waitlist_offer(
            business=business, location_id=salon.location.pk, day=MONDAY, now=NOW
        )
    with scopes_disabled():
        entry.refresh_from_db()
    assert entry.state == WaitlistEntry.State.OFFERED
    assert entry.offer.status == Status.AWAITING_DEPOSIT
    return entry


def test_paying_the_deposit_of_an_offer_books_the_waitlist_entry(salon, offered):
    with business_scope(salon.business):
        # Confirming without paying is refused: the entry stays offered.
        with pytest.raises(Conflict) as refused:
            services.appointment_confirm(
                business=salon.business, appointment_id=offered.offer_id, now=NOW
            )
        assert refused.value.code == "awaiting_deposit"
        with scopes_disabled():
            offered.refresh_from_db()
        assert offered.state == WaitlistEntry.State.OFFERED

        visit = services.appointment_deposit_paid(
            business=salon.business, appointment_id=offered.offer_id, now=NOW
        )
    with scopes_disabled():
        offered.refresh_from_db()
    assert visit.status == Status.CONFIRMED
    assert offered.state == WaitlistEntry.State.BOOKED


def test_a_deposit_paid_late_on_a_still_free_time_books_the_entry_too(salon, offered):
    later = offered.offer_expires_at + timedelta(minutes=1)
    with business_scope(salon.business):
        visit = services.appointment_deposit_paid_late(
            business=salon.business, appointment_id=offered.offer_id, now=later
        )
    with scopes_disabled():
        offered.refresh_from_db()
    assert visit.status == Status.CONFIRMED
    assert offered.state == WaitlistEntry.State.BOOKED


def test_another_visits_deposit_leaves_the_entry_alone(salon, offered):
    other = book(salon, paris(14), account=UserFactory(), source=Source.MARKETPLACE, hold=True)
    assert other.status == Status.AWAITING_DEPOSIT
    with business_scope(salon.business):
        services.appointment_deposit_paid(business=salon.business, appointment_id=other.pk, now=NOW)
    with scopes_disabled():
        offered.refresh_from_db()
    assert offered.state == WaitlistEntry.State.OFFERED
