"""Referral API shapes: checks of shape only; `referrals.services` decides."""

from rest_framework import serializers

from solibook.api.fields import IdField
from solibook.referrals.models import (
    CommissionKind,
    PartnerStatus,
    ReferralStatus,
    RewardKind,
    RewardRole,
)


class ReferralProgrammeOut(serializers.Serializer):
    is_active = serializers.BooleanField()
    friend_reward_kind = serializers.ChoiceField(choices=RewardKind.choices)
    friend_reward_value = serializers.IntegerField()
    referrer_reward_kind = serializers.ChoiceField(choices=RewardKind.choices)
    referrer_reward_value = serializers.IntegerField()
    monthly_cap = serializers.IntegerField()
    lifetime_cap = serializers.IntegerField()
    review_days = serializers.IntegerField()
    code_valid_days = serializers.IntegerField()
    burst_limit = serializers.IntegerField()


class ReferralProgrammeIn(serializers.Serializer):
    is_active = serializers.BooleanField(required=False)
    friend_reward_kind = serializers.ChoiceField(choices=RewardKind.choices, required=False)
    friend_reward_value = serializers.IntegerField(min_value=0, max_value=10**7, required=False)
    referrer_reward_kind = serializers.ChoiceField(choices=RewardKind.choices, required=False)
    referrer_reward_value = serializers.IntegerField(min_value=0, max_value=10**7, required=False)
    monthly_cap = serializers.IntegerField(min_value=1, max_value=1000, required=False)
    lifetime_cap = serializers.IntegerField(min_value=1, max_value=100000, required=False)
    review_days = serializers.IntegerField(min_value=0, max_value=365, required=False)
    code_valid_days = serializers.IntegerField(min_value=1, max_value=3650, required=False)
    burst_limit = serializers.IntegerField(min_value=1, max_value=1000, required=False)


class ReferralCodeOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    business_id = serializers.IntegerField()
    business_name = serializers.CharField(source="business.name")
    url = serializers.SerializerMethodField()
    expires_at = serializers.DateTimeField(allow_null=True)
    posted_publicly = serializers.BooleanField()

    def get_url(self, code) -> str:
        from django.urls import reverse

        request = self.context.get("request")
        path = reverse("referrals:landing", kwargs={"code": code.code})
        return request.build_absolute_uri(path) if request else path


class ReferralCodeIn(serializers.Serializer):
    business_id = IdField()


class ReferralCodePreviewOut(serializers.Serializer):
    code = serializers.CharField()
    business_id = serializers.IntegerField()
    business_name = serializers.CharField()
    business_slug = serializers.CharField()
    friend_reward_kind = serializers.ChoiceField(choices=RewardKind.choices, allow_null=True)
    friend_reward_value = serializers.IntegerField(allow_null=True)
    currency = serializers.CharField()
    partner = serializers.CharField(allow_null=True)


class ReferralClaimIn(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    appointment_id = IdField()


class ReferralRewardOut(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=RewardRole.choices)
    kind = serializers.ChoiceField(choices=RewardKind.choices)
    value = serializers.IntegerField()
    currency = serializers.CharField()
    business_id = serializers.IntegerField()
    state = serializers.SerializerMethodField()
    available_at = serializers.DateTimeField()

    def get_state(self, reward) -> str:
        from django.utils import timezone

        return reward.state(timezone.now())


class ReferralOut(serializers.Serializer):
    id = serializers.IntegerField()
    business_id = serializers.IntegerField()
    code = serializers.CharField(source="code.code")
    referrer_name = serializers.CharField(source="referrer.full_name")
    friend_name = serializers.CharField(source="friend.full_name")
    partner_id = serializers.IntegerField(allow_null=True)
    appointment_id = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    reasons = serializers.ListField(child=serializers.CharField())
    reason_labels = serializers.SerializerMethodField()
    household_exception = serializers.BooleanField()
    paid_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    def get_reason_labels(self, referral) -> list[str]:
        from solibook.referrals.fraud import reason_labels

        return reason_labels(referral.reasons)


class ReferralListQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReferralStatus.choices, required=False)


class MyReferralsOut(serializers.Serializer):
    codes = ReferralCodeOut(many=True)
    referrals = ReferralOut(many=True)
    rewards = ReferralRewardOut(many=True)


class ReferralReviewIn(serializers.Serializer):
    approve = serializers.BooleanField()
    household = serializers.BooleanField(
        default=False, help_text="Approve as a household: waives same-person signs."
    )


class ReferralCodePublicIn(serializers.Serializer):
    public = serializers.BooleanField()


class PartnerSignupIn(serializers.Serializer):
    business_id = IdField()
    name = serializers.CharField(max_length=120)
    website = serializers.URLField(required=False, allow_blank=True, default="", max_length=200)


class PartnerDecisionIn(serializers.Serializer):
    approve = serializers.BooleanField()
    commission_kind = serializers.ChoiceField(choices=CommissionKind.choices, required=False)
    commission_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)
    commission_months = serializers.IntegerField(min_value=1, max_value=36, required=False)
    commission_fixed = serializers.IntegerField(min_value=0, max_value=10**7, required=False)


class PartnerCampaignIn(serializers.Serializer):
    name = serializers.CharField(max_length=80)


class PartnerCampaignStatsOut(serializers.Serializer):
    id = serializers.IntegerField(source="campaign.pk")
    name = serializers.CharField(source="campaign.name")
    code = serializers.CharField(source="code.code", allow_null=True, default=None)
    clicks = serializers.IntegerField()
    signups = serializers.IntegerField()
    first_visits = serializers.IntegerField()
    commission = serializers.IntegerField()


class PartnerStatementOut(serializers.Serializer):
    id = serializers.IntegerField()
    partner_id = serializers.IntegerField()
    month = serializers.DateField()
    total = serializers.IntegerField()
    currency = serializers.CharField()
    paid_at = serializers.DateTimeField(allow_null=True)
    payout_reference = serializers.CharField()


class PartnerOut(serializers.Serializer):
    id = serializers.IntegerField()
    business_id = serializers.IntegerField()
    business_name = serializers.CharField(source="business.name")
    name = serializers.CharField()
    website = serializers.CharField()
    status = serializers.ChoiceField(choices=PartnerStatus.choices)
    commission_kind = serializers.ChoiceField(choices=CommissionKind.choices)
    commission_percent = serializers.IntegerField()
    commission_months = serializers.IntegerField()
    commission_fixed = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class PartnerDashboardOut(serializers.Serializer):
    partner = PartnerOut()
    campaigns = PartnerCampaignStatsOut(many=True)
    earned = serializers.IntegerField()
    paid = serializers.IntegerField()
    statements = PartnerStatementOut(many=True)


class PartnerStatementIn(serializers.Serializer):
    month = serializers.DateField(help_text="Any day of the month to close.")


class StatementPayIn(serializers.Serializer):
    reference = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class SalonInviteIn(serializers.Serializer):
    email = serializers.EmailField()


class SalonInviteAcceptIn(serializers.Serializer):
    code = serializers.CharField(max_length=32)


class SalonInviteOut(serializers.Serializer):
    id = serializers.IntegerField()
    inviter_id = serializers.IntegerField()
    email = serializers.EmailField()
    code = serializers.CharField()
    invitee_id = serializers.IntegerField(allow_null=True)
    credit_amount = serializers.IntegerField()
    currency = serializers.CharField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    live_at = serializers.DateTimeField(allow_null=True)
