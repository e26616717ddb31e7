"""Reads of loyalty: balances are sums of rows, computed here.

`client` is always the salon's client card (`clients.Client`); the account's
own pages read through the cards linked to it (`user`)."""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import Count, Q, Sum
from django_scopes import scopes_disabled

from solibook.loyalty.models import (
    Challenge,
    ChallengeMetric,
    PointsAccount,
    PointsTransaction,
    Programme,
    Tier,
    WalletAccount,
    WalletTransaction,
)


def programme_for(*, business, lock: bool = False) -> Programme:
    """The business's programme (created with the business), row-locked with `lock`."""
    query = Programme.objects.select_for_update() if lock else Programme.objects
    return query.get(business=business)


def points_balance(*, account: PointsAccount) -> int:
    return PointsTransaction.objects.filter(account=account).aggregate(s=Sum("points"))["s"] or 0


def points_balance_of(*, business, client) -> int:
    return (
        PointsTransaction.objects.filter(business=business, account__client=client).aggregate(
            s=Sum("points")
        )["s"]
        or 0
    )


def points_earned_total(*, business, client) -> int:
    return (
        PointsTransaction.objects.filter(
            business=business,
            account__client=client,
            points__gt=0,
            kind__in=["earn", "referral", "challenge"],
        ).aggregate(s=Sum("points"))["s"]
        or 0
    )


def tier_of(*, business, client) -> Tier | None:
    earned = points_earned_total(business=business, client=client)
    return (
        Tier.objects.filter(business=business, min_points__lte=earned)
        .order_by("-min_points")
        .first()
    )


def _lots(account: PointsAccount) -> tuple[list[PointsTransaction], int]:
    rows = list(PointsTransaction.objects.filter(account=account).order_by("created_at", "id"))
    lots = [r for r in rows if r.points > 0]
    debits = -sum(r.points for r in rows if r.points < 0)
    return lots, debits


def points_expiring_due(*, account: PointsAccount, now: datetime) -> int:
    """Points to write off now: lots past expiry not already consumed.
    Spending and earlier write-offs consume the oldest lots first (FIFO), so
    what is due is the expired lots minus every debit so far, when positive."""
    lots, debits = _lots(account)
    expired = sum(
        lot.points for lot in lots if lot.expires_at is not None and lot.expires_at <= now
    )
    return max(0, expired - debits)


def points_upcoming_expiry(*, account: PointsAccount, now: datetime) -> list[tuple[datetime, int]]:
    """(date, points) of lots still held that will expire, oldest first."""
    lots, debits = _lots(account)
    upcoming = []
    for lot in lots:  # debits consume the oldest lots first
        left = lot.points - min(debits, lot.points)
        debits -= lot.points - left
        if left > 0 and lot.expires_at is not None and lot.expires_at > now:
            upcoming.append((lot.expires_at, left))
    return sorted(upcoming, key=lambda pair: pair[0])


@dataclass(frozen=True)
class PointsSummary:
    business: object
    account: PointsAccount
    balance: int
    tier: Tier | None
    point_value: int
    upcoming_expiry: list


def points_summaries(*, user, now: datetime) -> list[PointsSummary]:
    """An account's points at every salon, through its cards there (a
    deliberate cross-salon read of the person's own rows)."""
    with scopes_disabled():
        accounts = list(
            PointsAccount.objects.filter(client__user=user)
            .select_related("business")
            .order_by("business__name")
        )
        out = []
        for account in accounts:
            programme = Programme.objects.filter(business=account.business).first()
            out.append(
                PointsSummary(
                    business=account.business,
                    account=account,
                    balance=points_balance(account=account),
                    tier=tier_of(business=account.business, client=account.client),
                    point_value=programme.point_value if programme else 0,
                    upcoming_expiry=points_upcoming_expiry(account=account, now=now),
                )
            )
        return out


def points_history(*, user, limit: int = 100) -> list[PointsTransaction]:
    """An account's points rows at every salon, through its cards."""
    with scopes_disabled():
        rows = PointsTransaction.objects.filter(account__client__user=user).select_related(
            "business"
        )
        return list(rows[:limit])


def card_points_history(*, client, limit: int = 100) -> list[PointsTransaction]:
    """One card's points rows (the salon's own, in its scope)."""
    return list(
        PointsTransaction.objects.filter(business_id=client.business_id, account__client=client)[
            :limit
        ]
    )


@dataclass(frozen=True)
class WalletBalance:
    currency: str
    spendable: int
    pending: int
    next_available_at: datetime | None
    business: object = None  # the salon whose credit this is


def wallet_balance(*, account: WalletAccount, now: datetime) -> WalletBalance:
    sums = WalletTransaction.objects.filter(account=account).aggregate(
        spendable=Sum("amount", filter=Q(available_at__lte=now)),
        pending=Sum("amount", filter=Q(available_at__gt=now)),
    )
    nxt = (
        WalletTransaction.objects.filter(account=account, available_at__gt=now, amount__gt=0)
        .order_by("available_at")
        .values_list("available_at", flat=True)
        .first()
    )
    return WalletBalance(
        account.currency,
        sums["spendable"] or 0,
        sums["pending"] or 0,
        nxt,
        getattr(account, "business", None),
    )


def wallet_balances(*, user, now: datetime) -> list[WalletBalance]:
    """An account's wallet credit at every salon, through its cards (call
    unscoped: a deliberate cross-salon read of the person's own rows)."""
    return [
        wallet_balance(account=a, now=now)
        for a in WalletAccount.objects.filter(client__user=user)
        .select_related("business")
        .order_by("business__name", "currency")
    ]


def card_wallet_balances(*, client, now: datetime) -> list[WalletBalance]:
    return [
        wallet_balance(account=a, now=now)
        for a in WalletAccount.objects.filter(business_id=client.business_id, client=client)
        .select_related("business")
        .order_by("currency")
    ]


def wallet_spendable(*, client, currency: str, now: datetime) -> int:
    """What a card can spend at its salon now."""
    account = WalletAccount.objects.filter(
        business_id=client.business_id, client=client, currency=currency
    ).first()
    return wallet_balance(account=account, now=now).spendable if account else 0


def wallet_history(*, user, limit: int = 100) -> list[WalletTransaction]:
    """An account's wallet rows at every salon (call unscoped)."""
    return list(
        WalletTransaction.objects.filter(account__client__user=user).select_related(
            "account", "business"
        )[:limit]
    )


def card_wallet_history(*, client, limit: int = 100) -> list[WalletTransaction]:
    return list(
        WalletTransaction.objects.filter(account__client=client).select_related(
            "account", "business"
        )[:limit]
    )


def badges_of(*, user) -> list:
    """An account's badges at every salon, through its cards, one per badge."""
    from solibook.loyalty.models import BadgeAward

    with scopes_disabled():
        seen, out = set(), []
        for award in BadgeAward.objects.filter(client__user=user).order_by("awarded_at", "id"):
            if award.badge not in seen:
                seen.add(award.badge)
                out.append(award)
        return out


def _visits_of(client):
    """A card's visits: booked on the card, or (older rows) on its account at its salon."""
    from solibook.booking.models import Appointment

    match = Q(client_card=client)
    if client.user_id:
        match |= Q(account_id=client.user_id)
    return Appointment.objects.filter(Q(business_id=client.business_id) & match)


def client_counts(*, client) -> dict[str, int]:
    """A card's completed visits, friends referred (rewarded) and reviews at its salon."""
    from solibook.booking.models import Status

    visits = _visits_of(client).filter(status=Status.COMPLETED).count()
    referrals = reviews = 0
    if client.user_id and apps.is_installed("solibook.referrals"):
        Referral = apps.get_model("referrals", "Referral")
        referrals = Referral.objects.filter(
            business_id=client.business_id,
            referrer_id=client.user_id,
            status__in=["rewarded", "capped"],
        ).count()
    if client.user_id and apps.is_installed("solibook.reviews"):
        Review = apps.get_model("reviews", "Review")
        reviews = Review.objects.filter(
            business_id=client.business_id, author_id=client.user_id
        ).count()
    return {"visits": visits, "referrals": referrals, "reviews": reviews}


def challenge_progress(*, challenge: Challenge, client) -> int:
    """How far a card is in a challenge (referrals and reviews need its account)."""
    from datetime import UTC, time

    from solibook.booking.models import Status

    start = datetime.combine(challenge.starts_on, time.min, tzinfo=UTC)
    end = datetime.combine(challenge.ends_on, time.max, tzinfo=UTC)
    if challenge.metric == ChallengeMetric.VISITS:
        return (
            _visits_of(client)
            .filter(status=Status.COMPLETED, starts_at__range=(start, end))
            .count()
        )
    if not client.user_id:
        return 0
    if challenge.metric == ChallengeMetric.REFERRALS and apps.is_installed("solibook.referrals"):
        Referral = apps.get_model("referrals", "Referral")
        return Referral.objects.filter(
            business=challenge.business,
            referrer_id=client.user_id,
            status__in=["rewarded", "capped"],
            created_at__range=(start, end),
        ).count()
    if challenge.metric == ChallengeMetric.REVIEWS and apps.is_installed("solibook.reviews"):
        Review = apps.get_model("reviews", "Review")
        return Review.objects.filter(
            business=challenge.business, author_id=client.user_id, created_at__range=(start, end)
        ).count()
    return 0


@dataclass(frozen=True)
class LeaderRow:
    master: object
    visits: int
    rebooked: int
    reviews: int

    @property
    def rebooking_rate(self) -> int:
        return round(100 * self.rebooked / self.visits) if self.visits else 0


def staff_leaderboard(*, business, since: datetime, until: datetime) -> list[LeaderRow]:
    """Per master: completed visits in the period, how many of those clients
    booked again (any later visit at the salon), and reviews of their visits."""
    from solibook.booking.models import Appointment, AppointmentItem, Status
    from solibook.catalog.models import Master

    items = AppointmentItem.objects.filter(
        business=business,
        appointment__status=Status.COMPLETED,
        starts_at__gte=since,
        starts_at__lt=until,
    )
    rows = []
    for master in Master.objects.filter(business=business, is_active=True).order_by(
        "position", "display_name"
    ):
        mine = items.filter(master=master)
        visits = mine.values("appointment_id").distinct().count()
        rebooked = 0
        for _appointment_id, account_id, starts_at in mine.values_list(
            "appointment_id", "appointment__account_id", "appointment__starts_at"
        ).distinct():
            if (
                account_id
                and Appointment.objects.filter(
                    business=business, account_id=account_id, starts_at__gt=starts_at
                )
                .exclude(status__in=[Status.CANCELLED, Status.EXPIRED])
                .exists()
            ):
                rebooked += 1
        reviews = 0
        if apps.is_installed("solibook.reviews"):
            Review = apps.get_model("reviews", "Review")
            reviews = (
                Review.objects.filter(
                    business=business,
                    appointment__items__master=master,
                    created_at__gte=since,
                    created_at__lt=until,
                )
                .values("pk")
                .distinct()
                .count()
            )
        rows.append(LeaderRow(master, visits, rebooked, reviews))
    return sorted(
        rows, key=lambda r: (-r.rebooking_rate, -r.reviews, -r.visits, r.master.display_name)
    )


def top_clients(*, business, limit: int = 20):
    return (
        PointsAccount.objects.filter(business=business)
        .select_related("client")
        .annotate(balance=Sum("transactions__points"), rows=Count("transactions"))
        .order_by("-balance")[:limit]
    )
