"""Loyalty API shapes: checks of shape only; `loyalty.services` decides."""

from rest_framework import serializers

from solibook.api.fields import IdField
from solibook.loyalty.models import Badge, ChallengeMetric, EarnMode, PointsKind, WalletKind


class LoyaltyProgrammeOut(serializers.Serializer):
    is_active = serializers.BooleanField()
    earn_mode = serializers.ChoiceField(choices=EarnMode.choices)
    points_per_unit = serializers.IntegerField()
    points_per_visit = serializers.IntegerField()
    point_value = serializers.IntegerField(help_text="Minor units one point takes off the bill.")
    expiry_days = serializers.IntegerField(allow_null=True)
    badges_enabled = serializers.BooleanField()
    leaderboard_enabled = serializers.BooleanField()
    excluded_category_ids = serializers.SerializerMethodField()

    def get_excluded_category_ids(self, programme) -> list[int]:
        return sorted(programme.excluded_categories.values_list("pk", flat=True))


class LoyaltyProgrammeIn(serializers.Serializer):
    is_active = serializers.BooleanField(required=False)
    earn_mode = serializers.ChoiceField(choices=EarnMode.choices, required=False)
    points_per_unit = serializers.IntegerField(min_value=0, max_value=1000, required=False)
    points_per_visit = serializers.IntegerField(min_value=0, max_value=100000, required=False)
    point_value = serializers.IntegerField(min_value=1, max_value=100000, required=False)
    expiry_days = serializers.IntegerField(
        min_value=1, max_value=3650, required=False, allow_null=True
    )
    badges_enabled = serializers.BooleanField(required=False)
    leaderboard_enabled = serializers.BooleanField(required=False)
    excluded_category_ids = serializers.ListField(child=IdField(), required=False, max_length=200)


class LoyaltyTierIn(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    min_points = serializers.IntegerField(min_value=0, max_value=10**9)
    earn_multiplier_percent = serializers.IntegerField(min_value=100, max_value=500, default=100)
    discount_percent = serializers.IntegerField(min_value=0, max_value=50, default=0)
    benefits = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class LoyaltyTierPatchIn(LoyaltyTierIn):
    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.required = False
            field.default = serializers.empty
        return fields


class LoyaltyTierOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    min_points = serializers.IntegerField()
    earn_multiplier_percent = serializers.IntegerField()
    discount_percent = serializers.IntegerField()
    benefits = serializers.CharField()


class LoyaltyChallengeIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    metric = serializers.ChoiceField(choices=ChallengeMetric.choices)
    target = serializers.IntegerField(min_value=1, max_value=1000)
    reward_points = serializers.IntegerField(min_value=0, max_value=100000, default=0)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    is_active = serializers.BooleanField(default=True)


class LoyaltyChallengeOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    metric = serializers.ChoiceField(choices=ChallengeMetric.choices)
    target = serializers.IntegerField()
    reward_points = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    is_active = serializers.BooleanField()


class StaffLeaderRowOut(serializers.Serializer):
    master_id = serializers.IntegerField(source="master.pk")
    master_name = serializers.CharField(source="master.display_name")
    visits = serializers.IntegerField()
    rebooked = serializers.IntegerField()
    rebooking_rate = serializers.IntegerField(
        help_text="Percent of visits followed by another booking."
    )
    reviews = serializers.IntegerField()


class LeaderboardQuery(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=366, default=90)


class PointsTxOut(serializers.Serializer):
    id = serializers.IntegerField()
    business_id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PointsKind.choices)
    points = serializers.IntegerField()
    appointment_id = serializers.IntegerField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class PointsExpiryOut(serializers.Serializer):
    expires_at = serializers.DateTimeField()
    points = serializers.IntegerField()


class PointsSummaryOut(serializers.Serializer):
    business_id = serializers.IntegerField(source="business.pk")
    business_name = serializers.CharField(source="business.name")
    balance = serializers.IntegerField()
    point_value = serializers.IntegerField()
    currency = serializers.CharField(source="business.currency")
    tier = serializers.CharField(source="tier.name", allow_null=True, default=None)
    upcoming_expiry = serializers.SerializerMethodField()

    def get_upcoming_expiry(self, summary) -> PointsExpiryOut(many=True):
        return PointsExpiryOut(
            [{"expires_at": d, "points": p} for d, p in summary.upcoming_expiry], many=True
        ).data


class PointsOut(serializers.Serializer):
    accounts = PointsSummaryOut(many=True)
    history = PointsTxOut(many=True)


class WalletBalanceOut(serializers.Serializer):
    currency = serializers.CharField()
    spendable = serializers.IntegerField()
    pending = serializers.IntegerField(help_text="Rewards still in their review period.")
    next_available_at = serializers.DateTimeField(allow_null=True)


class WalletTxOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=WalletKind.choices)
    amount = serializers.IntegerField()
    currency = serializers.CharField(source="account.currency")
    available_at = serializers.DateTimeField()
    business_id = serializers.IntegerField(allow_null=True)
    memo = serializers.CharField()
    created_at = serializers.DateTimeField()


class WalletOut(serializers.Serializer):
    balances = WalletBalanceOut(many=True)
    transactions = WalletTxOut(many=True)


class LoyaltyBadgeOut(serializers.Serializer):
    badge = serializers.ChoiceField(choices=Badge.choices)
    label = serializers.CharField(source="get_badge_display")
    awarded_at = serializers.DateTimeField()
