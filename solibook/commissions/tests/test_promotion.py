"""Boosts: bought with clear refusals, shown first and labelled, counted,
charged once per new client, never over the day's budget (a race)."""

from datetime import timedelta

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from solibook.billing import services as billing
from solibook.billing.models import Charge, Invoice
from solibook.commissions import promotion, selectors, services
from solibook.commissions.models import PromotionCharge, Touch, TouchKind
from solibook.core.errors import NotFound, ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance import accounts, ledger
from solibook.marketplace.models import Promotion, PromotionDay
from solibook.testing.booking import client_books
from solibook.testing.clients import api_as
from solibook.testing.factories import BusinessFactory, UserFactory
from solibook.testing.races import race
from solibook.testing.salon import NOW


class Session(dict):
    modified = False


def buy(salon, **values):
    arguments = {
        "mode": Promotion.Mode.DAILY_BUDGET,
        "city": "",
        "category_id": None,
        "price_amount": 500,
        "daily_budget": 1500,
        "starts_on": NOW.date(),
        "ends_on": NOW.date() + timedelta(days=30),
        "today": NOW.date(),
    }
    arguments.update(values)
    with business_scope(salon.business):
        return promotion.promotion_buy(business=salon.business, **arguments)


def promoted_booking(salon, boost, *, hour=10, day_offset=0):
    appointment = client_books(salon, UserFactory(), hour=hour, day_offset=day_offset)
    session = Session()
    services.touch_seen(
        session=session, business_id=salon.business.pk, via=f"promoted.{boost.pk}", now=NOW
    )
    services.touch_record(appointment=appointment, session=session, now=NOW)
    return appointment


@pytest.mark.django_db
def test_buying_refuses_bad_input_with_field_messages_and_writes_nothing(salon):
    with pytest.raises(ValidationFailed) as refused:
        buy(
            salon,
            price_amount=0,
            daily_budget=100,
            starts_on=NOW.date() - timedelta(days=1),
            ends_on=NOW.date() - timedelta(days=2),
        )
    assert {"price_amount", "starts_on", "ends_on"} <= set(refused.value.fields)
    with pytest.raises(ValidationFailed) as budget:
        buy(salon, price_amount=500, daily_budget=100)
    assert "daily_budget" in budget.value.fields
    assert not Promotion.objects.exists()


@pytest.mark.django_db
def test_a_promoted_click_is_counted_and_its_booking_charged_once(salon):
    boost = buy(salon, mode=Promotion.Mode.PER_CLIENT, daily_budget=0)
    appointment = promoted_booking(salon, boost)
    with scopes_disabled():
        touch = Touch.objects.get(appointment=appointment)
    assert (touch.kind, touch.promotion_id) == (TouchKind.PROMOTED, boost.pk)
    first = promotion.promotion_charge(appointment=appointment, now=NOW)
    again = promotion.promotion_charge(appointment=appointment, now=NOW)
    assert first is not None and again.pk == first.pk
    row = PromotionDay.objects.get(promotion=boost, day=NOW.date())
    assert (row.clicks, row.bookings, row.spent) == (1, 1, 500)
    with scopes_disabled():
        assert Charge.objects.get(source=first.source_key).amount == 500
    # Both books are posted when the charge is invoiced.
    assert ledger.balance(business=None, account=accounts.PROMOTION, currency="EUR") == 0
    invoice = billing.invoice_issue(business=salon.business)
    assert ledger.balance(business=None, account=accounts.PROMOTION, currency="EUR") == -500
    # A cancellation credits it (a credit note: the invoice is never edited) and gives
    # the budget back.
    promotion.promotion_charge_reverse(appointment=appointment)
    row.refresh_from_db()
    assert (row.bookings, row.spent) == (0, 0)
    assert ledger.balance(business=None, account=accounts.PROMOTION, currency="EUR") == 0
    with scopes_disabled():
        assert Invoice.objects.filter(credit_note_of=invoice, total=-600).exists()


@pytest.mark.django_db
def test_another_salons_promotion_id_in_the_link_is_not_a_promoted_touch(salon):
    other = BusinessFactory()
    foreign = Promotion.objects.create(
        business=other, starts_on=NOW.date(), ends_on=NOW.date(), price_amount=900, currency="EUR"
    )
    appointment = client_books(salon, UserFactory())
    session = Session()
    services.touch_seen(
        session=session, business_id=salon.business.pk, via=f"promoted.{foreign.pk}", now=NOW
    )
    touch = services.touch_record(appointment=appointment, session=session, now=NOW)
    assert touch.kind == TouchKind.SEARCH and touch.promotion_id is None
    assert promotion.promotion_charge(appointment=appointment, now=NOW) is None
    assert not PromotionDay.objects.filter(promotion=foreign).exists()


@pytest.mark.django_db
def test_pausing_another_salons_boost_is_not_found(salon):
    boost = buy(salon)
    other = BusinessFactory()
    with business_scope(other), pytest.raises(NotFound):
        promotion.promotion_set_active(business=other, promotion_id=boost.pk, is_active=False)
    response = api_as(other).post(
        f"/api/v1/businesses/{other.pk}/boosts/{boost.pk}/active/",
        {"is_active": False},
        format="json",
    )
    assert response.status_code == 404
    boost.refresh_from_db()
    assert boost.is_active


@pytest.mark.django_db
def test_the_api_shows_the_figures(salon):
    boost = buy(salon)
    appointment = promoted_booking(salon, boost)
    promotion.promotion_charge(appointment=appointment, now=NOW)
    with business_scope(salon.business):
        figures = selectors.boosts_of(business=salon.business, today=NOW.date())
    assert (figures[0].clicks, figures[0].bookings, figures[0].cost) == (1, 1, 500)
    response = api_as(salon.business).get(f"/api/v1/businesses/{salon.business.pk}/boosts/")
    assert response.status_code == 200
    assert response.json()[0]["id"] == boost.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_promoted_bookings_spend_exactly_the_daily_budget(salon):
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    boost = buy(salon, price_amount=500, daily_budget=1500)  # room for exactly 3
    appointments = [
        promoted_booking(salon, boost, hour=9 + i % 8, day_offset=i // 8) for i in range(10)
    ]

    def attempt(i):
        return promotion.promotion_charge(appointment=appointments[i], now=NOW)

    results = race(10, attempt)
    charged = [r for r in results if isinstance(r, PromotionCharge)]
    assert all(r is None or isinstance(r, PromotionCharge) for r in results), results
    assert len(charged) == 3
    row = PromotionDay.objects.get(promotion=boost, day=NOW.date())
    assert (row.spent, row.bookings) == (1500, 3)
    with scopes_disabled():
        assert PromotionCharge.objects.count() == 3
    billing.invoice_issue(business=salon.business)
    assert ledger.balance(business=None, account=accounts.PROMOTION, currency="EUR") == -1500
