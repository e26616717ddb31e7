"""Every write of referrals: codes, clicks, referrals, rewards, partners, invites.

The flow: a friend opens a referral link (`click_record`: a click row, a
cookie), books, and the booking is attached to the code (`referral_attach`):
fraud checks run, a suspicious referral is held for review, a clean one
gives the friend their reward. When the friend's first visit is completed
and paid (`referral_visit_paid`, from finance's `checkout_completed`), the
referrer's reward is written, spendable after the review period; a refund of
that visit takes it back (`referral_payment_refunded`). Rewards are unique
per (referral, role): however often a trigger fires, one reward.
"""

import logging
import secrets
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.accounts.models import User
from solibook.booking.models import Appointment, Source, Status
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, NotFound, refuse
from solibook.core.outbox import outbox_emit
from solibook.core.validators import clean_name
from solibook.loyalty import services as loyalty
from solibook.loyalty.models import PointsKind, WalletKind
from solibook.referrals import fraud
from solibook.referrals.models import (
    Campaign,
    Commission,
    CommissionKind,
    FingerprintKind,
    Partner,
    PartnerStatus,
    Referral,
    ReferralClick,
    ReferralCode,
    ReferralProgramme,
    ReferralStatus,
    Reward,
    RewardKind,
    RewardRole,
    SalonInvite,
    Statement,
    SubscriptionCredit,
    Voucher,
)

log = logging.getLogger(__name__)

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
UPCOMING_STATUSES = tuple(
    s for s in (Status.HOLD, getattr(Status, "AWAITING_DEPOSIT", None), Status.CONFIRMED) if s
)
COUNTED_STATUSES = (
    Status.CONFIRMED,
    Status.ARRIVED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.NO_SHOW,
)
PROGRAMME_FIELDS = (
    "is_active",
    "friend_reward_kind",
    "friend_reward_value",
    "referrer_reward_kind",
    "referrer_reward_value",
    "monthly_cap",
    "lifetime_cap",
    "review_days",
    "code_valid_days",
    "burst_limit",
)
SALON_INVITE_CREDIT = {
    "EUR": 5000,
    "RUB": 500000,
    "SAR": 20000,
    "USD": 5000,
    "GBP": 5000,
    "AED": 20000,
    "CHF": 5000,
    "MAD": 50000,
    "KZT": 2500000,
}


def _new_code(prefix: str = "") -> str:
    letters = "".join(c for c in (prefix or "").upper() if c in ALPHABET)[:6]
    return (letters + "-" if letters else "") + "".join(secrets.choice(ALPHABET) for _ in range(7))


def _ledger(
    *,
    business,
    kind: str,
    memo: str,
    lines: list[tuple[str, int, object]],
    currency: str,
    key: str,
    reference: str = "",
) -> None:
    """Post to finance's ledger (balanced lines, once per key)."""
    from solibook.finance import ledger

    ledger.post(
        business=business,
        kind=kind,
        memo=memo,
        reference=reference,
        idempotency_key=key,
        lines=[
            ledger.Line(account, amount, currency, user=user) for account, amount, user in lines
        ],
    )


# --- settings -----------------------------------------------------------------------


def programme_for(*, business, lock: bool = False) -> ReferralProgramme:
    """The business's programme (created with the business), row-locked with `lock`."""
    query = ReferralProgramme.objects.select_for_update() if lock else ReferralProgramme.objects
    return query.get(business=business)


def programme_update(*, business, actor=None, **values) -> ReferralProgramme:
    unknown = set(values) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"unknown programme fields {unknown}")
    for field in ("friend_reward_kind", "referrer_reward_kind"):
        if field in values and values[field] not in RewardKind.values:
            refuse(_("Choose a kind of reward."), field)
    with transaction.atomic():
        programme = programme_for(business=business, lock=True)
        for name, value in values.items():
            setattr(programme, name, value)
        programme.save()
        audit_log(
            action="referrals.programme_updated",
            actor=actor,
            business=business,
            obj=programme,
            data={k: str(v) for k, v in values.items()},
        )
    return programme


# --- codes and clicks ------------------------------------------------------------------


def code_personal(*, business, owner, now: datetime | None = None) -> ReferralCode:
    """The client's own code at this salon (created on first ask)."""
    now = now or timezone.now()
    code = ReferralCode.objects.filter(business=business, owner=owner, partner__isnull=True).first()
    if code is not None:
        return code
    programme = programme_for(business=business)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return ReferralCode.objects.create(
                    business=business,
                    owner=owner,
                    code=_new_code(owner.get_short_name()),
                    created_at=now,
                    expires_at=now + timedelta(days=programme.code_valid_days),
                )
        except IntegrityError:
            existing = ReferralCode.objects.filter(
                business=business, owner=owner, partner__isnull=True
            ).first()
            if existing is not None:
                return existing
    raise Conflict(_("Please try again."), code="busy")


def code_lookup(code: str) -> ReferralCode | None:
    """Any salon's code by its text (a deliberate cross-salon read: links are public)."""
    text = (code or "").strip().upper()
    if not text or len(text) > 32:
        return None
    with scopes_disabled():
        return (
            ReferralCode.objects.select_related("business", "owner", "partner", "campaign")
            .filter(code=text)
            .first()
        )


def code_check(
    *, code: str, business=None, friend=None, now: datetime | None = None
) -> ReferralCode:
    """The code, or the reason it cannot be used (each a clear message)."""
    now = now or timezone.now()
    found = code_lookup(code)
    if found is None:
        refuse(_("This referral code does not exist."), "code", code="code_unknown")
    if business is not None and found.business_id != business.pk:
        refuse(_("This code belongs to another salon."), "code", code="code_other_salon")
    if not found.is_active or (found.expires_at is not None and found.expires_at <= now):
        refuse(_("This referral code has expired."), "code", code="code_expired")
    if friend is not None and friend.is_authenticated and found.owner_id == friend.pk:
        refuse(_("You cannot use your own referral code."), "code", code="code_own")
    with scopes_disabled():
        programme = ReferralProgramme.objects.filter(business_id=found.business_id).first()
        if found.partner_id is None and (programme is None or not programme.is_active):
            refuse(
                _("This salon's referral programme is closed."), "code", code="programme_inactive"
            )
        if found.partner_id is not None and found.partner.status != PartnerStatus.APPROVED:
            refuse(_("This partner code is not active."), "code", code="partner_inactive")
    return found


def click_record(
    *,
    code: ReferralCode,
    ip: str | None,
    user_agent: str,
    device: str,
    referer_host: str = "",
    now: datetime | None = None,
) -> ReferralClick:
    now = now or timezone.now()
    with scopes_disabled(), transaction.atomic():
        click = ReferralClick.objects.create(
            business_id=code.business_id,
            code=code,
            ip=ip,
            agent_hash=fraud.ip_agent_digest(ip, user_agent),
            device=fraud.digest(device) if device else "",
            referer_host=referer_host[:120],
            created_at=now,
        )
        if not code.posted_publicly and fraud.looks_public(
            code=code, referer_host=referer_host, now=now
        ):
            ReferralCode.objects.filter(pk=code.pk).update(posted_publicly=True)
            audit_log(
                action="referrals.code_public",
                business=code.business,
                obj=code,
                data={"referer": referer_host},
            )
    return click


def owner_seen(*, user, ip: str | None, user_agent: str, device: str) -> None:
    """The referrer looked at their referral page: remember the device and address."""
    fraud.fingerprint_record(
        user=user, kind=FingerprintKind.DEVICE, value=fraud.digest(device) if device else ""
    )
    fraud.fingerprint_record(
        user=user, kind=FingerprintKind.IP_AGENT, value=fraud.ip_agent_digest(ip, user_agent)
    )


def code_flag_public(*, business, code_id: int, public: bool, actor=None) -> ReferralCode:
    with transaction.atomic():
        code = ReferralCode.objects.filter(business=business, pk=code_id).first()
        if code is None:
            raise NotFound(_("No such code."))
        code.posted_publicly = public
        code.save(update_fields=["posted_publicly"])
        audit_log(
            action="referrals.code_flagged",
            actor=actor,
            business=business,
            obj=code,
            data={"public": public},
        )
    return code


# --- attaching a booking to a code -------------------------------------------------------


def _existing_client(*, business, friend, appointment) -> bool:
    earlier = Appointment.objects.filter(business=business, status__in=COUNTED_STATUSES).exclude(
        pk=appointment.pk
    )
    same = Q(account=friend) | Q(client_email__iexact=friend.email)
    if friend.phone:
        same |= Q(client_phone=str(friend.phone))
    return earlier.filter(same).exists()


def referral_attach(
    *,
    appointment,
    code: str,
    friend,
    ip: str | None = None,
    user_agent: str = "",
    device: str = "",
    actor=None,
    now: datetime | None = None,
) -> Referral:
    """Attach a friend's booking to a referral code, in the booking's transaction.

    Refused with a message: unknown, expired, own or another salon's code; a
    friend already referred to this salon. Not counted (kept, rejected): an
    existing client. Held for review with reasons: signs of self-referral, a
    burst from one address, a code posted publicly."""
    now = now or timezone.now()
    business = appointment.business
    if appointment.account_id != getattr(friend, "pk", None):
        raise NotFound(_("No such appointment."))
    if appointment.status not in UPCOMING_STATUSES:
        refuse(
            _("Only a visit still to come can use a referral code."),
            "appointment_id",
            code="appointment_closed",
        )
    found = code_check(code=code, business=business, friend=friend, now=now)
    with transaction.atomic():
        earlier = Referral.objects.filter(business=business, friend=friend).first()
        if earlier is not None:
            if earlier.appointment_id == appointment.pk:
                return earlier
            refuse(_("You were already referred to this salon."), "code", code="already_referred")
        programme = programme_for(business=business)
        device_hash = fraud.digest(device) if device else ""
        ip_agent = fraud.ip_agent_digest(ip, user_agent)
        if _existing_client(business=business, friend=friend, appointment=appointment):
            status, reasons = ReferralStatus.REJECTED, ["existing_client"]
        else:
            reasons = fraud.same_person_reasons(
                referrer=found.owner, friend=friend, device=device_hash, ip_agent=ip_agent
            )
            if fraud.burst_from_address(
                business=business, ip=ip, limit=programme.burst_limit, now=now
            ):
                reasons.append("burst_ip")
            if found.posted_publicly:
                reasons.append("public_code")
            status = ReferralStatus.HELD if reasons else ReferralStatus.BOOKED
        try:
            with transaction.atomic():
                referral = Referral.objects.create(
                    business=business,
                    code=found,
                    referrer=found.owner,
                    partner=found.partner,
                    friend=friend,
                    appointment=appointment,
                    status=status,
                    reasons=reasons,
                    ip=ip,
                    agent_hash=ip_agent,
                    device=device_hash,
                    created_at=now,
                )
        except IntegrityError as exc:
            raise Conflict(
                _("You were already referred to this salon."), code="already_referred"
            ) from exc
        fraud.fingerprint_record(user=friend, kind=FingerprintKind.DEVICE, value=device_hash)
        fraud.fingerprint_record(user=friend, kind=FingerprintKind.IP_AGENT, value=ip_agent)
        if status != ReferralStatus.REJECTED:
            source = Source.PARTNER if found.partner_id else Source.REFERRAL
            attribution = (
                f"campaign:{found.campaign_id}:{found.code}"
                if found.campaign_id
                else f"code:{found.code}"
            )
            Appointment.objects.filter(pk=appointment.pk).update(
                source=source, attribution=attribution[:64]
            )
            appointment.source, appointment.attribution = source, attribution[:64]
        if status == ReferralStatus.BOOKED:
            _reward_friend(referral, programme, now=now)
        audit_log(
            action="referrals.attached",
            actor=actor,
            business=business,
            obj=referral,
            data={"status": status, "reasons": reasons},
        )
        outbox_emit(
            topic="referral.attached",
            business=business,
            payload={"referral_id": referral.pk, "status": status},
        )
    return referral


# --- rewards -------------------------------------------------------------------------------


def _reward_friend(
    referral: Referral, programme: ReferralProgramme, *, now: datetime
) -> Reward | None:
    if referral.partner_id is not None and not programme.is_active:
        return None  # a partner's friend gets the salon's welcome only when its programme runs
    return _reward_create(
        referral,
        RewardRole.FRIEND,
        referral.friend,
        programme.friend_reward_kind,
        programme.friend_reward_value,
        available_at=now,
        now=now,
    )


def _reward_create(
    referral: Referral,
    role: str,
    beneficiary,
    kind: str,
    value: int,
    *,
    available_at: datetime,
    now: datetime,
) -> Reward | None:
    if value <= 0:
        return None
    try:
        with transaction.atomic():
            reward = Reward.objects.create(
                business=referral.business,
                referral=referral,
                role=role,
                beneficiary=beneficiary,
                kind=kind,
                value=value,
                currency=referral.business.currency,
                available_at=available_at,
                created_at=now,
            )
    except IntegrityError:
        return None  # rewarded already: once per (referral, role)
    if kind == RewardKind.WALLET or reward.available_at <= now:
        _reward_grant(reward, now=now)
    return reward


def _reward_grant(reward: Reward, *, now: datetime) -> None:
    """Write the reward's value: wallet credit at once (spendable from
    `available_at`); points and vouchers once the review period is over."""
    business = reward.business
    memo = _("Referral reward")
    # Rewards land on the beneficiary's card at the salon (found or created):
    # the desk sees them and the client spends them there, with or without signing in.
    card = loyalty.card_for_account(business=business, user=reward.beneficiary)
    if reward.kind == RewardKind.WALLET:
        kind = (
            WalletKind.FRIEND_REWARD
            if reward.role == RewardRole.FRIEND
            else WalletKind.REFERRAL_REWARD
        )
        loyalty.wallet_credit(
            client=card,
            amount=reward.value,
            currency=reward.currency,
            kind=kind,
            key=f"reward:{reward.pk}",
            available_at=reward.available_at,
            appointment=reward.referral.appointment,
            memo=business.name,
            now=now,
        )
        _ledger(
            business=business,
            kind="referral_reward",
            memo=memo,
            currency=reward.currency,
            key=f"referral-reward:{reward.pk}",
            reference=f"referral:{reward.referral_id}",
            lines=[
                ("expenses:referral-rewards", reward.value, None),
                ("wallet_credit", -reward.value, reward.beneficiary),
            ],
        )
    elif reward.kind == RewardKind.POINTS:
        loyalty.points_grant(
            business=business,
            client=card,
            points=reward.value,
            kind=PointsKind.REFERRAL,
            key=f"reward:{reward.pk}",
            now=now,
            memo=str(memo),
        )
    else:
        Voucher.objects.get_or_create(
            business=business,
            reward=reward,
            defaults={
                "client": card,
                "amount": reward.value,
                "currency": reward.currency,
                "available_at": reward.available_at,
                "expires_at": now + timedelta(days=365),
                "created_at": now,
            },
        )
    Reward.objects.filter(pk=reward.pk, granted_at__isnull=True).update(granted_at=now)
    reward.granted_at = now


def _lock_referrer(referrer_id: int) -> None:
    # Caps are counted under the referrer's row lock: two friends' visits
    # paid at once cannot both take the last reward of the month.
    with scopes_disabled():
        list(User.objects.select_for_update().filter(pk=referrer_id).values_list("pk", flat=True))


def _reward_referrer(referral: Referral, *, now: datetime) -> None:
    programme = programme_for(business=referral.business)
    if referral.partner_id is not None:
        referral.status = ReferralStatus.REWARDED  # partners earn commission instead
        referral.save(update_fields=["status"])
        return
    _lock_referrer(referral.referrer_id)
    given = Reward.objects.filter(
        business=referral.business,
        beneficiary_id=referral.referrer_id,
        role=RewardRole.REFERRER,
        clawed_back_at__isnull=True,
    )
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    reason = None
    if given.count() >= programme.lifetime_cap:
        reason = "cap_lifetime"
    elif given.filter(created_at__gte=month_start).count() >= programme.monthly_cap:
        reason = "cap_monthly"
    if reason:
        referral.status, referral.reasons = ReferralStatus.CAPPED, [*referral.reasons, reason]
        referral.save(update_fields=["status", "reasons"])
        return
    _reward_create(
        referral,
        RewardRole.REFERRER,
        referral.referrer,
        programme.referrer_reward_kind,
        programme.referrer_reward_value,
        available_at=now + timedelta(days=programme.review_days),
        now=now,
    )
    referral.status = ReferralStatus.REWARDED
    referral.save(update_fields=["status"])
    outbox_emit(
        topic="referral.rewarded", business=referral.business, payload={"referral_id": referral.pk}
    )


def referral_visit_paid(
    *, appointment, paid_amount: int, payment_fingerprint: str = "", now: datetime | None = None
) -> Referral | None:
    """A referred friend's visit was completed and paid (finance's checkout, or
    an explicit call). The first one rewards the referrer; every one may earn a
    partner commission. Safe to call twice."""
    now = now or timezone.now()
    if appointment.account_id is None:
        return None
    business = appointment.business
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .filter(business=business, friend_id=appointment.account_id)
            .select_related("partner", "business")
            .first()
        )
        if referral is None or referral.status == ReferralStatus.REJECTED:
            return referral
        appointment.status = (
            Appointment.objects.filter(pk=appointment.pk).values_list("status", flat=True).first()
        )
        if appointment.status != Status.COMPLETED:
            refuse(_("The visit is not completed yet."), code="visit_not_completed")
        first = referral.appointment_id == appointment.pk or (
            referral.appointment_id is None and referral.paid_at is None
        )
        if first and referral.paid_at is None:
            referral.paid_amount, referral.paid_at, referral.appointment = (
                paid_amount,
                now,
                appointment,
            )
            if payment_fingerprint:
                value = fraud.digest(payment_fingerprint)
                if not referral.household_exception and fraud.seen_with(
                    referral.referrer, FingerprintKind.PAYMENT, value
                ):
                    referral.reasons = [*referral.reasons, "self_payment"]
                    referral.status = ReferralStatus.HELD
                fraud.fingerprint_record(
                    user=referral.friend, kind=FingerprintKind.PAYMENT, value=value
                )
            referral.save(
                update_fields=["paid_amount", "paid_at", "appointment", "reasons", "status"]
            )
            if referral.status == ReferralStatus.BOOKED:
                _reward_referrer(referral, now=now)
        if referral.partner_id and referral.status not in (
            ReferralStatus.HELD,
            ReferralStatus.REJECTED,
        ):
            _commission(referral, appointment, paid_amount, now=now)
    return referral


def payment_seen(*, user, fingerprint: str) -> None:
    """A client paid with a card (finance): remember it for self-referral checks."""
    if fingerprint:
        fraud.fingerprint_record(
            user=user, kind=FingerprintKind.PAYMENT, value=fraud.digest(fingerprint)
        )


def referral_payment_refunded(*, appointment, now: datetime | None = None) -> Referral | None:
    """The friend's first visit was refunded: the referrer's reward is taken
    back (once), and any partner commission on that visit."""
    now = now or timezone.now()
    business = appointment.business
    with transaction.atomic():
        Commission.objects.filter(
            business=business, appointment=appointment, clawed_back_at__isnull=True
        ).update(clawed_back_at=now)
        referral = (
            Referral.objects.select_for_update()
            .filter(business=business, appointment=appointment)
            .first()
        )
        if referral is None:
            return None
        reward = (
            Reward.objects.select_for_update()
            .filter(referral=referral, role=RewardRole.REFERRER, clawed_back_at__isnull=True)
            .first()
        )
        if reward is not None:
            _reward_take_back(reward, now=now)
        if referral.status in (
            ReferralStatus.REWARDED,
            ReferralStatus.CAPPED,
            ReferralStatus.BOOKED,
            ReferralStatus.HELD,
        ):
            referral.status = ReferralStatus.CLAWED_BACK
            referral.save(update_fields=["status"])
            audit_log(action="referrals.clawed_back", business=business, obj=referral)
    return referral


def _reward_take_back(reward: Reward, *, now: datetime) -> None:
    business = reward.business
    if reward.granted_at is not None:
        if reward.kind == RewardKind.WALLET:
            taken = loyalty.wallet_clawback(
                credit_key=f"reward:{reward.pk}", key=f"clawback:{reward.pk}", now=now
            )
            if taken is not None:
                _ledger(
                    business=business,
                    kind="referral_clawback",
                    memo=_("Referral reward withdrawn"),
                    currency=reward.currency,
                    key=f"referral-clawback:{reward.pk}",
                    reference=f"referral:{reward.referral_id}",
                    lines=[
                        ("wallet_credit", -taken.amount, reward.beneficiary),
                        ("expenses:referral-rewards", taken.amount, None),
                    ],
                )
        elif reward.kind == RewardKind.POINTS:
            loyalty.points_take_back(
                business=business,
                client=loyalty.card_for_account(business=business, user=reward.beneficiary),
                points=reward.value,
                key=f"clawback:{reward.pk}",
                now=now,
            )
        else:
            Voucher.objects.filter(
                reward=reward, used_at__isnull=True, void_at__isnull=True
            ).update(void_at=now)
    Reward.objects.filter(pk=reward.pk).update(clawed_back_at=now)


def rewards_release_due(*, now: datetime | None = None) -> int:
    """The periodic job: points and vouchers whose review period is over."""
    now = now or timezone.now()
    released = 0
    with scopes_disabled():
        due = list(
            Reward.objects.filter(
                granted_at__isnull=True, clawed_back_at__isnull=True, available_at__lte=now
            ).select_related("business", "beneficiary", "referral")
        )
    for reward in due:
        with scopes_disabled(), transaction.atomic():
            if (
                Reward.objects.select_for_update()
                .filter(pk=reward.pk, granted_at__isnull=True, clawed_back_at__isnull=True)
                .exists()
            ):
                _reward_grant(reward, now=now)
                released += 1
    return released


def voucher_redeem(
    *, business, client, voucher_id: int, appointment=None, now: datetime | None = None
) -> Voucher:
    """Use a card's discount voucher once (a conditional update: two at once, one wins)."""
    now = now or timezone.now()
    with transaction.atomic():
        voucher = Voucher.objects.filter(business=business, client=client, pk=voucher_id).first()
        if voucher is None:
            raise NotFound(_("No such voucher."))
        if voucher.void_at or (voucher.expires_at and voucher.expires_at <= now):
            refuse(_("This voucher is no longer valid."), code="voucher_invalid")
        if voucher.available_at > now:
            refuse(_("This voucher is still in its review period."), code="voucher_pending")
        used = Voucher.objects.filter(pk=voucher.pk, used_at__isnull=True).update(
            used_at=now, appointment=appointment
        )
        if not used:
            raise Conflict(_("This voucher was already used."), code="voucher_used")
        voucher.refresh_from_db()
    return voucher


# --- the review queue ------------------------------------------------------------------------


def referral_review(
    *,
    business,
    referral_id: int,
    approve: bool,
    household: bool = False,
    actor=None,
    now: datetime | None = None,
) -> Referral:
    """A salon decides a held referral: approve (optionally as a household,
    which waives the same-person signs) or reject."""
    now = now or timezone.now()
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update()
            .filter(business=business, pk=referral_id)
            .select_related("business")
            .first()
        )
        if referral is None:
            raise NotFound(_("No such referral."))
        if referral.status != ReferralStatus.HELD:
            refuse(_("Only a referral held for review can be decided."), code="not_held")
        if approve:
            blocking = (
                [r for r in referral.reasons if r not in fraud.HOUSEHOLD_WAIVABLE]
                if household
                else []
            )
            if household and blocking:
                refuse(
                    _("A household exception does not cover: %(reasons)s.")
                    % {"reasons": ", ".join(fraud.reason_labels(blocking))},
                    code="not_household",
                )
            referral.status, referral.household_exception = ReferralStatus.BOOKED, household
        else:
            referral.status = ReferralStatus.REJECTED
        referral.reviewed_by = actor if actor is not None and actor.is_authenticated else None
        referral.reviewed_at = now
        referral.save(update_fields=["status", "household_exception", "reviewed_by", "reviewed_at"])
        if approve:
            _reward_friend(referral, programme_for(business=business), now=now)
            if referral.paid_at is not None:
                _reward_referrer(referral, now=now)
                if referral.partner_id and referral.appointment_id:
                    _commission(referral, referral.appointment, referral.paid_amount or 0, now=now)
        audit_log(
            action="referrals.reviewed",
            actor=actor,
            business=business,
            obj=referral,
            data={"approve": approve, "household": household},
        )
    return referral


# --- partners ----------------------------------------------------------------------------------


def partner_signup(
    *, business, user, name: str, website: str = "", now: datetime | None = None
) -> Partner:
    if not (name or "").strip():
        refuse(_("Enter your name or your brand's."), "name")
    name = clean_name(name, field="name")
    try:
        with transaction.atomic():
            partner = Partner.objects.create(
                business=business, user=user, name=name[:120], website=website
            )
            audit_log(action="referrals.partner_signup", actor=user, business=business, obj=partner)
    except IntegrityError as exc:
        raise Conflict(
            _("You have already applied to this salon's partner programme."), code="already_partner"
        ) from exc
    return partner


def partner_decide(
    *,
    business,
    partner_id: int,
    approve: bool,
    actor=None,
    now: datetime | None = None,
    **commission,
) -> Partner:
    """The salon (or platform staff) approves or rejects a partner, and sets the commission rule."""
    now = now or timezone.now()
    allowed = {"commission_kind", "commission_percent", "commission_months", "commission_fixed"}
    if set(commission) - allowed:
        raise TypeError("unknown commission fields")
    if (
        "commission_kind" in commission
        and commission["commission_kind"] not in CommissionKind.values
    ):
        refuse(_("Choose a commission rule."), "commission_kind")
    with transaction.atomic():
        partner = (
            Partner.objects.select_for_update().filter(business=business, pk=partner_id).first()
        )
        if partner is None:
            raise NotFound(_("No such partner."))
        for name, value in commission.items():
            setattr(partner, name, value)
        partner.status = PartnerStatus.APPROVED if approve else PartnerStatus.REJECTED
        partner.decided_by = actor if actor is not None and actor.is_authenticated else None
        partner.decided_at = now
        partner.save()
        if approve and not partner.campaigns.exists():
            campaign_create(business=business, partner=partner, name="default", now=now)
        ReferralCode.objects.filter(partner=partner).update(is_active=approve)
        audit_log(
            action="referrals.partner_decided",
            actor=actor,
            business=business,
            obj=partner,
            data={"approve": approve},
        )
    return partner


def campaign_create(
    *, business, partner: Partner, name: str, now: datetime | None = None
) -> Campaign:
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        refuse(_("Name the campaign."), "name")
    if partner.status != PartnerStatus.APPROVED:
        refuse(_("Your partnership is not approved yet."), code="partner_inactive")
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(business=business, partner=partner, name=name[:80])
            for _attempt in range(5):
                try:
                    with transaction.atomic():
                        ReferralCode.objects.create(
                            business=business,
                            owner=partner.user,
                            partner=partner,
                            campaign=campaign,
                            code=_new_code(partner.name),
                            created_at=now,
                        )
                    break
                except IntegrityError:
                    continue
    except IntegrityError as exc:
        raise Conflict(_("You already have a campaign with this name."), code="duplicate") from exc
    return campaign


def _commission(
    referral: Referral, appointment, paid_amount: int, *, now: datetime
) -> Commission | None:
    partner = referral.partner
    first = referral.appointment_id == appointment.pk
    if partner.commission_kind == CommissionKind.FIXED:
        amount = partner.commission_fixed if first else 0
    elif partner.commission_kind == CommissionKind.PERCENT_FIRST_VISIT:
        amount = paid_amount * partner.commission_percent // 100 if first else 0
    else:
        started = referral.paid_at or now
        within = (
            appointment.starts_at < started + timedelta(days=30 * partner.commission_months)
            or first
        )
        amount = paid_amount * partner.commission_percent // 100 if within else 0
    if amount <= 0:
        return None
    try:
        with transaction.atomic():
            return Commission.objects.create(
                business=referral.business,
                partner=partner,
                referral=referral,
                appointment=appointment,
                amount=amount,
                currency=appointment.currency,
                earned_at=now,
            )
    except IntegrityError:
        return None  # once per (partner, visit)


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    from datetime import UTC

    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    end = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def statement_close(
    *, business, partner_id: int, month: date, actor=None, now: datetime | None = None
) -> Statement:
    """The month's statement: commissions earned in it (not taken back), minus
    commissions taken back after an earlier statement was paid. Once per month."""
    now = now or timezone.now()
    month = month.replace(day=1)
    start, end = _month_bounds(month)
    if end > now:
        refuse(_("A month can be closed once it is over."), "month", code="month_open")
    with transaction.atomic():
        partner = (
            Partner.objects.select_for_update().filter(business=business, pk=partner_id).first()
        )
        if partner is None:
            raise NotFound(_("No such partner."))
        if Statement.objects.filter(partner=partner, month=month).exists():
            raise Conflict(_("This month's statement already exists."), code="duplicate")
        earned = Commission.objects.filter(
            partner=partner,
            statement__isnull=True,
            clawed_back_at__isnull=True,
            earned_at__gte=start,
            earned_at__lt=end,
        )
        deducted = Commission.objects.filter(
            partner=partner,
            statement__paid_at__isnull=False,
            clawed_back_at__isnull=False,
            deducted_in__isnull=True,
        )
        total = (earned.aggregate(s=Sum("amount"))["s"] or 0) - (
            deducted.aggregate(s=Sum("amount"))["s"] or 0
        )
        statement = Statement.objects.create(
            business=business,
            partner=partner,
            month=month,
            total=total,
            currency=business.currency,
            created_at=now,
        )
        earned.update(statement=statement)
        deducted.update(deducted_in=statement)
        audit_log(
            action="referrals.statement_closed",
            actor=actor,
            business=business,
            obj=statement,
            data={"total": total},
        )
    return statement


def statement_pay(
    *, business, statement_id: int, reference: str = "", actor=None, now: datetime | None = None
) -> Statement:
    """Record the payout of a statement, once, in the salon's ledger."""
    now = now or timezone.now()
    with transaction.atomic():
        statement = (
            Statement.objects.select_for_update(of=("self",))
            .filter(business=business, pk=statement_id)
            .select_related("partner")
            .first()
        )
        if statement is None:
            raise NotFound(_("No such statement."))
        if statement.paid_at is not None:
            raise Conflict(_("This statement is already paid."), code="already_paid")
        if statement.total <= 0:
            refuse(_("Nothing is owed on this statement."), code="nothing_owed")
        statement.paid_at, statement.paid_by, statement.payout_reference = (
            now,
            actor if actor is not None and actor.is_authenticated else None,
            reference[:120],
        )
        statement.save(update_fields=["paid_at", "paid_by", "payout_reference"])
        _ledger(
            business=business,
            kind="partner_payout",
            memo=_("Partner commission: %(name)s") % {"name": statement.partner.name},
            currency=statement.currency,
            key=f"partner-statement:{statement.pk}",
            reference=f"statement:{statement.pk}",
            lines=[
                ("expenses:partner-commissions", statement.total, None),
                ("bank", -statement.total, None),
            ],
        )
        audit_log(
            action="referrals.statement_paid",
            actor=actor,
            business=business,
            obj=statement,
            data={"total": statement.total},
        )
    return statement


# --- salon refers salon ---------------------------------------------------------------------------


def salon_invite_create(
    *, business, email: str, actor=None, now: datetime | None = None
) -> SalonInvite:
    now = now or timezone.now()
    email = (email or "").strip().lower()
    if "@" not in email:
        refuse(_("Enter a valid e-mail address."), "email")
    with transaction.atomic():
        invite = SalonInvite.objects.create(
            inviter=business,
            email=email,
            code=_new_code("SALON"),
            credit_amount=SALON_INVITE_CREDIT.get(business.currency, 5000),
            currency=business.currency,
            created_at=now,
        )
        audit_log(
            action="referrals.salon_invited",
            actor=actor,
            business=business,
            obj=invite,
            data={"email": email},
        )
    return invite


def salon_invite_accept(
    *, business, code: str, actor=None, now: datetime | None = None
) -> SalonInvite:
    """A new business says which salon invited it."""
    now = now or timezone.now()
    with transaction.atomic():
        invite = (
            SalonInvite.objects.select_for_update()
            .filter(code=(code or "").strip().upper())
            .first()
        )
        if invite is None:
            refuse(_("This invitation code does not exist."), "code", code="code_unknown")
        if invite.inviter_id == business.pk:
            refuse(_("A salon cannot invite itself."), "code", code="code_own")
        if invite.invitee_id is not None:
            refuse(_("This invitation was already used."), "code", code="invite_used")
        if business.created_at < invite.created_at:
            refuse(
                _("Only a business new to the platform can use an invitation."),
                "code",
                code="not_new",
            )
        if SalonInvite.objects.filter(invitee=business).exists():
            refuse(_("Your business already used an invitation."), "code", code="invite_used")
        invite.invitee, invite.accepted_at = business, now
        invite.save(update_fields=["invitee", "accepted_at"])
        audit_log(
            action="referrals.salon_invite_accepted", actor=actor, business=business, obj=invite
        )
    return invite


def salon_went_live(*, invite_id: int, actor=None, now: datetime | None = None) -> SalonInvite:
    """The invited salon is live: subscription credit for both, once, in the platform's books."""
    now = now or timezone.now()
    with transaction.atomic():
        invite = (
            SalonInvite.objects.select_for_update(of=("self",))
            .select_related("inviter", "invitee")
            .filter(pk=invite_id)
            .first()
        )
        if invite is None:
            raise NotFound(_("No such invitation."))
        if invite.invitee_id is None:
            refuse(_("No business has used this invitation yet."), code="invite_unused")
        if invite.live_at is None:
            invite.live_at = now
            invite.save(update_fields=["live_at"])
        for business in (invite.inviter, invite.invitee):
            credit, created = SubscriptionCredit.objects.get_or_create(
                invite=invite,
                business=business,
                defaults={
                    "amount": invite.credit_amount,
                    "currency": invite.currency,
                    "created_at": now,
                },
            )
            if created:
                _ledger(
                    business=None,
                    kind="subscription_credit",
                    memo=_("Subscription credit: %(name)s") % {"name": business.name},
                    currency=invite.currency,
                    key=f"salon-invite:{invite.pk}:{business.pk}",
                    reference=f"business:{business.pk}",
                    lines=[
                        ("subscriptions", credit.amount, None),
                        ("receivables", -credit.amount, None),
                    ],
                )
        audit_log(action="referrals.salon_live", actor=actor, business=invite.invitee, obj=invite)
    return invite


def salon_invites_settle(*, now: datetime | None = None) -> int:
    """The periodic job: an invited business is live once it has completed a visit."""
    now = now or timezone.now()
    settled = 0
    with scopes_disabled():
        waiting = list(
            SalonInvite.objects.filter(invitee__isnull=False, live_at__isnull=True).values_list(
                "pk", "invitee_id"
            )
        )
        for invite_id, business_id in waiting:
            if Appointment.objects.filter(
                business_id=business_id, status=Status.COMPLETED
            ).exists():
                salon_went_live(invite_id=invite_id, now=now)
                settled += 1
    return settled
