"""Finance API shapes. Shape only; `finance.services` decides."""

from django.conf import settings
from rest_framework import serializers

from solibook.api.fields import IdField
from solibook.finance.models import Refund
from solibook.finance.services import DiscountIn, LineIn, TenderIn, TipIn

AMOUNT = {"min_value": 1, "max_value": 10**10}


class LineInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["service", "product", "gift_card", "package"])
    service_id = IdField(required=False, allow_null=True, default=None)
    product_id = IdField(required=False, allow_null=True, default=None)
    master_id = IdField(required=False, allow_null=True, default=None)
    quantity = serializers.IntegerField(min_value=1, max_value=999, default=1)
    amount = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A gift card's value (minor units).",
        **AMOUNT,
    )
    package_plan_id = IdField(required=False, allow_null=True, default=None)
    client_package_id = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Pay this service with a prepaid visit.",
    )
    appointment_item_id = IdField(required=False, allow_null=True, default=None)
    # Not trimmed: a name of only spaces is refused (validate_name), not taken for none.
    recipient_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=150, trim_whitespace=False
    )


class TipInSerializer(serializers.Serializer):
    master_id = IdField()
    amount = serializers.IntegerField(min_value=1, max_value=10**7)


class DiscountInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["amount", "percent", "promo_code", "membership"])
    value = serializers.IntegerField(min_value=0, max_value=10**10, default=0)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    code = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)


class TenderInSerializer(serializers.Serializer):
    kind = serializers.CharField(
        max_length=24,
        help_text="cash, card, online, gift_card, client_credit, or a registered kind.",
    )
    amount = serializers.IntegerField(**AMOUNT)
    data = serializers.DictField(
        required=False,
        default=dict,
        help_text='{"payment_id": 1} for online, {"code": "…"} for a gift card.',
    )


class QuoteIn(serializers.Serializer):
    location_id = IdField()
    appointment_id = IdField(required=False, allow_null=True, default=None)
    account_id = IdField(required=False, allow_null=True, default=None)
    lines = LineInSerializer(
        many=True,
        required=False,
        default=list,
        help_text="Empty with an appointment: its services.",
    )
    tips = TipInSerializer(many=True, required=False, default=list)
    discount = DiscountInSerializer(required=False, allow_null=True, default=None)

    def arguments(self) -> dict:
        data = self.validated_data
        return {
            "location_id": data["location_id"],
            "appointment_id": data["appointment_id"],
            "account_id": data["account_id"],
            "lines": [LineIn(**line) for line in data["lines"]],
            "tips": [TipIn(**tip) for tip in data["tips"]],
            "discount": DiscountIn(**data["discount"]) if data["discount"] else None,
        }


class CheckoutIn(QuoteIn):
    shown_total = serializers.IntegerField(
        min_value=0,
        max_value=10**11,
        help_text="The total the client was shown; a different price is refused (409 price_changed).",
    )
    currency = serializers.CharField(min_length=3, max_length=3)
    tenders = TenderInSerializer(many=True, max_length=10)
    language = serializers.ChoiceField(
        choices=["en", "fr", "ru", "ar"], required=False, allow_blank=True, default=""
    )

    def arguments(self) -> dict:
        data = self.validated_data
        return {
            **super().arguments(),
            "shown_total": data["shown_total"],
            "currency": data["currency"],
            "language": data["language"],
            "tenders": [
                TenderIn(kind=t["kind"], amount=t["amount"], data=t["data"])
                for t in data["tenders"]
            ],
        }


class QuoteLineOut(serializers.Serializer):
    kind = serializers.CharField()
    description = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_amount = serializers.IntegerField()
    discount_amount = serializers.IntegerField()
    tax_rate = serializers.IntegerField(help_text="Basis points: 2000 = 20%.")
    net_amount = serializers.IntegerField()
    tax_amount = serializers.IntegerField()
    gross_amount = serializers.IntegerField()
    master_id = serializers.IntegerField(allow_null=True)


class QuoteOut(serializers.Serializer):
    currency = serializers.CharField()
    prices_include_tax = serializers.BooleanField()
    subtotal = serializers.IntegerField()
    discount_total = serializers.IntegerField()
    net_total = serializers.IntegerField()
    tax_total = serializers.IntegerField()
    tip_total = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Send back as shown_total.")
    covered_by_packages = serializers.IntegerField()
    to_pay = serializers.IntegerField(help_text="What the tenders must add up to.")
    lines = QuoteLineOut(many=True)
    tips = TipInSerializer(many=True)


class PaymentOut(serializers.Serializer):
    id = serializers.IntegerField()
    purpose = serializers.CharField()
    tender = serializers.CharField()
    provider = serializers.CharField()
    state = serializers.CharField()
    amount = serializers.IntegerField()
    amount_captured = serializers.IntegerField()
    amount_refunded = serializers.IntegerField()
    amount_applied = serializers.IntegerField()
    currency = serializers.CharField()
    checkout_id = serializers.IntegerField(allow_null=True)
    appointment_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


class CheckoutLineOut(serializers.Serializer):
    kind = serializers.CharField()
    description = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_amount = serializers.IntegerField()
    discount_amount = serializers.IntegerField()
    tax_rate = serializers.IntegerField()
    net_amount = serializers.IntegerField()
    tax_amount = serializers.IntegerField()
    gross_amount = serializers.IntegerField()
    master_id = serializers.IntegerField(allow_null=True)


class CheckoutOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    location_id = serializers.IntegerField()
    appointment_id = serializers.IntegerField(allow_null=True)
    account_id = serializers.IntegerField(allow_null=True)
    client_name = serializers.CharField()
    language = serializers.CharField()
    currency = serializers.CharField()
    prices_include_tax = serializers.BooleanField()
    subtotal = serializers.IntegerField()
    discount_total = serializers.IntegerField()
    discount_reason = serializers.CharField()
    net_total = serializers.IntegerField()
    tax_total = serializers.IntegerField()
    tip_total = serializers.IntegerField()
    total = serializers.IntegerField()
    refunded_total = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    lines = CheckoutLineOut(many=True)
    payments = PaymentOut(many=True)


class RefundIn(serializers.Serializer):
    amount = serializers.IntegerField(**AMOUNT)
    reason = serializers.ChoiceField(choices=Refund.Reason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    to_client_credit = serializers.BooleanField(default=False)


class RefundOut(serializers.Serializer):
    id = serializers.IntegerField()
    payment_id = serializers.IntegerField()
    amount = serializers.IntegerField()
    currency = serializers.CharField()
    reason = serializers.CharField()
    note = serializers.CharField()
    to_client_credit = serializers.BooleanField()
    state = serializers.CharField()
    created_at = serializers.DateTimeField()


class CaptureIn(serializers.Serializer):
    amount = serializers.IntegerField(required=False, allow_null=True, default=None, **AMOUNT)


class DeskDepositIn(serializers.Serializer):
    tender = serializers.ChoiceField(choices=["cash", "card"])


class ClientDepositOut(serializers.Serializer):
    payment_id = serializers.IntegerField()
    amount = serializers.IntegerField()
    currency = serializers.CharField()
    state = serializers.CharField()
    client_secret = serializers.CharField(
        help_text="For Stripe.js confirmCardPayment / the Payment Element."
    )
    publishable_key = serializers.CharField()
    stripe_account = serializers.CharField(
        help_text="The salon's connected account (Stripe.js `stripeAccount`)."
    )


class SettingsSerializer(serializers.Serializer):
    prices_include_tax = serializers.BooleanField(required=False)
    vat_registered = serializers.BooleanField(required=False)
    service_tax_rate = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=10000
    )
    online_provider = serializers.ChoiceField(choices=["venue", "stripe"], required=False)
    stripe_account_id = serializers.RegexField(
        r"^(acct_[A-Za-z0-9]{1,60})?$", required=False, allow_blank=True, max_length=64
    )
    receipt_footer = serializers.CharField(required=False, allow_blank=True, max_length=300)


class SettingsOut(serializers.Serializer):
    prices_include_tax = serializers.BooleanField()
    vat_registered = serializers.BooleanField()
    service_tax_rate = serializers.IntegerField(
        allow_null=True, help_text="Basis points; null: the country's standard rate."
    )
    online_provider = serializers.CharField()
    stripe_account_id = serializers.CharField()
    receipt_footer = serializers.CharField()


class ProductIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    price_amount = serializers.IntegerField(min_value=1, max_value=10**8)
    currency = serializers.CharField(min_length=3, max_length=3)
    sku = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    tax_rate = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=10000
    )


class ProductOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    sku = serializers.CharField()
    price_amount = serializers.IntegerField()
    currency = serializers.CharField()
    tax_rate = serializers.IntegerField(allow_null=True)
    is_active = serializers.BooleanField()


class PackagePlanIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    service_id = IdField()
    visits = serializers.IntegerField(min_value=1, max_value=100)
    price_amount = serializers.IntegerField(min_value=1, max_value=10**8)
    currency = serializers.CharField(min_length=3, max_length=3)
    validity_days = serializers.IntegerField(min_value=1, max_value=3650, default=365)


class PackagePlanOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    service_id = serializers.IntegerField()
    visits = serializers.IntegerField()
    price_amount = serializers.IntegerField()
    currency = serializers.CharField()
    validity_days = serializers.IntegerField()


class ClientPackageOut(serializers.Serializer):
    id = serializers.IntegerField()
    plan_id = serializers.IntegerField()
    account_id = serializers.IntegerField()
    visits_total = serializers.IntegerField()
    visits_used = serializers.IntegerField()
    expires_at = serializers.DateTimeField()


class MembershipPlanIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    price_amount = serializers.IntegerField(min_value=1, max_value=10**8)
    currency = serializers.CharField(min_length=3, max_length=3)
    discount_percent = serializers.IntegerField(min_value=0, max_value=100, default=0)


class MembershipPlanOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    price_amount = serializers.IntegerField()
    currency = serializers.CharField()
    discount_percent = serializers.IntegerField()


class MembershipIn(serializers.Serializer):
    plan_id = IdField()
    account_id = IdField()
    tender = serializers.ChoiceField(choices=["cash", "card", "online"])


class MembershipOut(serializers.Serializer):
    id = serializers.IntegerField()
    plan_id = serializers.IntegerField()
    account_id = serializers.IntegerField()
    state = serializers.CharField()
    tender = serializers.CharField()
    current_period_start = serializers.DateTimeField()
    current_period_end = serializers.DateTimeField()
    renewals = serializers.IntegerField()


class GiftCardLookupIn(serializers.Serializer):
    code = serializers.CharField(max_length=40)


class GiftCardOut(serializers.Serializer):
    """A card as lists show it: the code masked (its last four characters)."""

    id = serializers.IntegerField()
    code_last4 = serializers.CharField()
    initial_amount = serializers.IntegerField()
    balance = serializers.IntegerField()
    currency = serializers.CharField()
    expires_at = serializers.DateTimeField()
    expired = serializers.BooleanField()
    voided_at = serializers.DateTimeField(
        allow_null=True, help_text="Set when the card was reissued: its code no longer works."
    )
    replaced_by_id = serializers.IntegerField(allow_null=True)
    recipient_name = serializers.CharField()


class GiftCardIssuedOut(GiftCardOut):
    code = serializers.CharField(
        help_text="The full code: in this answer only (the server keeps its hash)."
    )


class GiftCardSendIn(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="The card's full code.")
    channel = serializers.ChoiceField(choices=["email", "sms"])
    to = serializers.CharField(max_length=254)
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class BalanceQuery(serializers.Serializer):
    currency = serializers.CharField(min_length=3, max_length=3, required=False)
    location_id = IdField(required=False)
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)


class BalanceOut(serializers.Serializer):
    account = serializers.CharField()
    currency = serializers.CharField()
    balance = serializers.IntegerField(
        help_text="Debits minus credits (credit-natured accounts are negative)."
    )


class LedgerEntryOut(serializers.Serializer):
    account = serializers.CharField()
    amount = serializers.IntegerField()
    currency = serializers.CharField()
    location_id = serializers.IntegerField(allow_null=True)
    master_id = serializers.IntegerField(allow_null=True)


class LedgerTransactionOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    memo = serializers.CharField()
    reference = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    reverses_id = serializers.IntegerField(allow_null=True)
    entries = LedgerEntryOut(many=True)


class WebhookOut(serializers.Serializer):
    result = serializers.ChoiceField(choices=["processed", "duplicate", "ignored"])


class RefundLineInSerializer(serializers.Serializer):
    line_id = IdField()
    quantity = serializers.IntegerField(min_value=1, max_value=999, default=1)


class LineRefundIn(serializers.Serializer):
    lines = RefundLineInSerializer(many=True, required=False, default=list, max_length=50)
    tip_ids = serializers.ListField(child=IdField(), required=False, default=list, max_length=20)
    reason = serializers.ChoiceField(choices=Refund.Reason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class LineRefundItemOut(serializers.Serializer):
    line_id = serializers.IntegerField(allow_null=True)
    tip_id = serializers.IntegerField(allow_null=True)
    quantity = serializers.IntegerField()
    net_amount = serializers.IntegerField()
    tax_amount = serializers.IntegerField()
    gross_amount = serializers.IntegerField()


class LineRefundTenderOut(serializers.Serializer):
    tender = serializers.CharField(source="payment.tender")
    amount = serializers.IntegerField()


class LineRefundOut(serializers.Serializer):
    id = serializers.IntegerField()
    checkout_id = serializers.IntegerField()
    amount = serializers.IntegerField()
    currency = serializers.CharField()
    reason = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    items = LineRefundItemOut(many=True, source="items.all")
    tenders = LineRefundTenderOut(many=True, source="refunds.all")
