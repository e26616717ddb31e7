"""Reads of referrals, and the marketplace-commission rule finance calls."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, Sum
from django_scopes import scopes_disabled

from solibook.booking.models import Source
from solibook.referrals.models import (
    Campaign,
    Commission,
    Partner,
    Referral,
    ReferralClick,
    ReferralCode,
    ReferralStatus,
    Reward,
    Statement,
    Voucher,
)


def commission_exempt(appointment) -> bool:
    """True when the marketplace commission must not apply: the client came
    through the salon's own referral programme (a client's code or one of
    the salon's partners), for this visit and the client's later visits.
    A referral that was rejected (an existing client, fraud) does not exempt."""
    if appointment.source in (Source.REFERRAL, Source.PARTNER):
        return True
    if appointment.client_id is None:
        return False
    with scopes_disabled():
        return (
            Referral.objects.filter(
                business_id=appointment.business_id, friend_id=appointment.client_id
            )
            .exclude(status__in=[ReferralStatus.REJECTED, ReferralStatus.HELD])
            .exists()
        )


def referrals_for_business(*, business, status: str | None = None):
    rows = Referral.objects.filter(business=business).select_related(
        "referrer", "friend", "partner", "code", "appointment"
    )
    if status:
        rows = rows.filter(status=status)
    return rows


def codes_of(*, user):
    with scopes_disabled():
        return list(
            ReferralCode.objects.filter(owner=user, partner__isnull=True)
            .select_related("business")
            .order_by("business__name")
        )


def referrals_made(*, user):
    with scopes_disabled():
        return list(
            Referral.objects.filter(referrer=user, partner__isnull=True)
            .select_related("business", "friend")
            .prefetch_related("rewards")
        )


def rewards_of(*, user):
    with scopes_disabled():
        return list(Reward.objects.filter(beneficiary=user).select_related("business", "referral"))


def vouchers_of(*, user):
    with scopes_disabled():
        return list(
            Voucher.objects.filter(client=user).select_related("business").order_by("-created_at")
        )


@dataclass(frozen=True)
class CampaignStats:
    campaign: Campaign
    code: ReferralCode | None
    clicks: int
    signups: int
    first_visits: int
    commission: int


@dataclass(frozen=True)
class PartnerDashboard:
    partner: Partner
    campaigns: list[CampaignStats]
    earned: int
    paid: int
    statements: list[Statement]

    @property
    def totals(self) -> dict[str, int]:
        return {
            "clicks": sum(c.clicks for c in self.campaigns),
            "signups": sum(c.signups for c in self.campaigns),
            "first_visits": sum(c.first_visits for c in self.campaigns),
            "commission": sum(c.commission for c in self.campaigns),
        }


def partner_dashboard(*, partner: Partner) -> PartnerDashboard:
    stats = []
    for campaign in Campaign.objects.filter(partner=partner):
        code = ReferralCode.objects.filter(campaign=campaign).first()
        referrals = Referral.objects.filter(code__campaign=campaign).exclude(
            status=ReferralStatus.REJECTED
        )
        stats.append(
            CampaignStats(
                campaign=campaign,
                code=code,
                clicks=ReferralClick.objects.filter(code__campaign=campaign).count(),
                signups=referrals.count(),
                first_visits=referrals.filter(paid_at__isnull=False).count(),
                commission=Commission.objects.filter(
                    referral__code__campaign=campaign, clawed_back_at__isnull=True
                ).aggregate(s=Sum("amount"))["s"]
                or 0,
            )
        )
    earned = (
        Commission.objects.filter(partner=partner, clawed_back_at__isnull=True).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )
    paid = (
        Statement.objects.filter(partner=partner, paid_at__isnull=False).aggregate(s=Sum("total"))[
            "s"
        ]
        or 0
    )
    return PartnerDashboard(
        partner, stats, earned, paid, list(Statement.objects.filter(partner=partner))
    )


def partnerships_of(*, user):
    with scopes_disabled():
        return list(
            Partner.objects.filter(user=user).select_related("business").order_by("business__name")
        )


def business_summary(*, business, since: datetime) -> dict[str, int]:
    counts = Referral.objects.filter(business=business, created_at__gte=since).aggregate(
        total=Count("pk"),
        held=Count("pk", filter=Q(status=ReferralStatus.HELD)),
        rewarded=Count("pk", filter=Q(status=ReferralStatus.REWARDED)),
    )
    return {k: v or 0 for k, v in counts.items()}
