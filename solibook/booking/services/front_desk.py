"""Front-desk calendar edits beyond moving: stretching or shortening a visit
(resize by drag) and blocking a master's time.

Both lock the master (and the visit's resource units) like a booking does,
check what is taken under the lock, then write; on PostgreSQL the exclusion
constraint backs the check, and a violation is a 409, never a 500. The
front desk may stretch a visit past the master's shift (a client running
late at closing time), but never over another visit or time off.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.booking.models import BLOCKING_STATUSES, BookingSegment, Status
from solibook.booking.services.lock_recount_write import (
    OPEN_STATUSES,
    lock_appointment,
    lock_masters_and_resources,
    record_change,
    run_in_booking_transaction,
)
from solibook.catalog.models import Master, TimeOff
from solibook.catalog.services import time_off_add, time_off_remove
from solibook.core.errors import Conflict, NotFound, refuse

RESIZABLE = (*OPEN_STATUSES, Status.ARRIVED, Status.IN_PROGRESS)
MIN_MINUTES = 5
MAX_VISIT_HOURS = 12
MAX_BLOCK_DAYS = 31


def _whole_minute(moment: datetime, field: str) -> None:
    if moment.tzinfo is None:
        refuse(_("The time needs a time zone."), field)
    if moment.second or moment.microsecond:
        refuse(_("Times are whole minutes."), field)


def _taken(
    *,
    master_id: int | None = None,
    resource: tuple[int, int] | None = None,
    start,
    end,
    now,
    exclude_appointment_id: int | None = None,
):
    rows = BookingSegment.objects.filter(
        is_active=True, starts_at__lt=end, ends_at__gt=start
    ).filter(Q(hold_expires_at__isnull=True) | Q(hold_expires_at__gt=now))
    if master_id is not None:
        rows = rows.filter(master_id=master_id)
    elif resource is not None:
        rows = rows.filter(resource_id=resource[0], unit=resource[1])
    else:
        raise ValueError("Taken by whom? Name a master or a resource unit.")
    if exclude_appointment_id is not None:
        rows = rows.exclude(appointment_id=exclude_appointment_id)
    return rows


def appointment_resize(
    *, business, appointment_id: int, end: datetime, actor=None, now: datetime | None = None
):
    """Move the end of a visit (its last service grows or shrinks); the rest stays."""
    now = now or timezone.now()
    _whole_minute(end, "end")

    def resize():
        appointment = lock_appointment(business=business, appointment_id=appointment_id)
        if appointment.status not in RESIZABLE:
            refuse(
                _("Only an upcoming or ongoing appointment can be resized."), code="not_resizable"
            )
        if appointment.session_id:
            refuse(_("A class cannot be resized."), code="class_not_resizable")
        items = list(appointment.items.order_by("position"))
        last = items[-1]
        if end < last.starts_at + timedelta(minutes=MIN_MINUTES):
            refuse(
                _("A service lasts at least %(n)d minutes.") % {"n": MIN_MINUTES},
                "end",
                code="too_short",
            )
        if end - appointment.starts_at > timedelta(hours=MAX_VISIT_HOURS):
            refuse(
                _("A visit lasts at most %(n)d hours.") % {"n": MAX_VISIT_HOURS},
                "end",
                code="too_long",
            )
        delta = end - last.ends_at
        if not delta:
            return appointment
        segments = list(
            BookingSegment.objects.filter(item=last, is_active=True).order_by("starts_at", "pk")
        )
        resource_ids = sorted({s.resource_id for s in segments if s.resource_id})
        lock_masters_and_resources(master_ids=[last.master_id], resource_ids=resource_ids)
        # The segments that end with the service (its last busy step, its rooms) follow the new end.
        last_master = max(
            (s for s in segments if s.master_id), key=lambda s: s.ends_at, default=None
        )
        moving = [s for s in segments if s.resource_id or s is last_master]
        moving = [s for s in moving if s.ends_at >= last.ends_at]
        for segment in moving:
            new_end = segment.ends_at + delta
            if new_end <= segment.starts_at:
                refuse(
                    _("A service lasts at least %(n)d minutes.") % {"n": MIN_MINUTES},
                    "end",
                    code="too_short",
                )
            if delta > timedelta(0):
                # A master's or a resource unit's (one of them: a check constraint).
                unit = (
                    (segment.resource_id, segment.unit)
                    if segment.resource_id is not None and segment.unit is not None
                    else None
                )
                if _taken(
                    master_id=segment.master_id,
                    resource=unit,
                    start=segment.ends_at,
                    end=new_end,
                    now=now,
                    exclude_appointment_id=appointment.pk,
                ).exists():
                    raise Conflict(
                        _("This time is taken: the appointment keeps its length."),
                        code="slot_taken",
                    )
            segment.ends_at = new_end
        if (
            delta > timedelta(0)
            and TimeOff.objects.filter(
                master_id=last.master_id,
                starts_at__lt=last.ends_at + delta,
                ends_at__gt=last.ends_at,
            ).exists()
        ):
            raise Conflict(
                _("The master is away then: the appointment keeps its length."), code="time_off"
            )
        previous = appointment.ends_at
        try:
            with transaction.atomic(savepoint=False):
                BookingSegment.objects.bulk_update(moving, ["ends_at"])
        except IntegrityError as exc:
            raise Conflict(
                _("This time is taken: the appointment keeps its length."), code="slot_taken"
            ) from exc
        last.ends_at = end
        last.save(update_fields=["ends_at"])
        appointment.ends_at = max(i.ends_at for i in items)
        appointment.save(update_fields=["ends_at", "updated_at"])
        record_change(
            appointment=appointment,
            actor=actor,
            kind="resized",
            data={"from": previous.isoformat(), "to": appointment.ends_at.isoformat()},
        )
        return appointment

    return run_in_booking_transaction(resize)


def blocked_time_add(
    *,
    business,
    master_id: int,
    starts_at: datetime,
    ends_at: datetime,
    note: str = "",
    actor=None,
    now: datetime | None = None,
) -> TimeOff:
    """Block a master's time (a meeting, a break, a private matter): no booking
    can take it. Refused when a visit already holds part of it."""
    now = now or timezone.now()
    _whole_minute(starts_at, "starts_at")
    _whole_minute(ends_at, "ends_at")
    if ends_at <= starts_at:
        refuse(_("The end must be after the start."), "ends_at")
    if ends_at - starts_at > timedelta(days=MAX_BLOCK_DAYS):
        refuse(
            _("Block at most %(n)d days at once; use time off for longer absences.")
            % {"n": MAX_BLOCK_DAYS},
            "ends_at",
        )
    if not Master.objects.filter(business=business, pk=master_id).exists():
        raise NotFound(_("No such master."), fields={"master_id": [_("No such master.")]})

    def block() -> TimeOff:
        lock_masters_and_resources(master_ids=[master_id], resource_ids=[])
        clash = _taken(master_id=master_id, start=starts_at, end=ends_at, now=now).filter(
            Q(appointment__status__in=BLOCKING_STATUSES) | Q(session__is_active=True)
        )
        if clash.exists():
            raise Conflict(
                _("The master has an appointment in this time: move it first."), code="slot_taken"
            )
        return time_off_add(
            actor=actor,
            business=business,
            master_id=master_id,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=TimeOff.Reason.OTHER,
            note=(note or "").strip()[:200],
        )

    return run_in_booking_transaction(block)


def blocked_time_remove(*, business, time_off_id: int, actor=None) -> None:
    """Free blocked time (only blocks made from the calendar; time off is edited on the master's page)."""
    if not TimeOff.objects.filter(
        business=business, pk=time_off_id, reason=TimeOff.Reason.OTHER
    ).exists():
        raise NotFound(_("No such blocked time."))
    time_off_remove(actor=actor, business=business, time_off_id=time_off_id)
