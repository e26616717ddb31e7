"""Commission and boost API shapes: shape only; the services decide."""

from rest_framework import serializers

from solibook.api.fields import IdField
from solibook.marketplace.models import Promotion


class DisputeOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    reason = serializers.CharField()
    decision_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class LineOut(serializers.Serializer):
    id = serializers.IntegerField()
    appointment_id = serializers.IntegerField()
    checkout_id = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField()
    status = serializers.CharField()
    exempt_reason = serializers.CharField()
    base_amount = serializers.IntegerField(help_text="Net amount paid, minor units")
    rate_bp = serializers.IntegerField(help_text="Basis points (2000 = 20 %)")
    amount = serializers.IntegerField()
    reversed_amount = serializers.IntegerField()
    currency = serializers.CharField()
    touch_kind = serializers.CharField(help_text="How the client first reached the salon")
    touched_at = serializers.DateTimeField(allow_null=True)
    history = serializers.JSONField(help_text="The client's earlier visits at the salon")
    breakdown = serializers.JSONField(help_text="Per category: base, rate_bp, amount")
    occurred_at = serializers.DateTimeField()
    disputes = DisputeOut(many=True, source="disputes.all")


class DisputeIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, allow_blank=True)


class PlatformDisputeOut(DisputeOut):
    business_id = serializers.IntegerField(source="line.business_id")
    line = LineOut()


class DecisionIn(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(max_length=1000, allow_blank=True)


class BoostIn(serializers.Serializer):
    mode = serializers.ChoiceField(choices=Promotion.Mode.choices)
    city = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    category_id = IdField(required=False, allow_null=True, default=None)
    price_amount = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    daily_budget = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, required=False, default=0
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class BoostOut(serializers.Serializer):
    id = serializers.IntegerField(source="promotion.pk")
    mode = serializers.CharField(source="promotion.mode")
    city_slug = serializers.CharField(source="promotion.city_slug")
    category_id = serializers.IntegerField(source="promotion.category_id", allow_null=True)
    price_amount = serializers.IntegerField(source="promotion.price_amount")
    daily_budget = serializers.IntegerField(source="promotion.daily_budget")
    currency = serializers.CharField(source="promotion.currency")
    starts_on = serializers.DateField(source="promotion.starts_on")
    ends_on = serializers.DateField(source="promotion.ends_on")
    is_active = serializers.BooleanField(source="promotion.is_active")
    impressions = serializers.IntegerField()
    clicks = serializers.IntegerField()
    bookings = serializers.IntegerField()
    cost = serializers.IntegerField()
    spent_today = serializers.IntegerField()


class BoostActiveIn(serializers.Serializer):
    is_active = serializers.BooleanField()
