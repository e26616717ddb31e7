"""Refunds: full or partial, with a reason, never more than was paid.

The amount is reserved on the payment under its row lock (a CHECK constraint
keeps `amount_refunded <= amount_captured`), so two refunds at once cannot
exceed what was paid. Cash, card-terminal, gift card and credit refunds are
written in one transaction. An online refund reserves, commits, calls the
provider (idempotency key = the refund's id), then records the outcome; a
failure releases the reservation.

Ledger: the money (or liability) goes back on the credit side — the
tender's account, or `client_credit` when refunded as credit — and what the
payment had paid for is debited in proportion: for a visit, `refunds`
(contra-revenue) for the revenue share, `taxes_payable`, `tips_payable`,
sold gift cards / packages; for a deposit `deposits_held`; for a fee
`fee_revenue`.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, ValidationFailed
from solibook.core.money import format_money
from solibook.core.outbox import outbox_emit
from solibook.finance import accounts, ledger, taxes
from solibook.finance.ledger import Line
from solibook.finance.models import (
    Checkout,
    CheckoutLine,
    CheckoutTip,
    LedgerEntry,
    LineRefund,
    LineRefundItem,
    Payment,
    Refund,
)
from solibook.finance.payments import ProviderError, provider_named
from solibook.finance.services.common import actor_or_none, finance_settings, positive_amount
from solibook.finance.services.giftcards import gift_card_restore
from solibook.finance.signals import lines_refunded, payment_refunded, send_on_commit
from solibook.finance.tenders import get_tender


def _refundable(payment: Payment) -> int:
    return payment.amount_captured - payment.amount_refunded - payment.amount_applied


def _source(payment: Payment) -> Payment:
    """The provider payment behind an online tender (a deposit used at checkout)."""
    source_id = payment.detail.get("payment_id") or payment.detail.get("source_payment_id")
    if source_id:
        return Payment.objects.get(business_id=payment.business_id, pk=source_id)
    return payment


def _debit_side(payment: Payment, amount: int) -> list[Line]:
    c = payment.currency
    location = (
        payment.checkout.location_id
        if payment.checkout is not None
        else (payment.appointment.location_id if payment.appointment is not None else None)
    )
    if payment.purpose == Payment.Purpose.DEPOSIT or (
        payment.purpose == Payment.Purpose.BALANCE and payment.checkout is None
    ):  # a prepayment not yet used at a checkout is still held
        return [Line(accounts.DEPOSITS_HELD, amount, c, location=location)]
    if payment.purpose == Payment.Purpose.FEE:
        return [Line(accounts.FEE_REVENUE, amount, c, location=location)]
    if payment.purpose == Payment.Purpose.MEMBERSHIP:
        return [Line(accounts.REFUNDS, amount, c, location=location)]
    # A visit: in proportion to what the checkout credited.
    assert payment.checkout is not None, "a visit is paid at a checkout"
    with scopes_disabled():
        credits = list(
            LedgerEntry.objects.filter(
                transaction_id=payment.checkout.ledger_transaction_id, amount__lt=0
            ).order_by("id")
        )
    shares = taxes.allocate(amount, [-e.amount for e in credits])
    lines = []
    for entry, share in zip(credits, shares, strict=True):
        if not share:
            continue
        account = (
            accounts.REFUNDS
            if accounts.nature(entry.account) == accounts.REVENUE
            else entry.account
        )
        lines.append(
            Line(
                account,
                share,
                c,
                location=entry.location_id,
                master=entry.master_id,
                user=entry.user_id,
            )
        )
    return lines


def _credit_side(payment: Payment, amount: int, to_client_credit: bool) -> list[Line]:
    c = payment.currency
    location = (
        payment.checkout.location_id
        if payment.checkout is not None
        else (payment.appointment.location_id if payment.appointment is not None else None)
    )
    if to_client_credit:
        return [
            Line(accounts.CLIENT_CREDIT, -amount, c, location=location, user=payment.account_id)
        ]
    if payment.tender in ("online",):
        return [Line(accounts.ONLINE, -amount, c, location=location)]
    kind = get_tender(payment.tender)
    return [
        Line(
            kind.account,
            -amount,
            c,
            location=location,
            user=payment.account_id if kind.needs_client else None,
        )
    ]


def _post(refund: Refund, payment: Payment, now: datetime):
    lines = _debit_side(payment, refund.amount) + _credit_side(
        payment, refund.amount, refund.to_client_credit
    )
    return ledger.post(
        business=payment.business_id,
        kind="refund",
        memo=f"Refund #{refund.pk} of payment #{payment.pk}",
        lines=lines,
        reference=f"refund:{refund.pk}",
        idempotency_key=f"refund:{refund.pk}",
        occurred_at=now,
    )


def _succeed(refund: Refund, payment: Payment, now: datetime) -> None:
    tx = _post(refund, payment, now)
    Refund.objects.filter(pk=refund.pk).update(state=Refund.State.SUCCEEDED, ledger_transaction=tx)
    refund.state, refund.ledger_transaction = Refund.State.SUCCEEDED, tx
    _refund_event(refund, payment)
    if payment.tender == "gift_card" and not refund.to_client_credit:
        gift_card_restore(
            business=payment.business,
            card_id=payment.detail["gift_card_id"],
            amount=refund.amount,
            now=now,
            checkout=payment.checkout,
        )
    send_on_commit(payment_refunded, Refund, refund=refund)


def refund_create(
    *,
    business,
    payment_id: int,
    amount: int,
    reason: str,
    note: str = "",
    to_client_credit: bool = False,
    actor=None,
    now: datetime | None = None,
) -> Refund:
    now = now or timezone.now()
    positive_amount(amount)
    if reason not in Refund.Reason.values:
        raise ValidationFailed(
            _("Choose a reason for the refund."),
            code="invalid",
            fields={"reason": [_("Choose a reason for the refund.")]},
        )
    if reason == Refund.Reason.OTHER and not note.strip():
        raise ValidationFailed(
            _("Say why in the note."), code="invalid", fields={"note": [_("Say why in the note.")]}
        )
    online = False
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("checkout", "appointment")
            .filter(business=business, pk=payment_id)
            .first()
        )
        if payment is None:
            raise NotFound(_("No such payment."))
        if payment.state != Payment.State.CAPTURED:
            raise ValidationFailed(
                _("Only a completed payment can be refunded."), code="not_refundable"
            )
        left = _refundable(payment)
        if amount > left:
            message = _("You can refund at most %(left)s of this payment.") % {"left": left}
            raise ValidationFailed(
                message,
                code="refund_too_large",
                fields={"amount": [message]},
                extra={"refundable": left},
            )
        if to_client_credit and payment.account_id is None:
            raise ValidationFailed(
                _("A refund as credit needs a client."), code="refund_needs_client"
            )
        source = _source(payment)
        online = payment.tender == "online" and not to_client_credit and bool(source.provider_ref)
        refund = Refund.objects.create(
            business=business,
            payment=payment,
            amount=amount,
            currency=payment.currency,
            reason=reason,
            note=note.strip()[:300],
            to_client_credit=to_client_credit,
            state=Refund.State.PENDING,
            created_by=actor_or_none(actor),
            created_at=now,
        )
        # The reservation: a second refund now sees less left.
        Payment.objects.filter(pk=payment.pk).update(
            amount_refunded=payment.amount_refunded + amount
        )
        payment.amount_refunded += amount
        if payment.checkout_id:
            _checkout_refunded(payment.checkout_id, amount)
        if not online:
            _succeed(refund, payment, now)
        audit_log(
            action="finance.refund",
            actor=actor,
            business=business,
            obj=refund,
            data={"amount": amount, "reason": reason, "payment": payment.pk},
        )
    if not online:
        return refund
    try:
        result = provider_named(source.provider).refund(
            source.provider_ref,
            amount=amount,
            account=finance_settings(business).stripe_account_id,
            reason=reason,
            idempotency_key=f"refund:{refund.pk}",
        )
    except ProviderError as exc:
        _fail(refund, now)
        raise ValidationFailed(exc.message, code=f"refund_{exc.code}"[:60]) from exc
    with transaction.atomic():
        Refund.objects.filter(pk=refund.pk).update(provider_ref=result.id)
        refund.provider_ref = result.id
        if result.status in ("failed", "canceled"):
            _fail(refund, now)
            raise ValidationFailed(
                _("The payment provider refused the refund."), code="refund_failed"
            )
        payment.refresh_from_db()
        _succeed(refund, payment, now)
    return refund


def payment_refund(*, business, payment_id: int, **values) -> Refund:
    """A refund of a payment taken outside a sale (a deposit kept, a fee): the API's
    payment refunds. A sale's payments go back only by line (`refund_by_lines`), on
    its refund page and through the API alike."""
    if Payment.objects.filter(business=business, pk=payment_id, checkout__isnull=False).exists():
        message = _(
            "A sale's payments are refunded by line: choose what goes back on the sale's refund page."
        )
        raise ValidationFailed(message, code="refund_by_line", fields={"payment_id": [message]})
    return refund_create(business=business, payment_id=payment_id, **values)


def _refund_event(refund: Refund, payment: Payment) -> None:
    """In the refund's transaction, for partners' webhooks (developers)."""
    outbox_emit(
        topic="payment.refunded",
        business=payment.business,
        payload={
            "refund_id": refund.pk,
            "payment_id": payment.pk,
            "amount": refund.amount,
            "currency": refund.currency,
        },
    )


def _checkout_refunded(checkout_id: int, delta: int) -> None:
    checkout = Checkout.objects.select_for_update().get(pk=checkout_id)
    checkout.refunded_total += delta
    checkout.status = (
        Checkout.Status.COMPLETED
        if checkout.refunded_total == 0
        else (
            Checkout.Status.REFUNDED
            if checkout.refunded_total >= checkout.total
            else Checkout.Status.PARTIALLY_REFUNDED
        )
    )
    checkout.save(update_fields=["refunded_total", "status"])


def _fail(refund: Refund, now: datetime) -> None:
    """Give the reservation back (and reverse the ledger if it was posted)."""
    with transaction.atomic():
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        if locked.state == Refund.State.FAILED:
            return
        payment = Payment.objects.select_for_update().get(pk=locked.payment_id)
        Payment.objects.filter(pk=payment.pk).update(
            amount_refunded=payment.amount_refunded - locked.amount
        )
        if payment.checkout_id:
            _checkout_refunded(payment.checkout_id, -locked.amount)
        if locked.ledger_transaction is not None:
            ledger.reverse(
                locked.ledger_transaction,
                memo=f"Refund #{locked.pk} failed at the provider",
                occurred_at=now,
            )
        Refund.objects.filter(pk=locked.pk).update(state=Refund.State.FAILED)
        refund.state = Refund.State.FAILED
        audit_log(
            action="finance.refund_failed",
            business=payment.business,
            obj=locked,
            data={"amount": locked.amount},
        )


def refund_provider_update(*, obj: dict, event_type: str) -> None:
    """A refund the provider later reports as failed is undone here."""
    if event_type != "refund.updated" or obj.get("status") not in ("failed", "canceled"):
        return
    with scopes_disabled():
        refund = Refund.objects.filter(provider_ref=obj.get("id", "")).first()
    if refund is not None and refund.state != Refund.State.FAILED:
        with scopes_disabled():
            _fail(refund, timezone.now())


# --- refunds by line ---------------------------------------------------------------

# The order in which a refund by line goes back over a checkout's tenders: stored
# value first (a gift card back to the card, the client's credit), then the
# terminal, then the drawer. Tenders another app registers (points, wallet,
# vouchers) come after the gift card; an online payment last (its part goes back
# through the payment's provider, called last inside the refund's transaction).
REFUND_ORDER = ("gift_card", "client_credit", "card", "cash", "online")
LINE_KINDS = ("service", "product")


@dataclass
class RefundLineIn:
    line_id: int
    quantity: int = 1


@dataclass
class RefundPart:
    payment: Payment
    amount: int


def refund_order_key(tender: str) -> int:
    if tender in REFUND_ORDER:
        position = REFUND_ORDER.index(tender)
        return position * 2 if position else 0
    return 1  # another app's stored value: right after the gift card


def refund_plan(payments, amount: int) -> list[RefundPart]:
    """`amount` taken from `payments` in the refund order (what each still holds)."""
    parts, left = [], amount
    for payment in sorted(payments, key=lambda p: (refund_order_key(p.tender), p.pk)):
        if left <= 0:
            break
        take = min(left, _refundable(payment))
        if take > 0:
            parts.append(RefundPart(payment, take))
            left -= take
    if left > 0:
        return []
    return parts


def line_refundable(line: CheckoutLine) -> bool:
    return line.kind in LINE_KINDS and line.client_package_id is None


def _share(total: int, quantity: int, units: int) -> int:
    """A line's amount for its first `units` units; all of it at the last unit."""
    return total if units >= quantity else total * units // quantity


def _refuse(message: str, field: str, code: str, **extra) -> NoReturn:
    raise ValidationFailed(message, code=code, fields={field: [message]}, extra=extra or None)


def _refund_at_provider(refund: Refund, payment: Payment) -> None:
    """An online part of a refund by line goes back through the payment's provider.

    Called last, inside the refund's transaction: a refusal (or an error) rolls the
    whole refund back, so nothing is written; the key makes a retried call one
    refund at the provider. A payment taken without a provider (none configured)
    has nothing to call."""
    source = _source(payment)
    if not source.provider_ref:
        return
    try:
        result = provider_named(source.provider).refund(
            source.provider_ref,
            amount=refund.amount,
            account=finance_settings(payment.business_id).stripe_account_id,
            reason=refund.reason,
            idempotency_key=f"refund:{refund.pk}",
        )
    except ProviderError as exc:
        raise ValidationFailed(exc.message, code=f"refund_{exc.code}"[:60]) from exc
    if result.status in ("failed", "canceled"):
        _refuse(_("The payment provider refused the refund."), "lines", "refund_failed")
    Refund.objects.filter(pk=refund.pk).update(provider_ref=result.id)
    refund.provider_ref = result.id


def refund_by_lines(
    *,
    business,
    checkout_id: int,
    lines: list[RefundLineIn],
    tip_ids: list[int] | None = None,
    reason: str,
    note: str = "",
    actor=None,
    now: datetime | None = None,
) -> LineRefund:
    """Refund the units and tips chosen, and only them: each line gives back its own
    net and VAT (never a share of the other lines or of the tip), a tip only when
    chosen. The money goes back over the checkout's tenders in `REFUND_ORDER`.
    One transaction under the checkout's row lock; a line's units refunded in all
    never exceed what was sold (also a CHECK constraint)."""
    now = now or timezone.now()
    tip_ids = list(tip_ids or [])
    if reason not in Refund.Reason.values:
        _refuse(_("Choose a reason for the refund."), "reason", "invalid")
    if reason == Refund.Reason.OTHER and not note.strip():
        _refuse(_("Say why in the note."), "note", "invalid")
    chosen = [li for li in lines if li.quantity]
    if not chosen and not tip_ids:
        _refuse(
            _("Choose the lines (and quantities) or the tip to refund."), "lines", "refund_empty"
        )
    if len({li.line_id for li in chosen}) != len(chosen) or len(set(tip_ids)) != len(tip_ids):
        _refuse(_("Each line is listed once."), "lines", "invalid")
    with transaction.atomic():
        checkout = (
            Checkout.objects.select_for_update(of=("self",))
            .filter(business=business, pk=checkout_id)
            .first()
        )
        if checkout is None:
            raise NotFound(_("No such checkout."))
        by_id = {line.pk: line for line in CheckoutLine.objects.filter(checkout=checkout)}
        tips = {tip.pk: tip for tip in CheckoutTip.objects.filter(checkout=checkout)}
        items: list[LineRefundItem] = []
        debits: list[Line] = []
        c, location = checkout.currency, checkout.location_id
        for i, li in enumerate(chosen):
            line = by_id.get(li.line_id)
            if line is None:
                _refuse(_("This line is not on the receipt."), f"lines.{i}.line_id", "not_found")
            if not line_refundable(line):
                _refuse(
                    _("Only services and products paid at this checkout are refunded by line."),
                    f"lines.{i}.line_id",
                    "line_not_refundable",
                )
            left = line.quantity - line.refunded_quantity
            if not isinstance(li.quantity, int) or not 1 <= li.quantity <= left:
                _refuse(
                    _("At most %(left)s of “%(item)s” can still be refunded.")
                    % {"left": left, "item": line.description},
                    f"lines.{i}.quantity",
                    "refund_too_large",
                    refundable_quantity=left,
                )
            before, after = line.refunded_quantity, line.refunded_quantity + li.quantity
            gross = _share(line.gross_amount, line.quantity, after) - _share(
                line.gross_amount, line.quantity, before
            )
            net = _share(line.net_amount, line.quantity, after) - _share(
                line.net_amount, line.quantity, before
            )
            items.append(
                LineRefundItem(
                    business=business,
                    line=line,
                    quantity=li.quantity,
                    net_amount=net,
                    tax_amount=gross - net,
                    gross_amount=gross,
                )
            )
            debits.append(Line(accounts.REFUNDS, net, c, location=location, master=line.master_id))
            debits.append(Line(accounts.TAXES_PAYABLE, gross - net, c, location=location))
            line.refunded_quantity = after
        for i, tip_id in enumerate(tip_ids):
            tip = tips.get(tip_id)
            if tip is None:
                _refuse(_("This tip is not on the receipt."), f"tip_ids.{i}", "not_found")
            left = tip.amount - tip.refunded_amount
            if left <= 0:
                _refuse(
                    _("This tip has already been refunded."), f"tip_ids.{i}", "refund_too_large"
                )
            items.append(
                LineRefundItem(
                    business=business, tip=tip, net_amount=left, tax_amount=0, gross_amount=left
                )
            )
            debits.append(
                Line(accounts.TIPS_PAYABLE, left, c, location=location, master=tip.master_id)
            )
            tip.refunded_amount = tip.amount
        amount = sum(item.gross_amount for item in items)
        if amount <= 0:
            _refuse(_("There is nothing to refund on these lines."), "lines", "refund_empty")
        payments = list(
            Payment.objects.select_for_update()
            .filter(checkout=checkout, state=Payment.State.CAPTURED)
            .order_by("id")
        )
        parts = refund_plan(payments, amount)
        if not parts:
            held = sum(_refundable(p) for p in payments)
            _refuse(
                _("You can refund at most %(left)s of this checkout.")
                % {"left": format_money(held, c, get_language() or "en")},
                "lines",
                "refund_too_large",
                refundable=held,
            )
        line_refund = LineRefund.objects.create(
            business=business,
            checkout=checkout,
            amount=amount,
            currency=c,
            reason=reason,
            note=note.strip()[:300],
            created_by=actor_or_none(actor),
            created_at=now,
        )
        for item in items:
            item.line_refund = line_refund
        LineRefundItem.objects.bulk_create(items)
        for item in items:
            if item.line is not None:
                CheckoutLine.objects.filter(pk=item.line.pk).update(
                    refunded_quantity=item.line.refunded_quantity
                )
            elif item.tip is not None:
                CheckoutTip.objects.filter(pk=item.tip.pk).update(
                    refunded_amount=item.tip.refunded_amount
                )
        credits = []
        for part in parts:
            credits += _credit_side(part.payment, part.amount, False)
        tx = ledger.post(
            business=business,
            kind="refund",
            memo=f"Refund by line #{line_refund.pk} of checkout {checkout.number}",
            lines=[line for line in debits if line.amount] + credits,
            reference=f"line_refund:{line_refund.pk}",
            idempotency_key=f"line_refund:{line_refund.pk}",
            occurred_at=now,
        )
        LineRefund.objects.filter(pk=line_refund.pk).update(ledger_transaction=tx)
        line_refund.ledger_transaction = tx
        for part in parts:
            payment = part.payment
            refund = Refund.objects.create(
                business=business,
                payment=payment,
                amount=part.amount,
                currency=c,
                reason=reason,
                note=line_refund.note,
                state=Refund.State.SUCCEEDED,
                ledger_transaction=tx,
                line_refund=line_refund,
                created_by=actor_or_none(actor),
                created_at=now,
            )
            Payment.objects.filter(pk=payment.pk).update(
                amount_refunded=F("amount_refunded") + part.amount
            )
            if payment.tender == "gift_card":
                gift_card_restore(
                    business=business,
                    card_id=payment.detail["gift_card_id"],
                    amount=part.amount,
                    now=now,
                    checkout=checkout,
                )
            if payment.tender == "online":
                _refund_at_provider(refund, payment)
            send_on_commit(payment_refunded, Refund, refund=refund)
            _refund_event(refund, payment)
        _checkout_refunded(checkout.pk, amount)
        lines_refunded.send(sender=LineRefund, line_refund=line_refund)
        audit_log(
            action="finance.refund_by_lines",
            actor=actor,
            business=business,
            obj=line_refund,
            data={
                "amount": amount,
                "reason": reason,
                "lines": {li.line_id: li.quantity for li in chosen},
                "tips": tip_ids,
                "tenders": [[p.payment.tender, p.amount] for p in parts],
            },
        )
    return line_refund
