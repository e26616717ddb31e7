"""The stated rules hold both ways, and the paid boost's budget holds when the
bookings themselves are confirmed at once (issue #16, points 1 and 3):

- once per client per N months: charged again after the window, never
  inside it, never again with 0; new clients only: a returning marketplace
  client who was never charged is not charged now;
- ten promoted bookings confirmed at once by ten threads on PostgreSQL spend
  exactly the day's budget (each confirmation charges through the booking
  signal's receiver), and the books stay balanced;
- a dispute on another salon's line through the API is a 404 that writes nothing.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking import services as booking
from solibook.booking.models import Appointment, Status
from solibook.commissions import promotion, services
from solibook.commissions.models import CommissionLine, Dispute, ExemptReason, PromotionCharge
from solibook.commissions.tests.test_commission import books_balanced, line_of, pay, visit
from solibook.commissions.tests.test_promotion import Session
from solibook.core.tenancy import business_scope
from solibook.marketplace.models import Promotion, PromotionDay
from solibook.testing.booking import client_books, complete
from solibook.testing.clients import api_as
from solibook.testing.factories import BusinessFactory, UserFactory
from solibook.testing.races import race

pytestmark = pytest.mark.django_db


def _charged_long_ago(line: CommissionLine, days: int) -> None:
    with scopes_disabled():
        CommissionLine.objects.filter(pk=line.pk).update(
            occurred_at=line.occurred_at - timedelta(days=days)
        )


def test_a_client_is_charged_again_only_after_the_window(
    salon, django_capture_on_commit_callbacks, settings
):
    settings.COMMISSION_RULES = {"repeat_after_months": 12}
    client = UserFactory()
    first = visit(salon, client, touch="search")
    pay(salon, first, django_capture_on_commit_callbacks)
    assert line_of(first).amount > 0
    # Eleven months later: still inside the window.
    _charged_long_ago(line_of(first), 335)
    second = visit(salon, client, touch="search", day_offset=7)
    pay(salon, second, django_capture_on_commit_callbacks)
    assert (line_of(second).amount, line_of(second).exempt_reason) == (
        0,
        ExemptReason.ALREADY_CHARGED,
    )
    # Thirteen months after the first charge: charged again, with the history as evidence.
    _charged_long_ago(line_of(first), 60)
    third = visit(salon, client, touch="search", day_offset=14)
    pay(salon, third, django_capture_on_commit_callbacks)
    line = line_of(third)
    assert line.amount > 0 and not line.exempt_reason
    assert line.history["marketplace_visits"] == 2 and line.history["last_charged_at"]
    books_balanced()


def test_with_a_window_of_zero_months_a_client_is_never_charged_twice(
    salon, django_capture_on_commit_callbacks, settings
):
    settings.COMMISSION_RULES = {"repeat_after_months": 0}
    client = UserFactory()
    first = visit(salon, client, touch="search")
    pay(salon, first, django_capture_on_commit_callbacks)
    _charged_long_ago(line_of(first), 3000)
    again = visit(salon, client, touch="search", day_offset=7)
    pay(salon, again, django_capture_on_commit_callbacks)
    assert line_of(again).exempt_reason == ExemptReason.ALREADY_CHARGED


@pytest.mark.parametrize("new_clients_only", [True, False])
def test_new_clients_only_spares_a_returning_client_never_charged(
    salon, django_capture_on_commit_callbacks, settings, new_clients_only
):
    settings.COMMISSION_RULES = {"new_clients_only": new_clients_only}
    client = UserFactory()
    # An earlier marketplace visit that was never paid through the till: no line.
    earlier = client_books(salon, client)
    complete(salon, earlier)
    now = visit(salon, client, touch="search", day_offset=7)
    pay(salon, now, django_capture_on_commit_callbacks)
    line = line_of(now)
    assert line.history["earlier_visits"] == 1
    if new_clients_only:
        assert (line.amount, line.exempt_reason) == (0, ExemptReason.RETURNING_CLIENT)
    else:
        assert line.amount > 0 and not line.exempt_reason


@pytest.mark.django_db(transaction=True)
def test_promoted_bookings_confirmed_at_once_spend_exactly_the_daily_budget(salon):
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    today = timezone.now().date()
    with business_scope(salon.business):
        boost = promotion.promotion_buy(
            business=salon.business,
            mode=Promotion.Mode.DAILY_BUDGET,
            city="",
            category_id=None,
            price_amount=500,
            daily_budget=1500,  # room for exactly three new clients
            starts_on=today,
            ends_on=today + timedelta(days=30),
            today=today,
        )
    held = []
    for i in range(10):  # ten new clients held on promoted placements, confirmed at once below
        appointment = client_books(
            salon, UserFactory(), hour=9 + i % 8, day_offset=i // 8, hold=True
        )
        session = Session()
        services.touch_seen(
            session=session, business_id=salon.business.pk, via=f"promoted.{boost.pk}"
        )
        services.touch_record(appointment=appointment, session=session)
        assert appointment.status == Status.HOLD
        held.append(appointment)

    def attempt(i):
        with business_scope(salon.business):
            return booking.appointment_confirm(
                business=salon.business, appointment_id=held[i].pk, actor=None
            )

    results = race(10, attempt)
    assert not [r for r in results if isinstance(r, Exception)], results
    with scopes_disabled():
        assert (
            Appointment.objects.filter(pk__in=[a.pk for a in held], status=Status.CONFIRMED).count()
            == 10
        )
        assert PromotionCharge.objects.filter(promotion=boost).count() == 3
    row = PromotionDay.objects.get(promotion=boost, day=today)
    assert (row.spent, row.bookings) == (1500, 3)
    books_balanced()


def test_a_dispute_on_another_salons_line_through_the_api_is_not_found(
    salon, django_capture_on_commit_callbacks
):
    appointment = visit(salon, UserFactory(), touch="search")
    pay(salon, appointment, django_capture_on_commit_callbacks)
    line = line_of(appointment)
    other = BusinessFactory()
    api = api_as(other)
    response = api.post(
        f"/api/v1/businesses/{other.pk}/commission-lines/{line.pk}/disputes/",
        {"reason": "not ours?"},
        format="json",
    )
    assert response.status_code == 404
    # Nor through the right salon's URL without being its member.
    response = api.post(
        f"/api/v1/businesses/{salon.business.pk}/commission-lines/{line.pk}/disputes/",
        {"reason": "not ours?"},
        format="json",
    )
    assert response.status_code == 404
    with scopes_disabled():
        assert not Dispute.objects.exists()


def test_a_spent_daily_budget_drops_the_boost_from_search_until_the_next_day(salon):
    from solibook.marketplace.promotions import running_promotions

    today = timezone.now().date()
    with business_scope(salon.business):
        boost = promotion.promotion_buy(
            business=salon.business,
            mode=Promotion.Mode.DAILY_BUDGET,
            city="",
            category_id=None,
            price_amount=500,
            daily_budget=1000,
            starts_on=today,
            ends_on=today + timedelta(days=30),
            today=today,
        )
    day = PromotionDay.objects.create(promotion=boost, day=today, spent=500, bookings=1)
    assert boost in running_promotions(today)  # room for one more new client
    day.spent, day.bookings = 1000, 2
    day.save()
    assert boost not in running_promotions(today)
    assert boost in running_promotions(today + timedelta(days=1))
