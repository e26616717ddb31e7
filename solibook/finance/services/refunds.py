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

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, ValidationFailed
from solibook.finance import accounts, ledger, taxes
from solibook.finance.ledger import Line
from solibook.finance.models import Checkout, LedgerEntry, Payment, Refund
from solibook.finance.payments import ProviderError, provider_named
from solibook.finance.services.common import actor_or_none, finance_settings, positive_amount
from solibook.finance.services.giftcards import gift_card_restore
from solibook.finance.signals import payment_refunded, send_on_commit
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
    if payment.purpose == Payment.Purpose.DEPOSIT:
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
                client=entry.client_id,
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
            Line(accounts.CLIENT_CREDIT, -amount, c, location=location, client=payment.client_id)
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
            client=payment.client_id if kind.needs_client else None,
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
        if to_client_credit and payment.client_id is None:
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
