"""Finance's and booking's signals drive commissions and boost charges.

- `checkout_completed` (after the checkout commits): the visit's commission line.
- `fee_charged`: a captured no-show fee of a marketplace client counts as the visit.
- `payment_refunded`: the visit's (or fee's) commission is taken back in proportion.
- `invoice_issued` (billing, inside the invoice's transaction): its commission
  lines become `invoiced`.
- `appointment_changed` (inside the booking transaction): a booking confirmed
  from a promoted placement charges the boost; a cancellation credits it and
  reverses any commission line of the visit.

The finance receivers log a failure instead of raising (the payment is
committed; each step is unique per key, so it can be replayed).
"""

import logging

from django.dispatch import receiver

from solibook.billing.signals import invoice_issued
from solibook.booking.models import Status
from solibook.booking.signals import appointment_changed
from solibook.commissions import promotion, services
from solibook.core.tenancy import business_scope
from solibook.finance.signals import checkout_completed, fee_charged, payment_refunded

log = logging.getLogger(__name__)


@receiver(checkout_completed, dispatch_uid="commissions.checkout_completed")
def on_checkout_completed(sender, checkout, **kwargs) -> None:
    if checkout.appointment_id is None:
        return
    try:
        with business_scope(checkout.business):
            services.commission_for_checkout(checkout=checkout)
    except Exception:  # noqa: BLE001 - logged; replayable
        log.exception("commission failed for checkout %s", checkout.pk)


@receiver(fee_charged, dispatch_uid="commissions.fee_charged")
def on_fee_charged(sender, payment, **kwargs) -> None:
    try:
        with business_scope(payment.business):
            services.commission_for_fee(payment=payment)
    except Exception:  # noqa: BLE001 - logged; replayable
        log.exception("commission failed for fee %s", payment.pk)


@receiver(payment_refunded, dispatch_uid="commissions.payment_refunded")
def on_payment_refunded(sender, refund, **kwargs) -> None:
    payment = refund.payment
    checkout = getattr(payment, "checkout", None)
    try:
        with business_scope(payment.business):
            if checkout is not None and checkout.appointment_id is not None:
                services.commission_after_refund(checkout=checkout, refund_id=refund.pk)
            elif payment.purpose == "fee":
                services.commission_after_fee_refund(payment=payment, refund_id=refund.pk)
    except Exception:  # noqa: BLE001 - logged; replayable
        log.exception("commission reversal failed for refund %s", refund.pk)


@receiver(appointment_changed, dispatch_uid="commissions.appointment_changed")
def on_appointment_changed(sender, appointment, kind, data, **kwargs) -> None:
    if kind == "confirmed" and appointment.status == Status.CONFIRMED:
        # A waitlist offer carries the touch kept when its client joined.
        services.touch_from_waitlist(appointment=appointment)
        promotion.promotion_charge(appointment=appointment)
    elif kind == "cancelled":
        promotion.promotion_charge_reverse(appointment=appointment)
        with business_scope(appointment.business):
            services.commission_after_cancellation(appointment=appointment)


@receiver(invoice_issued, dispatch_uid="commissions.invoice_issued")
def on_invoice_issued(sender, invoice, sources, **kwargs) -> None:
    services.lines_invoiced(business_id=invoice.business_id, sources=sources)
