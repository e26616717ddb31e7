"""Follow the booking engine: a cancelled or no-show visit has its deposit
released or its fee charged, once the booking commits (provider calls never
run inside the booking transaction)."""

from django.db import transaction

from solibook.booking.models import Appointment
from solibook.booking.signals import appointment_changed


def on_appointment_changed(
    sender, appointment: Appointment, kind: str, data: dict, **kwargs
) -> None:
    settles = kind == "cancelled" or (kind == "status" and data.get("to") == "no_show")
    if not settles or not (appointment.deposit_amount or appointment.client_id):
        return
    from solibook.finance.tasks import settle_appointment

    business_id, appointment_id = appointment.business_id, appointment.pk
    transaction.on_commit(
        lambda: settle_appointment.enqueue(business_id=business_id, appointment_id=appointment_id)
    )


def connect() -> None:
    appointment_changed.connect(
        on_appointment_changed, sender=Appointment, dispatch_uid="finance-settle"
    )
