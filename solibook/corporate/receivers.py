"""Finance's refunds give a wellness budget back (on commit of the refund); a
cancelled visit prepaid from the budget has its prepayment refunded (on commit of
the cancellation), which gives the budget back the same way."""

from django.db import transaction
from django.dispatch import receiver

from solibook.booking.models import Appointment
from solibook.booking.signals import appointment_changed
from solibook.corporate import services
from solibook.finance.signals import payment_refunded


@receiver(payment_refunded, dispatch_uid="corporate_budget_give_back")
def give_budget_back(sender, refund, **kwargs) -> None:
    if refund.payment.tender == services.TENDER:
        services.budget_give_back(refund=refund)


@receiver(appointment_changed, sender=Appointment, dispatch_uid="corporate_visit_cancelled")
def release_on_cancel(sender, appointment, kind: str, data: dict, **kwargs) -> None:
    if kind != "cancelled" or not appointment.account_id:
        return
    business_id, appointment_id = appointment.business_id, appointment.pk
    transaction.on_commit(
        lambda: services.visit_budget_release(
            business_id=business_id, appointment_id=appointment_id
        )
    )
