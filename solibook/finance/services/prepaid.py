"""A visit prepaid at booking by a registered tender that is not a card (the
corporate wellness budget): the money is the salon's from then on, held in
`deposits_held` until the visit's checkout applies it, like a balance paid
online.

The caller (the tender's app) decides that the payer may pay, and does its own
bookkeeping (the budget spent) in the same transaction: this writes only the
salon's side, a captured `Payment` of purpose `balance` (so `amount_due` asks
only the rest) and its ledger lines: the tender's account against
`deposits_held`. At the checkout the tender's `apply` moves the amount from
`deposits_held` back to its account, which the checkout debited.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.booking.models import Appointment, Status
from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, ValidationFailed
from solibook.finance import accounts, ledger
from solibook.finance.models import Payment
from solibook.finance.selectors import paid_online, visit_total
from solibook.finance.tenders import get_tender

PREPAYABLE = (Status.AWAITING_DEPOSIT, Status.CONFIRMED)


def prepayment_record(
    *,
    business,
    appointment_id: int,
    tender: str,
    amount: int,
    account,
    detail: dict | None = None,
    actor=None,
    now: datetime | None = None,
) -> Payment:
    """Run inside the caller's transaction and the business's scope. Refused when
    the amount is more than what the visit still owes (`prepayment_too_large`)."""
    now = now or timezone.now()
    kind = get_tender(tender)
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update()
            .filter(business=business, pk=appointment_id, account=account)
            .first()
        )
        if appointment is None or appointment.status not in PREPAYABLE:
            raise NotFound(_("No such appointment."))
        left = visit_total(appointment) - paid_online(appointment)
        if amount <= 0 or amount > left:
            message = _("This visit has %(left)s left to pay.") % {"left": max(left, 0)}
            raise ValidationFailed(
                message,
                code="prepayment_too_large",
                fields={"amount": [message]},
                extra={"left": max(left, 0)},
            )
        payment = Payment.objects.create(
            business=business,
            purpose=Payment.Purpose.BALANCE,
            tender=kind.code,
            provider="",
            state=Payment.State.CAPTURED,
            amount=amount,
            amount_captured=amount,
            currency=appointment.currency,
            appointment=appointment,
            account=account,
            detail=detail or {},
            created_at=now,
        )
        ledger.post(
            business=business,
            kind="prepayment",
            memo=str(kind.label)[:300],
            reference=f"payment:{payment.pk}",
            idempotency_key=f"prepayment:{payment.pk}",
            lines=[
                ledger.Line(
                    kind.account, amount, payment.currency, location=appointment.location_id
                ),
                ledger.Line(
                    accounts.DEPOSITS_HELD,
                    -amount,
                    payment.currency,
                    location=appointment.location_id,
                ),
            ],
            occurred_at=now,
        )
        audit_log(
            action="finance.prepayment_recorded",
            actor=actor,
            business=business,
            obj=payment,
            data={"tender": kind.code, "amount": amount, "appointment": appointment.pk},
        )
    return payment


def prepayment_apply(*, ctx, tender: str, amount: int) -> Payment:
    """At the visit's checkout (inside a tender's `apply`): use `amount` of the
    visit's prepayment by this tender, and move it out of `deposits_held` into the
    tender's account the checkout debited. Refused when less is left."""
    payment = (
        Payment.objects.select_for_update()
        .filter(
            business=ctx.business,
            appointment=ctx.appointment,
            purpose=Payment.Purpose.BALANCE,
            state=Payment.State.CAPTURED,
            tender=tender,
        )
        .order_by("created_at", "id")
        .first()
    )
    left = (
        payment.amount_captured - payment.amount_refunded - payment.amount_applied
        if payment is not None
        else 0
    )
    if payment is None or amount > left:
        raise ValidationFailed(
            _("Only %(left)s was paid for this visit in advance.") % {"left": left},
            code="tender_payment_exceeded",
        )
    kind = get_tender(payment.tender)
    Payment.objects.filter(pk=payment.pk).update(amount_applied=payment.amount_applied + amount)
    ledger.post(
        business=ctx.business,
        kind="prepayment_applied",
        memo=str(kind.label)[:300],
        reference=f"checkout:{ctx.checkout.pk}",
        idempotency_key=f"prepayment-applied:{ctx.checkout.pk}:{payment.pk}",
        lines=[
            ledger.Line(accounts.DEPOSITS_HELD, amount, payment.currency, location=ctx.location),
            ledger.Line(kind.account, -amount, payment.currency, location=ctx.location),
        ],
        occurred_at=ctx.now,
    )
    return payment


def prepaid_left(*, appointment, tender: str) -> int:
    """What is left of the visit's prepayments by `tender` (in its scope)."""
    total = 0
    for payment in Payment.objects.filter(
        business_id=appointment.business_id,
        appointment=appointment,
        tender=tender,
        state=Payment.State.CAPTURED,
    ):
        total += payment.amount_captured - payment.amount_refunded - payment.amount_applied
    return total


__all__ = ["prepaid_left", "prepayment_apply", "prepayment_record"]
