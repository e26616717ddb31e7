"""The stock API's shapes (input checked for shape only; rules live in services).

Quantities are decimal strings in the product's stock unit (three places);
costs are decimal strings of minor units per stock unit (four places)."""

from rest_framework import serializers

QTY = {"max_digits": 14, "decimal_places": 3}


class StockProductOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_fr = serializers.CharField()
    name_ru = serializers.CharField()
    name_ar = serializers.CharField()
    kind = serializers.CharField(help_text="retail or professional")
    stock_unit = serializers.CharField(help_text="piece, ml or g")
    barcode = serializers.CharField()
    category = serializers.CharField()
    sku = serializers.CharField()
    price_amount = serializers.IntegerField()
    currency = serializers.CharField()
    tax_rate = serializers.IntegerField(allow_null=True)
    cost_price = serializers.DecimalField(max_digits=18, decimal_places=4)
    is_active = serializers.BooleanField()


class StockProductIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    name_fr = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    name_ru = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    name_ar = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    kind = serializers.CharField(
        max_length=12, default="retail", help_text="retail or professional"
    )
    stock_unit = serializers.CharField(max_length=8, default="piece", help_text="piece, ml or g")
    barcode = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    category = serializers.CharField(max_length=80, required=False, default="", allow_blank=True)
    sku = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)
    price_amount = serializers.IntegerField(min_value=0)
    tax_rate = serializers.IntegerField(required=False, allow_null=True, default=None)
    is_active = serializers.BooleanField(default=True)


class StockRowOut(serializers.Serializer):
    product_id = serializers.IntegerField(source="product.pk")
    product = serializers.CharField(source="product.name")
    stock_unit = serializers.CharField(source="product.stock_unit")
    on_hand = serializers.DecimalField(**QTY)
    minimum = serializers.DecimalField(**QTY)
    value = serializers.IntegerField(help_text="minor units, at the weighted-average cost")
    is_low = serializers.BooleanField()


class StockAtLocationOut(serializers.Serializer):
    location_id = serializers.IntegerField()
    currency = serializers.CharField()
    total_value = serializers.IntegerField()
    rows = StockRowOut(many=True)


class StockQuery(serializers.Serializer):
    at = serializers.DateTimeField(required=False, help_text="as it stood then (default: now)")


class StockMovementIn(serializers.Serializer):
    location_id = serializers.IntegerField()
    product_id = serializers.IntegerField()
    kind = serializers.CharField(
        max_length=12, help_text="receipt, consumption, adjustment or write_off"
    )
    quantity = serializers.DecimalField(**QTY)
    unit = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    unit_cost = serializers.DecimalField(
        max_digits=18, decimal_places=4, required=False, allow_null=True, default=None
    )
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StockMovementOut(serializers.Serializer):
    id = serializers.IntegerField()
    location_id = serializers.IntegerField()
    product_id = serializers.IntegerField()
    kind = serializers.CharField()
    quantity = serializers.DecimalField(**QTY)
    unit_cost = serializers.DecimalField(max_digits=18, decimal_places=4)
    average_cost = serializers.DecimalField(max_digits=18, decimal_places=4)
    balance_after = serializers.DecimalField(**QTY)
    reason = serializers.CharField()
    source = serializers.CharField()
    transfer_id = serializers.IntegerField(allow_null=True)
    actor_id = serializers.IntegerField(allow_null=True)
    occurred_at = serializers.DateTimeField()


class StockTransferLineIn(serializers.Serializer):
    product_id = serializers.IntegerField()
    quantity = serializers.DecimalField(**QTY)


class StockTransferIn(serializers.Serializer):
    from_location_id = serializers.IntegerField()
    to_location_id = serializers.IntegerField()
    items = StockTransferLineIn(many=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StockTransferOut(serializers.Serializer):
    id = serializers.IntegerField()
    from_location_id = serializers.IntegerField()
    to_location_id = serializers.IntegerField()
    status = serializers.CharField(help_text="in_transit or received")
    sent_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField(allow_null=True)


class RecipeLineIn(serializers.Serializer):
    product_id = serializers.IntegerField()
    quantity = serializers.DecimalField(**QTY)
    unit = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")


class RecipeIn(serializers.Serializer):
    variant_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    lines = RecipeLineIn(many=True)


class RecipeLineOut(serializers.Serializer):
    product_id = serializers.IntegerField()
    variant_id = serializers.IntegerField(allow_null=True)
    quantity = serializers.DecimalField(**QTY)


class StockTakeStartIn(serializers.Serializer):
    location_id = serializers.IntegerField()


class StockTakeCountIn(serializers.Serializer):
    product_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    barcode = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    counted = serializers.DecimalField(
        **QTY, required=False, allow_null=True, default=None, help_text="empty: one more piece"
    )


class StockTakeLineOut(serializers.Serializer):
    product_id = serializers.IntegerField()
    counted = serializers.DecimalField(**QTY)
    expected = serializers.DecimalField(**QTY, allow_null=True)


class StockTakeOut(serializers.Serializer):
    id = serializers.IntegerField()
    location_id = serializers.IntegerField()
    status = serializers.CharField(help_text="open or booked")
    started_at = serializers.DateTimeField()
    booked_at = serializers.DateTimeField(allow_null=True)
    booked_by_id = serializers.IntegerField(allow_null=True)
    lines = StockTakeLineOut(many=True)


class VisitUsageIn(serializers.Serializer):
    product_id = serializers.IntegerField()
    quantity = serializers.DecimalField(**QTY)
    unit = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")


class VisitUsageOut(serializers.Serializer):
    appointment_id = serializers.IntegerField()
    product_id = serializers.IntegerField()
    quantity = serializers.DecimalField(**QTY)
