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
    if appointment.account_id is None:
        return False
    with scopes_disabled():
        return (
            Referral.objects.filter(
                business_id=appointment.business_id, friend_id=appointment.account_id
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


def vouchers_usable(*, client, now: datetime) -> list[Voucher]:
    """A card's vouchers the desk can take now (not used, withdrawn, expired or in review)."""
    return list(
        Voucher.objects.filter(
            business_id=client.business_id,
            client=client,
            used_at__isnull=True,
            void_at__isnull=True,
            available_at__lte=now,
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("expires_at", "id")
    )


@dataclass(frozen=True)
class DeskRewards:
    """What a client card can pay with at the desk, besides money."""

    client: object
    programme_active: bool
    points: int
    point_value: int
    wallet: int
    vouchers: list


def desk_rewards(*, client, now: datetime) -> DeskRewards | None:
    """The till's view of a card: points (and their value), wallet credit, vouchers."""
    from solibook.loyalty import selectors as loyalty

    if client is None:
        return None
    programme = loyalty.programme_for(business=client.business)
    return DeskRewards(
        client=client,
        programme_active=programme.is_active,
        points=loyalty.points_balance_of(business=client.business, client=client),
        point_value=programme.point_value,
        wallet=loyalty.wallet_spendable(client=client, currency=client.business.currency, now=now),
        vouchers=vouchers_usable(client=client, now=now),
    )


@dataclass(frozen=True)
class CardBalances:
    """Everything a client card holds at its salon, with its history (the card page)."""

    rewards: DeskRewards
    tier: object
    points_expiry: list
    points_history: list
    wallets: list
    wallet_history: list
    vouchers: list
    badges: list
    gift_cards: list
    packages: list


def card_balances(*, client, now: datetime) -> CardBalances:
    """Points, tier, wallet credit, vouchers, badges, gift cards bought and
    packages of one card, read in the salon's scope."""
    from solibook.finance.models import ClientPackage, GiftCard
    from solibook.loyalty import selectors as loyalty
    from solibook.loyalty.models import BadgeAward, PointsAccount

    business = client.business
    account = PointsAccount.objects.filter(business=business, client=client).first()
    bought = Q(sold_in__appointment__client_card=client)
    if client.user_id:
        bought |= Q(purchaser_id=client.user_id)
    return CardBalances(
        rewards=desk_rewards(client=client, now=now),
        tier=loyalty.tier_of(business=business, client=client),
        points_expiry=loyalty.points_upcoming_expiry(account=account, now=now) if account else [],
        points_history=loyalty.card_points_history(client=client, limit=50),
        wallets=loyalty.card_wallet_balances(client=client, now=now),
        wallet_history=loyalty.card_wallet_history(client=client, limit=50),
        vouchers=list(
            Voucher.objects.filter(business=business, client=client).order_by("-created_at")
        ),
        badges=list(BadgeAward.objects.filter(business=business, client=client)),
        gift_cards=list(GiftCard.objects.filter(Q(business=business) & bought).distinct()),
        packages=list(
            ClientPackage.objects.filter(business=business, account_id=client.user_id)
            .select_related("plan")
            .order_by("-created_at")
        )
        if client.user_id
        else [],
    )


def vouchers_of(*, user):
    with scopes_disabled():
        return list(
            Voucher.objects.filter(client__user=user)
            .select_related("business")
            .order_by("-created_at")
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
