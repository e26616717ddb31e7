"""Offer API shapes: shape only; `offers.services` decides."""

from rest_framework import serializers

from solibook.api.fields import AwareDateTimeField, IdField, WallClockField


class OffPeakRuleIn(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    location_id = IdField(
        required=False, allow_null=True, default=None, help_text="Null: every location."
    )
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        min_length=1,
        max_length=7,
        help_text="0 = Monday … 6 = Sunday",
    )
    start = WallClockField()
    end = WallClockField()
    discount_percent = serializers.IntegerField(min_value=1, max_value=90)
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)


class OffPeakRuleOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    location_id = serializers.IntegerField(allow_null=True)
    weekdays = serializers.ListField(child=serializers.IntegerField())
    start = WallClockField()
    end = WallClockField()
    discount_percent = serializers.IntegerField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    is_active = serializers.BooleanField()


class PromoCodeIn(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    description = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    discount_percent = serializers.IntegerField(
        min_value=1, max_value=100, required=False, allow_null=True, default=None
    )
    discount_amount = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        default=None,
        help_text="Minor units of the salon's currency.",
    )
    valid_from = AwareDateTimeField(required=False, allow_null=True, default=None)
    valid_until = AwareDateTimeField(required=False, allow_null=True, default=None)
    max_redemptions = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, allow_null=True, default=None
    )
    once_per_client = serializers.BooleanField(required=False, default=True)
    min_price_amount = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, required=False, default=0
    )
    service_id = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The discount applies to this service of the visit only; empty: the whole visit.",
    )


class PromoCodeOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    description = serializers.CharField()
    discount_percent = serializers.IntegerField(allow_null=True)
    discount_amount = serializers.IntegerField(allow_null=True)
    currency = serializers.CharField()
    valid_from = AwareDateTimeField(allow_null=True)
    valid_until = AwareDateTimeField(allow_null=True)
    max_redemptions = serializers.IntegerField(allow_null=True)
    redeemed_count = serializers.IntegerField()
    once_per_client = serializers.BooleanField()
    min_price_amount = serializers.IntegerField()
    service_id = serializers.IntegerField(allow_null=True)
    is_active = serializers.BooleanField()


class PromoActiveIn(serializers.Serializer):
    is_active = serializers.BooleanField()


class PublicOffersOut(serializers.Serializer):
    badges = serializers.ListField(child=serializers.CharField())
    off_peak = OffPeakRuleOut(many=True)
