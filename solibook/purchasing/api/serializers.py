"""Purchasing API shapes. Input serializers check shape only; what is allowed
(the order's supplier's offers, packs left to receive, amounts) is decided by
`purchasing.services`, which name the offending field. Money is integer minor
units of the business's currency; quantities are decimal strings in the
product's stock unit."""

from django.conf import settings
from rest_framework import serializers

from solibook.accounting.models import PaidFrom as ExpensePaidFrom
from solibook.api.fields import IdField
from solibook.purchasing.models import (
    PaidFrom,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
    SupplierInvoice,
    SupplierProduct,
)

AMOUNT = {"min_value": 1, "max_value": 10**12, "help_text": "Integer minor units (cents)."}
QUANTITY = {"max_digits": 14, "decimal_places": 3, "coerce_to_string": True}


class OfferOut(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    pack_size = serializers.DecimalField(
        help_text="The pack's size in the product's stock unit.", **QUANTITY
    )

    class Meta:
        model = SupplierProduct
        fields = [
            "id",
            "supplier_id",
            "product_id",
            "product_name",
            "supplier_sku",
            "pack_name",
            "pack_size",
            "price_amount",
            "currency",
            "lead_time_days",
            "is_preferred",
            "is_active",
        ]
        read_only_fields = fields


class OfferIn(serializers.Serializer):
    supplier_id = IdField()
    product_id = IdField()
    pack_name = serializers.CharField(max_length=100)
    pack_size = serializers.DecimalField(max_digits=14, decimal_places=3)
    price_amount = serializers.IntegerField(**AMOUNT)
    lead_time_days = serializers.IntegerField(min_value=0, max_value=365)
    supplier_sku = serializers.CharField(
        max_length=64, required=False, default="", allow_blank=True
    )
    is_preferred = serializers.BooleanField(required=False, default=False)


class OfferPatchIn(serializers.Serializer):
    pack_name = serializers.CharField(max_length=100)
    pack_size = serializers.DecimalField(max_digits=14, decimal_places=3)
    price_amount = serializers.IntegerField(**AMOUNT)
    lead_time_days = serializers.IntegerField(min_value=0, max_value=365)
    supplier_sku = serializers.CharField(
        max_length=64, required=False, default="", allow_blank=True
    )
    is_preferred = serializers.BooleanField(required=False, default=False)
    is_active = serializers.BooleanField(required=False, default=True)


class SupplierLanguageIn(serializers.Serializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES)


class OrderLineOut(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    pack_size = serializers.DecimalField(**QUANTITY)
    amount = serializers.IntegerField(read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "id",
            "offer_id",
            "product_id",
            "product_name",
            "pack_name",
            "pack_size",
            "packs",
            "received_packs",
            "price_amount",
            "amount",
        ]
        read_only_fields = fields


class OrderOut(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    lines = OrderLineOut(many=True, read_only=True)

    class Meta:
        model = PurchaseOrder
        fields = [
            "id",
            "number",
            "label",
            "supplier_id",
            "location_id",
            "status",
            "currency",
            "language",
            "note",
            "sent_to",
            "sent_at",
            "expected_on",
            "received_at",
            "lines",
        ]
        read_only_fields = fields


class OrderIn(serializers.Serializer):
    supplier_id = IdField()
    location_id = IdField()
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class OrderLineIn(serializers.Serializer):
    offer_id = IdField()
    packs = serializers.IntegerField(
        min_value=0, max_value=100_000, help_text="0 removes the line."
    )


class ReceiveLineIn(serializers.Serializer):
    line_id = IdField()
    packs = serializers.IntegerField(min_value=0, max_value=100_000)


class ReceiveIn(serializers.Serializer):
    lines = ReceiveLineIn(many=True, allow_empty=False, max_length=200)
    paid_from = serializers.ChoiceField(choices=PaidFrom.choices, default=PaidFrom.ON_ACCOUNT)
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class ReceiptLineOut(serializers.ModelSerializer):
    quantity = serializers.DecimalField(**QUANTITY)

    class Meta:
        model = ReceiptLine
        fields = ["id", "line_id", "packs", "quantity", "amount", "movement_id"]
        read_only_fields = fields


class ReceiptOut(serializers.ModelSerializer):
    lines = ReceiptLineOut(many=True, read_only=True)

    class Meta:
        model = Receipt
        fields = [
            "id",
            "order_id",
            "received_at",
            "paid_from",
            "amount",
            "currency",
            "note",
            "ledger_transaction_id",
            "lines",
        ]
        read_only_fields = fields


class InvoiceOut(serializers.ModelSerializer):
    paid_from = serializers.CharField(
        read_only=True, help_text="cash, card or bank once paid; empty while unpaid."
    )

    class Meta:
        model = SupplierInvoice
        fields = [
            "id",
            "order_id",
            "supplier_id",
            "number",
            "issued_on",
            "due_on",
            "amount",
            "currency",
            "paid_at",
            "paid_from",
            "payment_transaction_id",
        ]
        read_only_fields = fields


class InvoiceIn(serializers.Serializer):
    number = serializers.CharField(max_length=64)
    issued_on = serializers.DateField()
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    amount = serializers.IntegerField(**AMOUNT)


class InvoicePayIn(serializers.Serializer):
    # The money accounts, as an expense is paid from (one enum in the schema).
    paid_from = serializers.ChoiceField(choices=ExpensePaidFrom.choices)


class SuggestionOut(serializers.Serializer):
    location_id = serializers.IntegerField(source="location.pk")
    product_id = serializers.IntegerField(source="product.pk")
    product_name = serializers.CharField(source="product.name")
    offer_id = serializers.IntegerField(source="offer.pk", allow_null=True, default=None)
    supplier_id = serializers.IntegerField(
        source="offer.supplier_id", allow_null=True, default=None
    )
    on_hand = serializers.DecimalField(**QUANTITY)
    in_transit = serializers.DecimalField(source="incoming", **QUANTITY)
    minimum = serializers.DecimalField(**QUANTITY)
    expected = serializers.DecimalField(
        help_text="Expected use over the offer's lead time.", **QUANTITY
    )
    below_minimum = serializers.BooleanField()
    packs = serializers.IntegerField(help_text="Packs to order (0: nothing more to order).")
    reasons = serializers.ListField(child=serializers.CharField())


class SuggestionItemIn(serializers.Serializer):
    location_id = IdField()
    offer_id = IdField()
    packs = serializers.IntegerField(min_value=1, max_value=100_000)


class SuggestionOrdersIn(serializers.Serializer):
    items = SuggestionItemIn(many=True, allow_empty=False, max_length=500)


class InTransitOut(serializers.Serializer):
    order_id = serializers.IntegerField()
    order_label = serializers.CharField(source="order.label")
    supplier_id = serializers.IntegerField(source="order.supplier_id")
    location_id = serializers.IntegerField(source="order.location_id")
    product_id = serializers.IntegerField()
    pack_name = serializers.CharField()
    pack_size = serializers.DecimalField(**QUANTITY)
    packs_to_come = serializers.IntegerField(source="outstanding_packs")
    expected_on = serializers.DateField(source="order.expected_on", allow_null=True)
