"""Follow the booking engine: a cancelled or no-show visit has its deposit
released or its fee charged, once the booking commits (provider calls never
run inside the booking transaction)."""

from django.db import transaction

from solibook.booking.models import Appointment
from solibook.booking.signals import appointment_changed
from solibook.catalog.signals import business_created
from solibook.finance.models import FinanceSettings


def on_business_created(sender, business, **kwargs) -> None:
    """Its money settings are created with the business."""
    FinanceSettings.objects.get_or_create(business=business)


def on_appointment_changed(
    sender, appointment: Appointment, kind: str, data: dict, **kwargs
) -> None:
    settles = kind == "cancelled" or (kind == "status" and data.get("to") == "no_show")
    if not settles or not (appointment.deposit_amount or appointment.account_id):
        return
    from solibook.finance.tasks import settle_appointment

    business_id, appointment_id = appointment.business_id, appointment.pk
    transaction.on_commit(
        lambda: settle_appointment.enqueue(business_id=business_id, appointment_id=appointment_id)
    )


def connect() -> None:
    business_created.connect(on_business_created, dispatch_uid="finance-settings")
    appointment_changed.connect(
        on_appointment_changed, sender=Appointment, dispatch_uid="finance-settle"
    )
