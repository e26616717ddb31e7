"""Booking's and finance's signals move stock, inside their transactions
(`appointment_changed`, `checkout_recorded`, `lines_refunded` are sent before
commit), so a visit, a sale or a refund and its stock commit together. These
never refuse for lack of stock (see `services`' rule), and each is safe to run
twice: visits write only the difference, sales and returns carry unique keys."""

from django.dispatch import receiver

from solibook.booking.models import Status
from solibook.booking.signals import appointment_changed
from solibook.core.tenancy import business_scope
from solibook.finance.signals import checkout_recorded, lines_refunded
from solibook.inventory import services

# Changes that never take a visit out of "completed" (nothing to give back).
NOT_STATUS_CHANGES = {"created", "confirmed", "rescheduled", "resized"}


@receiver(appointment_changed, dispatch_uid="inventory.appointment_changed")
def on_appointment_changed(sender, appointment, kind, data, **kwargs) -> None:
    if appointment.status != Status.COMPLETED and kind in NOT_STATUS_CHANGES:
        return
    with business_scope(appointment.business):
        services.visit_sync(appointment=appointment)


@receiver(checkout_recorded, dispatch_uid="inventory.checkout_recorded")
def on_checkout_recorded(sender, checkout, lines=None, **kwargs) -> None:
    with business_scope(checkout.business):
        services.checkout_sold(checkout=checkout, lines=lines)


@receiver(lines_refunded, dispatch_uid="inventory.lines_refunded")
def on_lines_refunded(sender, line_refund, **kwargs) -> None:
    with business_scope(line_refund.business):
        services.lines_returned(line_refund=line_refund)
