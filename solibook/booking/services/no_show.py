"""No-show, by the salon's rules (issue #15, point 5).

- A visit is marked no-show only once its start plus the salon's grace period
  (`Business.no_show_grace_minutes`) has passed: before that the client may
  still be on their way.
- The mark takes effect on the calendar at once, but nothing leaves the salon
  during the undo window (`Business.no_show_undo_minutes`): the "we missed
  you" message and the fee of the policy the client accepted
  (`Appointment.policy`, charged by `finance.services.appointment_settle`)
  follow the `status` change that `no_show_finalise` records when the window
  closes — a task enqueued for then (`booking.tasks.finalise_no_show`).
- `no_show_undo` within the window puts the visit back as it was; the task
  then finds the mark undone and does nothing.

Every status change to no-show (the calendar, the API's status route) goes
through `no_show_mark`.
"""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from solibook.booking.models import Appointment, AppointmentEvent, Status
from solibook.booking.services.lock_recount_write import (
    lock_appointment,
    record_change,
    run_in_booking_transaction,
)
from solibook.core.errors import refuse

log = logging.getLogger("solibook.booking")

MARKABLE = (Status.CONFIRMED, Status.ARRIVED)
MARKED = "no_show_marked"
UNDONE = "no_show_undone"


def no_show_from(appointment: Appointment) -> datetime:
    """The first moment the visit may be marked no-show."""
    return appointment.starts_at + timedelta(minutes=appointment.business.no_show_grace_minutes)


def pending_mark(appointment: Appointment) -> AppointmentEvent | None:
    """The mark still inside its undo window (or past it but not yet
    finalised), or None: the newest no-show event, if it is a mark not
    followed by the final status change."""
    last = (
        AppointmentEvent.objects.filter(appointment=appointment, kind__in=[MARKED, UNDONE])
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None or last.kind != MARKED:
        return None
    finalised = AppointmentEvent.objects.filter(
        appointment=appointment, kind="status", data__to=Status.NO_SHOW, id__gt=last.pk
    ).exists()
    return None if finalised else last


def undo_until(appointment: Appointment) -> datetime | None:
    """Until when the no-show can be undone (None: no mark waiting)."""
    mark = pending_mark(appointment)
    return parse_datetime(mark.data["undo_until"]) if mark else None


def _schedule(business_id: int, appointment_id: int, at: datetime) -> None:
    from solibook.booking.tasks import finalise_no_show

    if not finalise_no_show.get_backend().supports_defer:
        # A backend that runs tasks at once (the tests' immediate one) cannot
        # wait for the window: nothing is sent until no_show_finalise runs.
        log.info("no-show of %s: the tasks backend cannot defer", appointment_id)
        return
    finalise_no_show.using(run_after=at).enqueue(
        business_id=business_id, appointment_id=appointment_id, undo_until=at.isoformat()
    )


def no_show_mark(
    *, business, appointment_id: int, actor=None, now: datetime | None = None
) -> Appointment:
    """Mark the visit no-show (refused before its start plus the grace period)."""
    now = now or timezone.now()

    def change() -> Appointment:
        appointment = lock_appointment(business=business, appointment_id=appointment_id)
        if appointment.status not in MARKABLE:
            refuse(
                _("Only a confirmed visit that has not been checked out can be marked no-show."),
                "status",
                code="bad_transition",
            )
        allowed = no_show_from(appointment)
        if now < allowed:
            minutes = business.no_show_grace_minutes
            refuse(
                _(
                    "Too early for a no-show: the client may still come. "
                    "It can be marked from %(time)s (%(minutes)s min after the start)."
                )
                % {
                    "time": allowed.astimezone(ZoneInfo(appointment.location.time_zone)).strftime(
                        "%H:%M"
                    ),
                    "minutes": minutes,
                },
                "status",
                code="no_show_too_early",
            )
        previous = appointment.status
        appointment.status = Status.NO_SHOW
        appointment.save(update_fields=["status", "updated_at"])
        until = now + timedelta(minutes=business.no_show_undo_minutes)
        record_change(
            appointment=appointment,
            actor=actor,
            kind=MARKED,
            data={"from": previous, "to": Status.NO_SHOW, "undo_until": until.isoformat()},
        )
        business_id, pk = business.pk, appointment.pk
        transaction.on_commit(lambda: _schedule(business_id, pk, until))
        return appointment

    return run_in_booking_transaction(change)


def no_show_undo(
    *, business, appointment_id: int, actor=None, now: datetime | None = None
) -> Appointment:
    """Take the no-show back within the undo window: the visit is as it was,
    and no message or fee goes out."""
    now = now or timezone.now()

    def change() -> Appointment:
        appointment = lock_appointment(business=business, appointment_id=appointment_id)
        mark = pending_mark(appointment) if appointment.status == Status.NO_SHOW else None
        if mark is None or now >= datetime.fromisoformat(mark.data["undo_until"]):
            refuse(
                _("This no-show can no longer be undone: its message and fee have gone out."),
                "status",
                code="no_show_undo_closed",
            )
        previous = mark.data.get("from") or Status.CONFIRMED
        appointment.status = previous
        appointment.save(update_fields=["status", "updated_at"])
        record_change(
            appointment=appointment,
            actor=actor,
            kind=UNDONE,
            data={"from": Status.NO_SHOW, "to": previous},
        )
        return appointment

    return run_in_booking_transaction(change)


def no_show_finalise(
    *, business, appointment_id: int, undo_until: str = "", now: datetime | None = None
) -> bool:
    """The undo window has closed: record the status change that sends the
    message and charges the fee (notifications and finance follow it).
    Does nothing for a mark undone, one marked again later (another task
    comes for it), one already final, or a window still open."""
    now = now or timezone.now()

    def change() -> bool:
        appointment = lock_appointment(business=business, appointment_id=appointment_id)
        mark = pending_mark(appointment)
        if appointment.status != Status.NO_SHOW or mark is None:
            return False
        if undo_until and mark.data.get("undo_until") != undo_until:
            return False
        if now < datetime.fromisoformat(mark.data["undo_until"]):
            return False
        record_change(
            appointment=appointment,
            actor=None,
            kind="status",
            data={"from": mark.data.get("from"), "to": Status.NO_SHOW},
        )
        return True

    return run_in_booking_transaction(change)
