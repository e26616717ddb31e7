"""Every write of commissions: first touches, commission lines (computed,
reversed), disputes. A charged line reaches the salon's next invoice through
`billing.services.charge_record` (a negative amount is a credit: a line
reversed after invoicing becomes a credit note, the invoice is never edited);
the invoice posts both books when issued (the salon's `platform_fees` against
`payables`, the platform's `receivables` against `commission_income`) and the
line becomes `invoiced` (`line_invoiced`)."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.billing import selectors as billing_selectors
from solibook.billing import services as billing
from solibook.booking.models import Appointment, Source, Status, WaitlistEntry
from solibook.commissions.models import (
    OWN_TOUCHES,
    CommissionLine,
    Dispute,
    ExemptReason,
    LineKind,
    LineStatus,
    Touch,
    TouchKind,
    WaitlistTouch,
)
from solibook.commissions.rules import rules
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, NotFound, ValidationFailed
from solibook.finance.models import Checkout, CheckoutLine, Payment
from solibook.marketplace import promotions as promotion_days
from solibook.marketplace.models import Promotion
from solibook.referrals.selectors import commission_exempt

LINE_SOURCE = "commissions.line:"  # + the line's id: `CommissionLine.source_key`
# The first touch kept in the visitor's session by the marketplace pages
# (see `touch_from_session`): {"<business id>": {"kind", "at", "promotion"}}.
SESSION_KEY = "first_touches"
# A booking page opened with ?via=link or ?via=widget is the salon's own channel.
OWN_VIA = {"link": TouchKind.OWN_LINK, "widget": TouchKind.WIDGET}
VISITED_STATUSES = (
    Status.CONFIRMED,
    Status.ARRIVED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.NO_SHOW,
)
OWN_SOURCES = (
    Source.BOOKING_LINK,
    Source.WIDGET,
    Source.BACK_OFFICE,
    Source.REFERRAL,
    Source.PARTNER,
)


# --- first touch -----------------------------------------------------------------


def touch_seen(*, session, business_id: int, via: str = "", now=None) -> str:
    """A marketplace page of the salon was opened (`via`: what the link said:
    "search", "promoted.<id>", "link", "widget"; nothing: the salon page itself).
    The visitor's first touch with the salon is kept in the session (later
    pages do not overwrite it); a promoted link counts a click each time."""
    now = now or timezone.now()
    via = (via or "")[:40]
    promotion_id = None
    if via.startswith("promoted."):
        number = via.removeprefix("promoted.")
        promotion_id = int(number) if number.isdigit() and len(number) < 12 else None
        counted = promotion_id is not None and promotion_click(
            promotion_id=promotion_id, business_id=business_id, now=now
        )
        kind = TouchKind.PROMOTED if counted else TouchKind.SEARCH
    elif via == "search":
        kind = TouchKind.SEARCH
    elif via in OWN_VIA:
        kind = OWN_VIA[via]
    else:
        kind = TouchKind.SALON_PAGE
    touches = dict(session.get(SESSION_KEY) or {})
    key = str(business_id)
    if key not in touches:
        touches[key] = {
            "kind": str(kind),
            "at": now.isoformat(),
            "promotion": promotion_id if kind == TouchKind.PROMOTED else None,
        }
        session[SESSION_KEY] = dict(list(touches.items())[-50:])
    return touches[key]["kind"]


def promotion_click(*, promotion_id: int, business_id: int, now: datetime | None = None) -> bool:
    """A visitor followed a promoted result of this salon (counted; never charged)."""
    with scopes_disabled():
        if not Promotion.objects.filter(pk=promotion_id, business_id=business_id).exists():
            return False
    promotion_days.count([promotion_id], (now or timezone.now()).date(), "clicks")
    return True


def _kept_touch(*, business_id: int, source: str, session, now) -> tuple[str, datetime, int | None]:
    """The first touch kept in the session by `touch_seen` for this salon
    (none: the salon page itself), checked: a promoted placement must be this
    salon's own; a referral or partner booking says so itself."""
    kept = (session.get(SESSION_KEY) or {}).get(str(business_id)) if session else None
    promotion_id = None
    if source in (Source.REFERRAL, Source.PARTNER):
        kind, at = TouchKind(source), now
    elif kept:
        kind = kept.get("kind") if kept.get("kind") in TouchKind.values else TouchKind.SALON_PAGE
        try:
            at = datetime.fromisoformat(kept.get("at", ""))
        except (TypeError, ValueError):
            at = now
        if at.tzinfo is None or at > now:
            at = now
        promotion_id = kept.get("promotion") if kind == TouchKind.PROMOTED else None
    else:
        kind, at = TouchKind.SALON_PAGE, now
    if kind == TouchKind.PROMOTED:
        with scopes_disabled():
            if not Promotion.objects.filter(
                pk=promotion_id or 0, business_id=business_id
            ).exists():  # another salon's placement or a made-up id
                kind, promotion_id = TouchKind.SEARCH, None
    return kind, at, promotion_id


def touch_record(*, appointment: Appointment, session=None, now=None) -> Touch:
    """Store, with the booking, how its client first reached the salon (the
    touch kept in the session by `touch_seen`; none: the salon page itself).
    Every way of booking from the marketplace calls it: the wizard, a class
    seat, each visit of a recurring series (a waitlist offer copies the
    entry's touch, `touch_from_waitlist`)."""
    now = now or timezone.now()
    kind, at, promotion_id = _kept_touch(
        business_id=appointment.business_id, source=appointment.source, session=session, now=now
    )
    with scopes_disabled():  # the wizard runs outside any back-office scope
        touch, _created = Touch.objects.get_or_create(
            appointment=appointment,
            defaults={
                "business_id": appointment.business_id,
                "kind": kind,
                "touched_at": at,
                "promotion_id": promotion_id,
            },
        )
    return touch


def touch_record_waitlist(*, entry: WaitlistEntry, session=None, now=None) -> WaitlistTouch:
    """Keep, with a waitlist entry, how its client first reached the salon:
    the offer comes later, made by a task that has no session."""
    now = now or timezone.now()
    kind, at, promotion_id = _kept_touch(
        business_id=entry.business_id, source=Source.MARKETPLACE, session=session, now=now
    )
    with scopes_disabled():
        touch, _created = WaitlistTouch.objects.get_or_create(
            entry=entry,
            defaults={
                "business_id": entry.business_id,
                "kind": kind,
                "touched_at": at,
                "promotion_id": promotion_id,
            },
        )
    return touch


def touch_from_waitlist(*, appointment: Appointment) -> Touch | None:
    """A waitlist offer being confirmed: its first touch is the one kept with
    the entry it was offered to (None: not an offer, or already recorded)."""
    with scopes_disabled():
        if Touch.objects.filter(appointment=appointment).exists():
            return None
        kept = (
            WaitlistTouch.objects.filter(entry__offer=appointment)
            .order_by("-entry__created_at")
            .first()
        )
        if kept is None:
            return None
        touch, _created = Touch.objects.get_or_create(
            appointment=appointment,
            defaults={
                "business_id": appointment.business_id,
                "kind": kept.kind,
                "touched_at": kept.touched_at,
                "promotion_id": kept.promotion_id,
            },
        )
    return touch


# --- ledger and billing -------------------------------------------------------------


def book_charge(
    *,
    business,
    amount: int,
    currency: str,
    charge_kind: str,
    description: str,
    source: str,
    reverses: str = "",
) -> None:
    """One charge (or credit, negative) of the platform to a salon, once per
    `source`: on its next invoice, which posts both books when it is issued
    (a reversal of an invoiced charge is a credit note at once)."""
    if amount == 0:
        return
    billing.charge_record(
        business=business,
        kind=charge_kind,
        amount=amount,
        currency=currency,
        description=description,
        source=source,
        reverses=reverses,
    )


def _commission_booked(line: CommissionLine, amount: int, step: str) -> None:
    book_charge(
        business=line.business,
        amount=amount,
        currency=line.currency,
        charge_kind="commission",
        description=(
            _("Commission, visit of %(day)s") % {"day": line.occurred_at.date().isoformat()}
            if amount > 0
            else _("Commission reversed, visit of %(day)s")
            % {"day": line.occurred_at.date().isoformat()}
        ),
        source=line.source_key if step == "charge" else f"{line.source_key}:{step}",
        reverses="" if step == "charge" else line.source_key,
    )


# --- the decision -------------------------------------------------------------------


def _rate_of(business, category_slug: str) -> int:
    """The settings' category rate, else the plan's (its category override first)."""
    rule = rules()
    if category_slug in rule.category_rates_bp:
        return int(rule.category_rates_bp[category_slug])
    plan = billing_selectors.plan_of(business)
    return int(plan.commission_rate_bp_for(category_slug or None))


def _client_filter(appointment: Appointment) -> Q | None:
    matches = Q()
    if appointment.account_id:
        matches |= Q(account_id=appointment.account_id)
    if appointment.client_card_id:
        matches |= Q(client_card_id=appointment.client_card_id)
    return matches or None


def history_of(appointment: Appointment) -> dict:
    """The client's earlier visits at this salon (before this one), by channel,
    and the last commission charged for them."""
    matches = _client_filter(appointment)
    if matches is None:
        return {"earlier_visits": 0, "own_channel_visits": 0, "marketplace_visits": 0}
    with scopes_disabled():
        earlier = list(
            Appointment.objects.filter(matches, business_id=appointment.business_id)
            .filter(starts_at__lt=appointment.starts_at, status__in=VISITED_STATUSES)
            .exclude(pk=appointment.pk)
            .values_list("source", "starts_at")
        )
        charged = (
            CommissionLine.objects.filter(matches, business_id=appointment.business_id)
            .exclude(appointment=appointment)
            .filter(
                amount__gt=0,
                status__in=[LineStatus.PENDING, LineStatus.INVOICED, LineStatus.DISPUTED],
            )
            .order_by("-occurred_at")
            .values_list("occurred_at", flat=True)
            .first()
        )
    own = [s for s, _at in earlier if s in OWN_SOURCES]
    return {
        "earlier_visits": len(earlier),
        "own_channel_visits": len(own),
        "marketplace_visits": len(earlier) - len(own),
        "first_visit_at": min(at for _s, at in earlier).isoformat() if earlier else None,
        "last_visit_at": max(at for _s, at in earlier).isoformat() if earlier else None,
        "last_charged_at": charged.isoformat() if charged else None,
    }


def _exempt_reason(appointment, touch_kind: str, history: dict, now) -> str:
    rule = rules()
    if touch_kind in OWN_TOUCHES or commission_exempt(appointment):
        return ExemptReason.OWN_CHANNEL
    if history["own_channel_visits"]:
        return ExemptReason.EARLIER_OWN_CLIENT
    last = history.get("last_charged_at")
    if last:
        window = timedelta(days=round(rule.repeat_after_months * 30.44))
        if rule.repeat_after_months == 0 or datetime.fromisoformat(last) > now - window:
            return ExemptReason.ALREADY_CHARGED
        return ""
    if rule.new_clients_only and history["earlier_visits"]:
        return ExemptReason.RETURNING_CLIENT
    return ""


def _breakdown(business, service_lines) -> list[dict]:
    by_category: dict[str, int] = {}
    for slug, net in service_lines:
        by_category[slug or ""] = by_category.get(slug or "", 0) + int(net)
    rows = []
    for slug, base in sorted(by_category.items()):
        rate = _rate_of(business, slug)
        rows.append(
            {
                "category": slug,
                "base": base,
                "rate_bp": rate,
                "amount": (base * rate + 5000) // 10000,
            }
        )
    return rows


def commission_for_checkout(*, checkout: Checkout, now: datetime | None = None):
    """The commission line of a paid visit booked through the marketplace
    (once per visit; None for visits booked elsewhere). Exempt visits get a
    line with amount 0 and the reason, so the salon sees each decision."""
    appointment = checkout.appointment
    if appointment is None or appointment.source != Source.MARKETPLACE:
        return None
    service_lines = CheckoutLine.objects.filter(
        checkout=checkout, kind=CheckoutLine.Kind.SERVICE
    ).values_list("service__category__slug", "net_amount")
    return _line_record(
        appointment=appointment,
        kind=LineKind.VISIT,
        breakdown=_breakdown(checkout.business, service_lines),
        currency=checkout.currency,
        now=now or checkout.created_at or timezone.now(),
        checkout=checkout,
    )


def commission_for_fee(*, payment: Payment, now: datetime | None = None):
    """A no-show fee captured from a marketplace client counts as the visit."""
    appointment = payment.appointment
    if (
        appointment is None
        or appointment.source != Source.MARKETPLACE
        or appointment.status != Status.NO_SHOW
        or payment.purpose != Payment.Purpose.FEE
        or payment.state != Payment.State.CAPTURED
    ):
        return None
    slug = (
        appointment.items.order_by("position").values_list("service__category__slug", flat=True)
    ).first()
    return _line_record(
        appointment=appointment,
        kind=LineKind.NO_SHOW_FEE,
        breakdown=_breakdown(appointment.business, [(slug or "", int(payment.amount_captured))]),
        currency=payment.currency,
        now=now or timezone.now(),
        payment=payment,
    )


def _line_record(
    *, appointment, kind, breakdown, currency, now, checkout=None, payment=None
) -> CommissionLine:
    business = appointment.business
    with transaction.atomic():
        existing = CommissionLine.objects.filter(appointment=appointment, kind=kind).first()
        if existing is not None:
            return existing
        touch = Touch.objects.filter(appointment=appointment).first()
        touch_kind = touch.kind if touch else TouchKind.SALON_PAGE
        base = sum(r["base"] for r in breakdown)
        history = history_of(appointment)
        reason = _exempt_reason(appointment, touch_kind, history, now) or (
            ExemptReason.NOTHING_PAID if base <= 0 else ""
        )
        amount = 0 if reason else sum(r["amount"] for r in breakdown)
        if len(breakdown) == 1:
            rate = breakdown[0]["rate_bp"]
        else:
            rate = sum(r["amount"] for r in breakdown) * 10000 // base if base > 0 else 0
        try:
            with transaction.atomic():
                line = CommissionLine.objects.create(
                    business=business,
                    appointment=appointment,
                    checkout=checkout,
                    payment=payment,
                    kind=kind,
                    account_id=appointment.account_id,
                    client_card_id=appointment.client_card_id,
                    base_amount=max(base, 0),
                    rate_bp=rate,
                    amount=amount,
                    currency=currency,
                    status=LineStatus.EXEMPT if reason or amount == 0 else LineStatus.PENDING,
                    exempt_reason=reason,
                    touch_kind=touch_kind,
                    touched_at=touch.touched_at if touch else appointment.created_at,
                    promotion_id_seen=touch.promotion_id if touch else None,
                    history=history,
                    breakdown=breakdown,
                    occurred_at=now,
                )
        except IntegrityError:  # the same signal delivered twice
            return CommissionLine.objects.get(appointment=appointment, kind=kind)
        if line.amount > 0:
            _commission_booked(line, line.amount, "charge")
        audit_log(
            action="commissions.line_recorded",
            business=business,
            obj=line,
            data={"amount": line.amount, "reason": line.exempt_reason},
        )
    return line


def _reverse(line: CommissionLine, amount: int, step: str, reason: str) -> CommissionLine:
    amount = min(amount, line.net_amount)
    if amount <= 0:
        return line
    line.reversed_amount += amount
    if line.reversed_amount >= line.amount:
        line.status = LineStatus.REVERSED if reason != "dispute" else LineStatus.WAIVED
    line.save(update_fields=["reversed_amount", "status", "updated_at"])
    _commission_booked(line, -amount, step)
    audit_log(
        action="commissions.line_reversed",
        business=line.business,
        obj=line,
        data={"amount": amount, "why": reason},
    )
    return line


def commission_after_refund(*, checkout: Checkout, refund_id: int) -> CommissionLine | None:
    """A refund takes back the commission on what was given back (in
    proportion; all of it for a full refund)."""
    with transaction.atomic():
        line = (
            CommissionLine.objects.select_for_update()
            .filter(checkout=checkout, kind=LineKind.VISIT)
            .first()
        )
        if line is None or line.net_amount <= 0:
            return line
        checkout.refresh_from_db()
        total = int(checkout.total) or 1
        kept = line.amount * max(total - int(checkout.refunded_total), 0) // total
        return _reverse(line, line.net_amount - kept, f"refund:{refund_id}", "refund")


def commission_after_fee_refund(*, payment: Payment, refund_id: int) -> CommissionLine | None:
    """A no-show fee given back (in part or in full) takes its commission back in proportion."""
    with transaction.atomic():
        line = (
            CommissionLine.objects.select_for_update()
            .filter(payment=payment, kind=LineKind.NO_SHOW_FEE)
            .first()
        )
        if line is None or line.net_amount <= 0:
            return line
        payment.refresh_from_db()
        total = int(payment.amount_captured) or 1
        kept = line.amount * max(total - int(payment.amount_refunded), 0) // total
        return _reverse(line, line.net_amount - kept, f"refund:{refund_id}", "refund")


def commission_after_cancellation(*, appointment: Appointment) -> None:
    """A visit cancelled after its line was written (a mistaken check-out
    undone): the line is reversed in full."""
    with transaction.atomic():
        for line in CommissionLine.objects.select_for_update().filter(appointment=appointment):
            _reverse(line, line.net_amount, "cancelled", "cancelled")


# --- disputes -----------------------------------------------------------------------


def dispute_open(*, business, line_id: int, reason: str, actor, now=None) -> Dispute:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say why this line is wrong."),
            fields={"reason": [_("Say why this line is wrong.")]},
        )
    if len(reason) > 1000:
        raise ValidationFailed(
            _("Keep the reason under 1000 characters."),
            fields={"reason": [_("Keep the reason under 1000 characters.")]},
        )
    with transaction.atomic():
        line = (
            CommissionLine.objects.select_for_update().filter(business=business, pk=line_id).first()
        )
        if line is None:
            raise NotFound(_("This commission line was not found."))
        if line.net_amount <= 0 or line.status not in (LineStatus.PENDING, LineStatus.INVOICED):
            raise Conflict(_("Only a line that is charged can be disputed."), code="not_disputable")
        dispute = Dispute.objects.create(
            business=business,
            line=line,
            reason=reason,
            opened_by=actor,
            created_at=now or timezone.now(),
        )
        line.status = LineStatus.DISPUTED
        line.save(update_fields=["status", "updated_at"])
        audit_log(action="commissions.dispute_opened", actor=actor, business=business, obj=dispute)
    return dispute


def dispute_decide(*, dispute_id: int, accept: bool, reason: str, actor, now=None) -> Dispute:
    """The operator's decision, with its reason: accepted waives the line
    (a credit on the salon's next invoice), rejected charges it as before."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Give the reason for the decision."),
            fields={"reason": [_("Give the reason for the decision.")]},
        )
    with scopes_disabled(), transaction.atomic():
        dispute = (
            Dispute.objects.select_for_update().select_related("line").filter(pk=dispute_id).first()
        )
        if dispute is None:
            raise NotFound(_("This dispute was not found."))
        if dispute.status != Dispute.Status.OPEN:
            raise Conflict(_("This dispute has already been decided."), code="already_decided")
        line = CommissionLine.objects.select_for_update().get(pk=dispute.line_id)
        dispute.status = Dispute.Status.ACCEPTED if accept else Dispute.Status.REJECTED
        dispute.decision_reason = reason[:1000]
        dispute.decided_by = actor
        dispute.decided_at = now or timezone.now()
        dispute.save()
        if accept:
            _reverse(line, line.net_amount, f"dispute:{dispute.pk}", "dispute")
            line.status = LineStatus.WAIVED
        else:
            line.status = (
                LineStatus.INVOICED
                if billing_selectors.charge_invoiced(business=line.business, source=line.source_key)
                else LineStatus.PENDING
            )
        line.save(update_fields=["status", "updated_at"])
        audit_log(
            action="commissions.dispute_decided",
            actor=actor,
            business=line.business,
            obj=dispute,
            data={"accepted": accept},
        )
    return dispute


def lines_invoiced(*, business_id: int, sources: list[str]) -> int:
    """The charged lines among `sources` (an invoice's charges) are now invoiced
    (a disputed line stays disputed; the decision says what follows)."""
    ids = [
        int(source.removeprefix(LINE_SOURCE))
        for source in sources
        if source.startswith(LINE_SOURCE) and source.removeprefix(LINE_SOURCE).isdigit()
    ]
    if not ids:
        return 0
    with scopes_disabled():
        return CommissionLine.objects.filter(
            business_id=business_id, pk__in=ids, status=LineStatus.PENDING
        ).update(status=LineStatus.INVOICED, updated_at=timezone.now())
