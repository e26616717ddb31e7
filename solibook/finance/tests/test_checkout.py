"""Checkout: prices, discounts, taxes, tips, split tenders, one transaction with the ledger."""

import pytest
from django_scopes import scopes_disabled

from solibook.booking.models import Status
from solibook.core.errors import Conflict, NotFound, ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance import accounts, services
from solibook.finance.models import Checkout, FinanceSettings, GiftCard, LedgerEntry, Payment
from solibook.finance.services import DiscountIn, LineIn, TenderIn, TipIn
from solibook.finance.services.giftcards import issued_codes
from solibook.finance.services.plans import package_plan_create, product_create
from solibook.finance.tenders import register_tender
from solibook.finance.tests.helpers import bal, books_balance
from solibook.testing.booking import book
from solibook.testing.factories import BusinessFactory, LocationFactory, UserFactory
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db


def item_of(appointment):
    from solibook.booking.models import AppointmentItem

    with scopes_disabled():
        return (
            AppointmentItem.objects.filter(appointment=appointment).order_by("position").first().pk
        )


def checkout(salon, **kw):
    kw.setdefault("location_id", salon.location.pk)
    kw.setdefault("currency", "EUR")
    kw.setdefault("now", NOW)
    with business_scope(salon.business):
        return services.checkout_complete(business=salon.business, **kw)


def quote(salon, **kw):
    kw.setdefault("location_id", salon.location.pk)
    with business_scope(salon.business):
        return services.checkout_quote(business=salon.business, now=NOW, **kw)


def test_visit_paid_in_cash_posts_revenue_tax_and_cash(salon):
    appointment = book(salon)
    done = checkout(
        salon, appointment_id=appointment.pk, shown_total=4500, tenders=[TenderIn("cash", 4500)]
    )
    # Prices include 20% VAT (FR): 4500 = 3750 net + 750 tax.
    assert (done.total, done.net_total, done.tax_total) == (4500, 3750, 750)
    b = salon.business
    assert bal(b, "cash") == 4500
    assert sum(v for k, v in services_balances(b).items() if k.startswith("revenue:")) == -3750
    assert bal(b, "taxes_payable") == -750
    assert books_balance(b)
    appointment.refresh_from_db()
    assert appointment.status == Status.COMPLETED
    assert done.number.endswith("000001")


def services_balances(business):
    from solibook.finance import ledger

    return ledger.balances(business=business, currency="EUR")


def test_revenue_goes_to_the_service_category(salon):
    appointment = book(salon)
    checkout(
        salon, appointment_id=appointment.pk, shown_total=4500, tenders=[TenderIn("card", 4500)]
    )
    slug = salon.cut.category.slug
    assert bal(salon.business, accounts.revenue(slug), master=salon.lea) == -3750
    assert bal(salon.business, "card") == 4500


def test_prices_entered_without_tax_add_it(salon):
    with scopes_disabled():
        FinanceSettings.objects.filter(business=salon.business).update(prices_include_tax=False)
    appointment = book(salon)
    q = quote(salon, appointment_id=appointment.pk)
    assert (q.net_total, q.tax_total, q.total) == (4500, 900, 5400)


def test_split_payment_with_tips_product_and_manual_discount(salon):
    with business_scope(salon.business):
        shampoo = product_create(
            business=salon.business, name="Shampoo", price_amount=1200, currency="EUR"
        )
    appointment = book(salon)
    lines = [
        LineIn("service", appointment_item_id=item_of(appointment)),
        LineIn("product", product_id=shampoo.pk, quantity=2),
    ]
    discount = DiscountIn("amount", 900, reason="Loyal client")
    tips = [TipIn(salon.lea.pk, 500), TipIn(salon.marc.pk, 200)]
    q = quote(salon, appointment_id=appointment.pk, lines=lines, discount=discount, tips=tips)
    assert q.subtotal == 4500 + 2400 and q.discount_total == 900 and q.tip_total == 700
    assert q.total == 4500 + 2400 - 900 + 700
    done = checkout(
        salon,
        appointment_id=appointment.pk,
        lines=lines,
        discount=discount,
        tips=tips,
        shown_total=q.total,
        tenders=[TenderIn("cash", 3000), TenderIn("card", q.total - 3000)],
    )
    b = salon.business
    assert bal(b, "tips_payable", master=salon.lea) == -500
    assert bal(b, "tips_payable", master=salon.marc) == -200
    assert bal(b, "cash") + bal(b, "card") == q.total
    assert done.discount_reason == "Loyal client"
    assert books_balance(b)
    with scopes_disabled():
        assert Payment.objects.filter(checkout=done).count() == 2


def test_a_split_that_does_not_add_up_is_refused_and_nothing_written(salon):
    appointment = book(salon)
    with pytest.raises(ValidationFailed) as err:
        checkout(
            salon,
            appointment_id=appointment.pk,
            shown_total=4500,
            tenders=[TenderIn("cash", 2000), TenderIn("card", 2000)],
        )
    assert err.value.code == "split_mismatch"
    with scopes_disabled():
        assert not Checkout.objects.exists() and not LedgerEntry.objects.exists()
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED


def test_a_changed_price_is_refused_before_charging(salon):
    appointment = book(salon)
    with pytest.raises(Conflict) as err:
        checkout(
            salon, appointment_id=appointment.pk, shown_total=4000, tenders=[TenderIn("cash", 4000)]
        )
    assert err.value.code == "price_changed" and err.value.extra["total"] == 4500
    assert "4500" in err.value.message


def test_currency_mismatch_refused(salon):
    appointment = book(salon)
    with pytest.raises(ValidationFailed) as err:
        checkout(
            salon,
            appointment_id=appointment.pk,
            shown_total=4500,
            currency="USD",
            tenders=[TenderIn("cash", 4500)],
        )
    assert err.value.code == "currency_mismatch"


def test_a_product_in_another_currency_is_refused(salon):
    from solibook.finance.models import Product

    with scopes_disabled():
        odd = Product.objects.create(
            business=salon.business, name="Import", price_amount=100, currency="USD"
        )
    with pytest.raises(ValidationFailed) as err:
        quote(salon, lines=[LineIn("product", product_id=odd.pk)])
    assert err.value.code == "currency_mismatch"


def test_visit_is_checked_out_once(salon):
    appointment = book(salon)
    checkout(
        salon, appointment_id=appointment.pk, shown_total=4500, tenders=[TenderIn("cash", 4500)]
    )
    with pytest.raises(Conflict):
        checkout(
            salon, appointment_id=appointment.pk, shown_total=4500, tenders=[TenderIn("cash", 4500)]
        )


def test_another_business_appointment_is_not_found(salon):
    other = BusinessFactory()
    other_location = LocationFactory(business=other)
    appointment = book(salon)
    with business_scope(other), pytest.raises(NotFound):
        services.checkout_quote(
            business=other, location_id=other_location.pk, appointment_id=appointment.pk
        )
    with business_scope(other), pytest.raises(NotFound):
        services.checkout_quote(
            business=other, location_id=salon.location.pk, appointment_id=appointment.pk
        )


def test_manual_discount_needs_a_reason_and_cannot_exceed_the_price(salon):
    appointment = book(salon)
    with pytest.raises(ValidationFailed) as err:
        quote(salon, appointment_id=appointment.pk, discount=DiscountIn("amount", 100, reason=" "))
    assert err.value.code == "discount_reason_required"
    with pytest.raises(ValidationFailed) as err:
        quote(
            salon,
            appointment_id=appointment.pk,
            discount=DiscountIn("amount", 5000, reason="too much"),
        )
    assert err.value.code == "discount_too_large"


def test_gift_card_sold_then_partly_redeemed(salon):
    sale = checkout(
        salon,
        lines=[LineIn("gift_card", amount=10000)],
        shown_total=10000,
        tenders=[TenderIn("card", 10000)],
    )
    with scopes_disabled():
        card = GiftCard.objects.get(sold_in=sale)
    assert bal(salon.business, "gift_cards_outstanding") == -10000
    appointment = book(salon)
    checkout(
        salon,
        appointment_id=appointment.pk,
        shown_total=4500,
        tenders=[TenderIn("gift_card", 4500, {"code": issued_codes(sale)[0][1].lower()})],
    )
    card.refresh_from_db()
    assert card.balance == 5500
    assert bal(salon.business, "gift_cards_outstanding") == -5500
    second = book(salon, start=None, master=salon.marc)
    with pytest.raises(NotFound) as err:
        checkout(
            salon,
            appointment_id=second.pk,
            shown_total=4500,
            tenders=[TenderIn("gift_card", 4500, {"code": "XXXX-XXXX-XXXX-XXXX"})],
        )
    assert err.value.code == "gift_card_unknown"


def test_package_sold_then_used_recognises_revenue_per_visit(salon):
    client = UserFactory()
    first = book(salon, account=client)
    with business_scope(salon.business):
        plan = package_plan_create(
            business=salon.business,
            name="5 cuts",
            service_id=salon.cut.pk,
            visits=5,
            price_amount=20000,
            currency="EUR",
        )
    lines = [
        LineIn("service", appointment_item_id=item_of(first)),
        LineIn("package", package_plan_id=plan.pk),
    ]
    checkout(
        salon,
        appointment_id=first.pk,
        lines=lines,
        shown_total=24500,
        tenders=[TenderIn("card", 24500)],
    )
    assert bal(salon.business, "packages_outstanding") == -20000
    from solibook.finance.models import ClientPackage

    with scopes_disabled():
        package = ClientPackage.objects.get(account=client)
    second = book(salon, account=client, master=salon.marc)
    lines = [LineIn("service", appointment_item_id=item_of(second), client_package_id=package.pk)]
    q = quote(salon, appointment_id=second.pk, lines=lines)
    assert q.total == 4000 and q.to_pay == 0
    checkout(salon, appointment_id=second.pk, lines=lines, shown_total=4000, tenders=[])
    package.refresh_from_db()
    assert package.visits_used == 1 and package.amount_used == 4000
    assert bal(salon.business, "packages_outstanding") == -16000
    assert books_balance(salon.business)


def test_a_registered_tender_posts_inside_the_checkout_transaction(salon):
    seen = []

    def validate(ctx, amount, data):
        if data.get("points", 0) < amount:
            from solibook.core.errors import ValidationFailed as VF

            raise VF("Not enough points", code="points_insufficient")

    def apply(ctx, amount, data):
        seen.append((ctx.checkout.pk, amount))
        return {"points": amount}

    register_tender(
        "test_points",
        label="Points",
        account=accounts.LOYALTY_POINTS,
        validate=validate,
        apply=apply,
    )
    appointment = book(salon)
    with pytest.raises(ValidationFailed):
        checkout(
            salon,
            appointment_id=appointment.pk,
            shown_total=4500,
            tenders=[TenderIn("test_points", 4500, {"points": 10})],
        )
    done = checkout(
        salon,
        appointment_id=appointment.pk,
        shown_total=4500,
        tenders=[TenderIn("test_points", 1000, {"points": 1000}), TenderIn("cash", 3500)],
    )
    assert seen == [(done.pk, 1000)]
    assert bal(salon.business, "loyalty_points") == 1000


def test_checkout_completed_signal_is_sent_on_commit(salon, django_capture_on_commit_callbacks):
    from solibook.finance.signals import checkout_completed

    got = []

    def receiver(sender, checkout, **kwargs):
        got.append(checkout.pk)

    checkout_completed.connect(receiver)
    try:
        appointment = book(salon)
        with django_capture_on_commit_callbacks(execute=True):
            done = checkout(
                salon,
                appointment_id=appointment.pk,
                shown_total=4500,
                tenders=[TenderIn("cash", 4500)],
            )
        assert got == [done.pk]
    finally:
        checkout_completed.disconnect(receiver)


def test_unknown_tender_is_refused(salon):
    appointment = book(salon)
    with pytest.raises(ValidationFailed) as err:
        checkout(
            salon,
            appointment_id=appointment.pk,
            shown_total=4500,
            tenders=[TenderIn("bitcoin", 4500)],
        )
    assert err.value.code == "tender_unknown"


def test_receipt_numbers_count_per_year_and_follow_on_from_numbers_given_before(salon):
    """The year's counter starts at the highest number that year already has
    (receipts written before the counter existed), and each year starts at 1."""
    from datetime import timedelta

    from solibook.finance.models import CheckoutCounter

    with scopes_disabled():
        Checkout.objects.create(
            business=salon.business,
            number=f"{NOW:%Y}-000041",
            location=salon.location,
            currency="EUR",
            prices_include_tax=True,
            subtotal=1000,
            net_total=1000,
            tax_total=0,
            total=1000,
            created_at=NOW,
        )
        assert not CheckoutCounter.objects.filter(business=salon.business).exists()
    with business_scope(salon.business):
        serum = product_create(
            business=salon.business, name="Serum", price_amount=2000, currency="EUR"
        )

    def sale(now):
        return checkout(
            salon,
            lines=[LineIn("product", product_id=serum.pk)],
            shown_total=2000,
            tenders=[TenderIn("cash", 2000)],
            now=now,
        ).number

    assert sale(NOW) == f"{NOW:%Y}-000042"
    assert sale(NOW) == f"{NOW:%Y}-000043"
    next_year = NOW + timedelta(days=366)
    assert sale(next_year) == f"{next_year:%Y}-000001"
    assert sale(NOW) == f"{NOW:%Y}-000044"
