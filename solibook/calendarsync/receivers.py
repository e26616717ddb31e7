"""Follow the booking engine: a placed, moved or cancelled visit is pushed to
its masters' calendars by a task enqueued after the booking commits (the
calendar server is never called inside the booking transaction)."""

from solibook.booking.models import Appointment
from solibook.booking.signals import appointment_changed
from solibook.calendarsync import services


def on_appointment_changed(sender, appointment, kind, data, **kwargs) -> None:
    services.visits_changed(appointment=appointment)


def connect() -> None:
    appointment_changed.connect(
        on_appointment_changed, sender=Appointment, dispatch_uid="calendarsync-push"
    )
