"""Refunds by line (issue #15, point 6): a returned €28 product is taken back from
its own line (net + VAT), never spread over the service, the VAT of other lines or
the tip; the tip only when chosen; tenders in a stated order; never more than sold."""

from datetime import timedelta

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.booking.models import AppointmentItem
from solibook.catalog.models import Category
from solibook.catalog.taxonomy import load_into
from solibook.core.errors import DomainError, NotFound, ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance import services
from solibook.finance.models import (
    CheckoutLine,
    CheckoutTip,
    LedgerTransaction,
    LineRefund,
    Payment,
    Refund,
)
from solibook.finance.services import LineIn, RefundLineIn, TenderIn, TipIn
from solibook.finance.services.plans import product_create
from solibook.finance.services.refunds import RefundPart, refund_plan
from solibook.finance.tests.helpers import bal, books_balance
from solibook.testing.booking import book
from solibook.testing.factories import BusinessFactory, LocationFactory, member
from solibook.testing.races import race
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db


def sale(salon, *, quantity=1, tenders=None, hour=10):
    """A €45 cut with Léa, `quantity` × €28 shampoo, a €5 tip: cash then card."""
    visit = book(salon, hour=hour)
    with scopes_disabled():
        item = AppointmentItem.objects.get(appointment=visit)
    with business_scope(salon.business):
        shampoo = product_create(
            business=salon.business, name="Shampoo", price_amount=2800, currency="EUR"
        )
        total = 4500 + 2800 * quantity + 500
        return services.checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            appointment_id=visit.pk,
            lines=[
                LineIn("service", appointment_item_id=item.pk),
                LineIn("product", product_id=shampoo.pk, quantity=quantity),
            ],
            tips=[TipIn(salon.lea.pk, 500)],
            shown_total=total,
            currency="EUR",
            tenders=tenders or [TenderIn("cash", 3000), TenderIn("card", total - 3000)],
            now=NOW,
        )


def product_line(checkout):
    with scopes_disabled():
        return CheckoutLine.objects.get(checkout=checkout, kind="product")


def refund(salon, checkout, lines=(), tips=(), reason="client_request", **kw):
    with business_scope(salon.business):
        return services.refund_by_lines(
            business=salon.business,
            checkout_id=checkout.pk,
            lines=[RefundLineIn(line_id, q) for line_id, q in lines],
            tip_ids=list(tips),
            reason=reason,
            now=NOW + timedelta(hours=1),
            **kw,
        )


def revenue(business):
    from solibook.finance import ledger

    rows = ledger.balances(business=business, currency="EUR")
    return {k: v for k, v in rows.items() if k.startswith("revenue:") or k == "retail_revenue"}


def test_a_returned_product_is_taken_from_its_own_line_not_the_service_vat_or_tip(salon):
    done = sale(salon)
    b = salon.business
    before_revenue, before_tips = revenue(b), bal(b, "tips_payable")
    before_tax = bal(b, "taxes_payable")
    line = product_line(done)
    made = refund(salon, done, lines=[(line.pk, 1)])
    assert made.amount == 2800
    # €28 at 20% VAT included: 23.33 net + 4.67 VAT, nothing else.
    assert bal(b, "refunds") == 2333
    assert bal(b, "taxes_payable") - before_tax == 467
    assert revenue(b) == before_revenue and bal(b, "tips_payable") == before_tips
    # The card goes back before the cash drawer.
    assert bal(b, "card") == 4800 - 2800 and bal(b, "cash") == 3000
    with scopes_disabled():
        assert [(r.payment.tender, r.amount) for r in Refund.objects.all()] == [("card", 2800)]
        done.refresh_from_db()
        assert done.refunded_total == 2800 and done.status == "partially_refunded"
    assert books_balance(b)


def test_the_tip_is_refunded_only_when_chosen_and_goes_back_to_its_master(salon):
    done = sale(salon)
    with scopes_disabled():
        tip = CheckoutTip.objects.get(checkout=done)
    refund(salon, done, lines=[(product_line(done).pk, 1)])
    assert bal(salon.business, "tips_payable", master=salon.lea) == -500
    refund(salon, done, tips=[tip.pk])
    assert bal(salon.business, "tips_payable", master=salon.lea) == 0
    with pytest.raises(ValidationFailed) as again:
        refund(salon, done, tips=[tip.pk])
    assert again.value.code == "refund_too_large"
    assert books_balance(salon.business)


def test_refunding_more_than_was_sold_on_a_line_is_refused_and_writes_nothing(salon):
    done = sale(salon, quantity=2)
    line = product_line(done)
    with pytest.raises(ValidationFailed) as too_many:
        refund(salon, done, lines=[(line.pk, 3)])
    assert too_many.value.code == "refund_too_large"
    assert "At most 2" in too_many.value.message
    with scopes_disabled():
        assert not LineRefund.objects.exists() and not Refund.objects.exists()
        assert not LedgerTransaction.objects.filter(kind="refund").exists()
        assert sum(p.amount_refunded for p in Payment.objects.all()) == 0
    refund(salon, done, lines=[(line.pk, 1)])
    refund(salon, done, lines=[(line.pk, 1)])
    with pytest.raises(ValidationFailed):
        refund(salon, done, lines=[(line.pk, 1)])
    # Two units in two refunds give back the line exactly (no cent lost to rounding).
    line.refresh_from_db()
    assert line.refunded_quantity == 2
    assert bal(salon.business, "refunds") == line.net_amount
    assert books_balance(salon.business)


def test_bad_requests_are_refused_in_the_users_language(salon):
    done = sale(salon)
    with pytest.raises(ValidationFailed) as empty:
        refund(salon, done)
    assert empty.value.code == "refund_empty"
    with pytest.raises(ValidationFailed) as no_reason:
        refund(salon, done, lines=[(product_line(done).pk, 1)], reason="because")
    assert no_reason.value.fields["reason"]
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ValidationFailed) as fr:
        refund(salon, done, lines=[(product_line(done).pk, 5)])
    assert "Shampoo" in fr.value.message and "At most" not in fr.value.message


def test_another_business_cannot_refund_this_checkout_or_name_its_lines(salon):
    done = sale(salon)
    other = BusinessFactory()
    LocationFactory(business=other)
    with business_scope(other), pytest.raises(NotFound):
        services.refund_by_lines(
            business=other,
            checkout_id=done.pk,
            lines=[RefundLineIn(product_line(done).pk, 1)],
            reason="client_request",
        )
    second = sale(salon, hour=14)
    with pytest.raises(ValidationFailed) as foreign:
        refund(salon, second, lines=[(product_line(done).pk, 1)])
    assert foreign.value.code == "not_found"


def test_the_refund_order_takes_stored_value_first_then_card_then_cash():
    def payment(pk, tender, amount):
        return Payment(pk=pk, tender=tender, amount=amount, amount_captured=amount)

    payments = [
        payment(1, "cash", 3000),
        payment(2, "card", 2000),
        payment(3, "gift_card", 1000),
        payment(4, "wallet_credit", 500),
    ]
    plan = refund_plan(payments, 4000)
    assert [(p.payment.tender, p.amount) for p in plan] == [
        ("gift_card", 1000),
        ("wallet_credit", 500),
        ("card", 2000),
        ("cash", 500),
    ]
    assert refund_plan(payments, 6501) == []
    assert isinstance(plan[0], RefundPart)


def test_the_refund_page_chooses_lines_shows_the_order_and_the_payments_page_lists_it(
    salon, client
):
    done = sale(salon)
    client.force_login(member(salon.business, Role.OWNER))
    base = f"/ru/office/{salon.business.slug}/finance/"
    page = client.get(f"{base}checkouts/{done.pk}/refund/").content.decode()
    assert "Shampoo" in page and "Карта" in page and "Наличные" in page
    line = product_line(done)
    too_many = client.post(
        f"{base}checkouts/{done.pk}/refund/",
        {f"line_{line.pk}": "2", "reason": "client_request"},
    )
    assert too_many.status_code == 400 and "Shampoo" in too_many.content.decode()
    posted = client.post(
        f"{base}checkouts/{done.pk}/refund/",
        {f"line_{line.pk}": "1", "reason": "client_request"},
    )
    assert posted.status_code == 302
    payments = client.get(f"{base}payments/").content.decode()
    assert "Карта" in payments and "28,00" in payments
    assert ">card<" not in payments and ">cash<" not in payments


def test_the_api_refunds_by_line_through_the_same_service(salon, api_client):
    done = sale(salon)
    api_client.force_authenticate(member(salon.business, Role.OWNER))
    url = f"/api/v1/businesses/{salon.business.pk}/finance/checkouts/{done.pk}/line-refunds/"
    line = product_line(done)
    too_many = api_client.post(
        url, {"lines": [{"line_id": line.pk, "quantity": 2}], "reason": "goodwill"}, format="json"
    )
    assert too_many.status_code == 400
    assert too_many.json()["error"]["code"] == "refund_too_large"
    ok = api_client.post(
        url, {"lines": [{"line_id": line.pk, "quantity": 1}], "reason": "goodwill"}, format="json"
    )
    assert ok.status_code == 201, ok.content
    body = ok.json()
    assert body["amount"] == 2800 and body["tenders"] == [{"tender": "card", "amount": 2800}]
    desk = member(salon.business, Role.RECEPTIONIST)
    api_client.force_authenticate(desk)
    assert api_client.post(url, {"lines": [], "reason": "goodwill"}, format="json").status_code in (
        403,
        400,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_six_refunds_of_one_product_at_once_give_it_back_once(salon):
    load_into(Category)  # an earlier transactional test's flush may have removed them
    try:
        done = sale(salon)
        line = product_line(done)

        def attempt(i):
            with business_scope(salon.business), transaction.atomic():
                return services.refund_by_lines(
                    business=salon.business,
                    checkout_id=done.pk,
                    lines=[RefundLineIn(line.pk, 1)],
                    reason="client_request",
                )

        results = race(6, attempt)
        wins = [r for r in results if isinstance(r, LineRefund)]
        assert len(wins) == 1, results
        assert {r.code for r in results if isinstance(r, DomainError)} == {"refund_too_large"}
        assert bal(salon.business, "refunds") == 2333
        assert books_balance(salon.business)
    finally:
        load_into(Category)
