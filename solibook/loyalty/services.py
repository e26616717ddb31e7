"""Every write of loyalty: points, the wallet, programme settings, badges.

`client` is the salon's client card (`clients.Client`): a walk-in earns and
spends like a person with an online account. An account's rewards land on its
card at the salon (`card_for_account`, the booking's get-or-create).

Balances are sums of rows. A debit (redeeming, spending, expiring, taking a
reward back) locks the account row, recomputes the sum under the lock and
appends its row, so two redemptions at once cannot both pass the check: the
second waits for the first to commit, then sees the lower balance.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, NotFound, refuse
from solibook.core.money import minor_digits
from solibook.loyalty import selectors
from solibook.loyalty.models import (
    Badge,
    BadgeAward,
    Challenge,
    ChallengeCompletion,
    EarnMode,
    PointsAccount,
    PointsKind,
    PointsTransaction,
    Programme,
    Tier,
    WalletAccount,
    WalletKind,
    WalletTransaction,
)

PROGRAMME_FIELDS = (
    "is_active",
    "earn_mode",
    "points_per_unit",
    "points_per_visit",
    "point_value",
    "expiry_days",
    "badges_enabled",
    "leaderboard_enabled",
)
TIER_FIELDS = ("name", "min_points", "earn_multiplier_percent", "discount_percent", "benefits")


# --- programme settings ---------------------------------------------------------


def programme_update(
    *, business, actor=None, excluded_category_ids: list[int] | None = None, **values
) -> Programme:
    from solibook.catalog.models import Category

    unknown = set(values) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"unknown programme fields {unknown}")
    if values.get("earn_mode") is not None and values["earn_mode"] not in EarnMode.values:
        refuse(_("Choose how clients earn points."), "earn_mode")
    with transaction.atomic():
        programme = selectors.programme_for(business=business, lock=True)
        for name, value in values.items():
            setattr(programme, name, value)
        programme.save()
        if excluded_category_ids is not None:
            categories = list(Category.objects.filter(pk__in=excluded_category_ids))
            if len(categories) != len(set(excluded_category_ids)):
                refuse(_("Unknown category."), "excluded_category_ids")
            programme.excluded_categories.set(categories)
        audit_log(
            action="loyalty.programme_updated",
            actor=actor,
            business=business,
            obj=programme,
            data={k: str(v) for k, v in values.items()},
        )
    return programme


def tier_save(*, business, actor=None, tier_id: int | None = None, **values) -> Tier:
    unknown = set(values) - set(TIER_FIELDS)
    if unknown:
        raise TypeError(f"unknown tier fields {unknown}")
    if not str(values.get("name", "x")).strip():
        refuse(_("Give the tier a name."), "name")
    with transaction.atomic():
        if tier_id is None:
            tier = Tier(business=business)
        else:
            tier = Tier.objects.filter(business=business, pk=tier_id).first()
            if tier is None:
                raise NotFound(_("No such tier."))
        for name, value in values.items():
            setattr(tier, name, value)
        try:
            with transaction.atomic():
                tier.save()
        except IntegrityError:
            refuse(
                _("Another tier starts at this number of points."), "min_points", code="duplicate"
            )
        audit_log(action="loyalty.tier_saved", actor=actor, business=business, obj=tier)
    return tier


def tier_delete(*, business, tier_id: int, actor=None) -> None:
    with transaction.atomic():
        deleted, _rows = Tier.objects.filter(business=business, pk=tier_id).delete()
        if not deleted:
            raise NotFound(_("No such tier."))
        audit_log(
            action="loyalty.tier_deleted", actor=actor, business=business, data={"tier_id": tier_id}
        )


# --- cards -------------------------------------------------------------------------


def card_for_account(*, business, user):
    """The business's card for an online account (found or created, as the booking does)."""
    from solibook.clients.services import client_card_for_booking

    return client_card_for_booking(business=business, user=user)


def card_of_visit(appointment):
    """The card a visit earns on: its card, or its account's card at the salon."""
    if appointment.client_card_id is not None:
        return appointment.client_card
    if appointment.account_id is not None:
        card = card_for_account(business=appointment.business, user=appointment.account)
        if card is not None:
            type(appointment).objects.filter(pk=appointment.pk, client_card__isnull=True).update(
                client_card=card
            )
        return card
    return None


# --- points -------------------------------------------------------------------------


def _points_account(*, business, client, lock: bool) -> PointsAccount:
    account, _created = PointsAccount.objects.get_or_create(business=business, client=client)
    if lock:
        # Lock waits are bounded by core.locking (a long wait raises Busy, a 409).
        account = PointsAccount.objects.select_for_update().get(pk=account.pk)
    return account


def _append_points(
    *,
    account: PointsAccount,
    kind: str,
    points: int,
    now: datetime,
    key: str | None = None,
    appointment=None,
    expires_at=None,
    memo: str = "",
) -> PointsTransaction | None:
    """Append one row; a row with the same key already written means this grant happened: None."""
    try:
        with transaction.atomic():
            return PointsTransaction.objects.create(
                business_id=account.business_id,
                account=account,
                kind=kind,
                points=points,
                key=key,
                appointment=appointment,
                expires_at=expires_at,
                memo=memo[:200],
                created_at=now,
            )
    except IntegrityError:
        if (
            key
            and PointsTransaction.objects.filter(business_id=account.business_id, key=key).exists()
        ):
            return None
        raise


def points_grant(
    *,
    business,
    client,
    points: int,
    kind: str,
    key: str,
    now: datetime | None = None,
    appointment=None,
    memo: str = "",
) -> PointsTransaction | None:
    """A credit of points, once per `key` (referral rewards, challenges)."""
    now = now or timezone.now()
    if points <= 0:
        return None
    programme = selectors.programme_for(business=business)
    expires_at = now + timedelta(days=programme.expiry_days) if programme.expiry_days else None
    account = _points_account(business=business, client=client, lock=False)
    return _append_points(
        account=account,
        kind=kind,
        points=points,
        now=now,
        key=key,
        appointment=appointment,
        expires_at=expires_at,
        memo=memo,
    )


def points_for_visit(
    *, programme: Programme, appointment, paid_amount: int, tier: Tier | None
) -> int:
    """The points a paid visit earns: excluded categories earn nothing; paying
    less than the price (a discount) earns on what was paid."""
    excluded = set(programme.excluded_categories.values_list("pk", flat=True))
    items = list(appointment.items.select_related("service"))
    price = sum(item.price_amount for item in items)
    eligible = sum(item.price_amount for item in items if item.service.category_id not in excluded)
    if not eligible or paid_amount <= 0:
        return 0
    if programme.earn_mode == EarnMode.PER_VISIT:
        points = programme.points_per_visit
    else:
        eligible_paid = (
            min(eligible, paid_amount)
            if price <= paid_amount
            else eligible * paid_amount // max(price, 1)
        )
        points = (
            eligible_paid * programme.points_per_unit // 10 ** minor_digits(appointment.currency)
        )
    multiplier = tier.earn_multiplier_percent if tier else 100
    return points * multiplier // 100


def points_earn_for_visit(
    *, appointment, paid_amount: int, now: datetime | None = None
) -> PointsTransaction | None:
    """Points for a completed, paid visit: once per appointment."""
    now = now or timezone.now()
    business = appointment.business
    programme = selectors.programme_for(business=business)
    if not programme.is_active:
        return None
    with transaction.atomic():
        card = card_of_visit(appointment)
        if card is None:
            return None
        account = _points_account(business=business, client=card, lock=True)
        tier = selectors.tier_of(business=business, client=card)
        points = points_for_visit(
            programme=programme, appointment=appointment, paid_amount=paid_amount, tier=tier
        )
        if points <= 0:
            return None
        expires_at = now + timedelta(days=programme.expiry_days) if programme.expiry_days else None
        return _append_points(
            account=account,
            kind=PointsKind.EARN,
            points=points,
            now=now,
            key=f"earn:{appointment.pk}",
            appointment=appointment,
            expires_at=expires_at,
        )


def points_reverse_for_visit(
    *, appointment, now: datetime | None = None
) -> PointsTransaction | None:
    """A refunded visit takes back the points it earned (never below zero), once."""
    now = now or timezone.now()
    business = appointment.business
    with transaction.atomic():
        earned = PointsTransaction.objects.filter(
            business=business, key=f"earn:{appointment.pk}"
        ).first()
        if earned is None:
            return None
        account = _points_account(business=business, client=earned.account.client, lock=True)
        take = min(earned.points, selectors.points_balance(account=account))
        if take <= 0:
            return None
        return _append_points(
            account=account,
            kind=PointsKind.REVERSAL,
            points=-take,
            now=now,
            key=f"reverse:{appointment.pk}",
            appointment=appointment,
        )


def points_take_back(
    *, business, client, points: int, key: str, now: datetime | None = None
) -> PointsTransaction | None:
    """Take back granted points (a reward withdrawn), once, never below zero."""
    now = now or timezone.now()
    with transaction.atomic():
        account = _points_account(business=business, client=client, lock=True)
        take = min(points, selectors.points_balance(account=account))
        if take <= 0:
            return None
        return _append_points(
            account=account, kind=PointsKind.REVERSAL, points=-take, now=now, key=key
        )


def points_redeem(
    *,
    business,
    client,
    points: int,
    appointment=None,
    key: str | None = None,
    now: datetime | None = None,
    actor=None,
    check_price: bool = True,
) -> PointsTransaction:
    """Spend points: refused beyond the balance, even under concurrency."""
    now = now or timezone.now()
    if not isinstance(points, int) or points <= 0:
        refuse(_("Enter a positive number of points."), "points")
    programme = selectors.programme_for(business=business)
    if not programme.is_active:
        refuse(_("This salon has no loyalty programme."), code="programme_inactive")
    with transaction.atomic():
        if key and PointsTransaction.objects.filter(business=business, key=key).exists():
            raise Conflict(_("These points were already redeemed."), code="already_redeemed")
        account = _points_account(business=business, client=client, lock=True)
        # Expire what is due first, under the same lock: expired points are not spendable.
        _expire_locked(account=account, now=now)
        balance = selectors.points_balance(account=account)
        if points > balance:
            refuse(
                _("You have %(balance)s points: you cannot redeem %(points)s.")
                % {"balance": balance, "points": points},
                "points",
                code="insufficient_points",
            )
        if appointment is not None and check_price:
            value = points * programme.point_value
            already = (
                -(
                    PointsTransaction.objects.filter(
                        account=account, appointment=appointment, kind=PointsKind.REDEEM
                    ).aggregate(s=Sum("points"))["s"]
                    or 0
                )
                * programme.point_value
            )
            if already + value > appointment.price_amount:
                refuse(
                    _("These points are worth more than what is left to pay."),
                    "points",
                    code="over_price",
                )
        row = _append_points(
            account=account,
            kind=PointsKind.REDEEM,
            points=-points,
            now=now,
            key=key,
            appointment=appointment,
        )
        if row is None:
            raise Conflict(_("These points were already redeemed."), code="already_redeemed")
        audit_log(
            action="loyalty.points_redeemed",
            actor=actor,
            business=business,
            obj=row,
            data={"points": points},
        )
        return row


def _expire_locked(*, account: PointsAccount, now: datetime) -> int:
    due = selectors.points_expiring_due(account=account, now=now)
    if due > 0:
        _append_points(account=account, kind=PointsKind.EXPIRE, points=-due, now=now)
    return due


def points_expire(*, business, client, now: datetime | None = None) -> int:
    """Write off points past their expiry (oldest points are spent first)."""
    now = now or timezone.now()
    with transaction.atomic():
        account = PointsAccount.objects.filter(business=business, client=client).first()
        if account is None:
            return 0
        account = _points_account(business=business, client=client, lock=True)
        return _expire_locked(account=account, now=now)


def points_expire_all(*, now: datetime | None = None) -> int:
    """The periodic job: every account with lots past expiry."""
    from django_scopes import scopes_disabled

    now = now or timezone.now()
    total = 0
    with scopes_disabled():
        accounts = list(
            PointsAccount.objects.filter(transactions__expires_at__lte=now)
            .select_related("business", "client")
            .distinct()
        )
    for account in accounts:
        total += points_expire(business=account.business, client=account.client, now=now)
    return total


# --- the wallet -----------------------------------------------------------------------


def _wallet_account(*, client, currency: str, lock: bool) -> WalletAccount:
    account, _created = WalletAccount.objects.get_or_create(
        business_id=client.business_id, client=client, currency=currency
    )
    if lock:
        # Lock waits are bounded by core.locking (a long wait raises Busy, a 409).
        account = WalletAccount.objects.select_for_update().get(pk=account.pk)
    return account


def wallet_credit(
    *,
    client,
    amount: int,
    currency: str,
    kind: str,
    key: str,
    available_at: datetime | None = None,
    appointment=None,
    memo: str = "",
    now: datetime | None = None,
) -> WalletTransaction | None:
    """Credit a card once per `key`, at its salon; spendable from
    `available_at` (after a review period)."""
    now = now or timezone.now()
    if amount <= 0:
        return None
    business = client.business
    account = _wallet_account(client=client, currency=currency, lock=False)
    try:
        with transaction.atomic():
            return WalletTransaction.objects.create(
                account=account,
                kind=kind,
                amount=amount,
                available_at=available_at or now,
                business=business,
                appointment=appointment,
                key=key,
                memo=memo[:200],
                created_at=now,
            )
    except IntegrityError:
        if WalletTransaction.objects.filter(key=key).exists():
            return None
        raise


def wallet_spend(
    *,
    client,
    amount: int,
    currency: str,
    appointment=None,
    key: str | None = None,
    now: datetime | None = None,
) -> WalletTransaction:
    """Pay with a card's wallet credit at its salon: never beyond the spendable balance."""
    now = now or timezone.now()
    if not isinstance(amount, int) or amount <= 0:
        refuse(_("Enter a positive amount."), "amount")
    business = client.business
    with transaction.atomic():
        account = _wallet_account(client=client, currency=currency, lock=True)
        balance = selectors.wallet_balance(account=account, now=now)
        if amount > balance.spendable:
            refuse(
                _("Your wallet holds less than this amount."), "amount", code="insufficient_credit"
            )
        try:
            with transaction.atomic():
                return WalletTransaction.objects.create(
                    account=account,
                    kind=WalletKind.SPEND,
                    amount=-amount,
                    available_at=now,
                    business=business,
                    appointment=appointment,
                    key=key,
                    created_at=now,
                )
        except IntegrityError as exc:
            raise Conflict(_("This payment was already made."), code="already_spent") from exc


def wallet_clawback(
    *, credit_key: str, key: str, now: datetime | None = None
) -> WalletTransaction | None:
    """Take back a credit, once. A credit still in review is cancelled as a
    whole; one already spendable is taken back as far as the balance allows
    (a balance never goes negative)."""
    now = now or timezone.now()
    with transaction.atomic():
        credit = WalletTransaction.objects.filter(key=credit_key).select_related("account").first()
        if credit is None or WalletTransaction.objects.filter(key=key).exists():
            return None
        account = _wallet_account(
            client=credit.account.client, currency=credit.account.currency, lock=True
        )
        if credit.available_at > now:
            amount, available_at = credit.amount, credit.available_at
        else:
            amount, available_at = (
                min(credit.amount, selectors.wallet_balance(account=account, now=now).spendable),
                now,
            )
        if amount <= 0:
            return None
        return WalletTransaction.objects.create(
            account=account,
            kind=WalletKind.CLAWBACK,
            amount=-amount,
            available_at=available_at,
            business=credit.business,
            appointment=credit.appointment,
            key=key,
            memo=credit.memo,
            created_at=now,
        )


# --- badges and challenges ----------------------------------------------------------


def badges_check(*, client, now: datetime | None = None) -> list[BadgeAward]:
    """Award the badges a card's history at its salon earns (each once)."""
    now = now or timezone.now()
    counts = selectors.client_counts(client=client)
    earned = {
        Badge.FIVE_VISITS: counts["visits"] >= 5,
        Badge.THREE_FRIENDS: counts["referrals"] >= 3,
        Badge.FIRST_REVIEW: counts["reviews"] >= 1,
    }
    new = []
    for badge, ok in earned.items():
        if ok:
            award, created = BadgeAward.objects.get_or_create(
                business_id=client.business_id,
                client=client,
                badge=badge,
                defaults={"awarded_at": now},
            )
            if created:
                new.append(award)
    return new


def challenges_check(*, business, client, now: datetime | None = None) -> list[ChallengeCompletion]:
    """Complete the salon's running challenges the client has reached; each rewards once."""
    now = now or timezone.now()
    programme = selectors.programme_for(business=business)
    if not programme.badges_enabled:
        return []
    done = []
    for challenge in Challenge.objects.filter(
        business=business, is_active=True, starts_on__lte=now.date(), ends_on__gte=now.date()
    ):
        if selectors.challenge_progress(challenge=challenge, client=client) < challenge.target:
            continue
        completion, created = ChallengeCompletion.objects.get_or_create(
            business=business, challenge=challenge, client=client, defaults={"completed_at": now}
        )
        if created:
            points_grant(
                business=business,
                client=client,
                points=challenge.reward_points,
                kind=PointsKind.CHALLENGE,
                key=f"challenge:{challenge.pk}:{client.pk}",
                now=now,
                memo=challenge.name,
            )
            done.append(completion)
    return done


def challenge_save(*, business, actor=None, challenge_id: int | None = None, **values) -> Challenge:
    if (
        values.get("starts_on")
        and values.get("ends_on")
        and values["ends_on"] < values["starts_on"]
    ):
        refuse(_("The challenge ends before it starts."), "ends_on")
    with transaction.atomic():
        challenge = (
            Challenge(business=business)
            if challenge_id is None
            else Challenge.objects.filter(business=business, pk=challenge_id).first()
        )
        if challenge is None:
            raise NotFound(_("No such challenge."))
        for name, value in values.items():
            setattr(challenge, name, value)
        challenge.save()
        audit_log(action="loyalty.challenge_saved", actor=actor, business=business, obj=challenge)
    return challenge


def visit_paid(*, appointment, paid_amount: int, now: datetime | None = None) -> None:
    """A completed visit was paid: points, badges, challenges."""
    now = now or timezone.now()
    points_earn_for_visit(appointment=appointment, paid_amount=paid_amount, now=now)
    card = card_of_visit(appointment)
    if card is not None:
        badges_check(client=card, now=now)
        challenges_check(business=appointment.business, client=card, now=now)
