"""Objects of business B for platform/tests/test_isolation.py (every URL kwarg the finance app adds)."""

from datetime import UTC, datetime

from django_scopes import scopes_disabled


def finance_objects_of_b(b, location_b, appointment) -> dict:
    from solibook.finance.models import (
        Checkout,
        ClientMembership,
        GiftCard,
        MembershipPlan,
        Payment,
    )
    from solibook.testing.factories import UserFactory

    when = datetime(2030, 1, 3, 12, tzinfo=UTC)
    with scopes_disabled():
        checkout = Checkout.objects.create(
            business=b,
            number="2030-999999",
            location=location_b,
            currency=b.currency,
            prices_include_tax=True,
            subtotal=1000,
            net_total=1000,
            tax_total=0,
            total=1000,
            created_at=when,
        )
        payment = Payment.objects.create(
            business=b,
            purpose="checkout",
            tender="cash",
            state="captured",
            amount=1000,
            amount_captured=1000,
            currency=b.currency,
            checkout=checkout,
            created_at=when,
        )
        plan = MembershipPlan.objects.create(
            business=b, name="B's club", price_amount=1000, currency=b.currency
        )
        membership = ClientMembership.objects.create(
            business=b,
            plan=plan,
            account=UserFactory(),
            tender="cash",
            current_period_start=when,
            current_period_end=when,
            created_at=when,
        )
        gift_card = GiftCard.objects.create(
            business=b,
            code_digest="b" * 64,
            code_last4="BBBB",
            initial_amount=1000,
            balance=1000,
            currency=b.currency,
            expires_at=when,
            created_at=when,
        )
    return {
        "checkout_id": checkout.pk,
        "payment_id": payment.pk,
        "membership_id": membership.pk,
        "gift_card_id": gift_card.pk,
    }
