"""The back-office calendar's read: master and resource columns, visits with their busy
segments, time off and blocked time, as the calendar widget draws them.

Times are naive wall-clock ISO strings in the location's time zone (the widget shows them
as they are, whatever the browser's zone), together with the zone's name.
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from solibook.booking.models import Appointment, AppointmentItem, BookingSegment, Status
from solibook.catalog.models import Location, Master, Resource, TimeOff
from solibook.core.time import local_day_bounds

# Statuses the calendar draws (cancelled and expired visits free their time).
SHOWN_STATUSES = (
    Status.HOLD,
    Status.CONFIRMED,
    Status.ARRIVED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.NO_SHOW,
)
# What the front desk may do next from each status (the services decide in the end).
NEXT_STATUSES = {
    Status.CONFIRMED: [Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED, Status.NO_SHOW],
    Status.ARRIVED: [Status.IN_PROGRESS, Status.COMPLETED, Status.NO_SHOW],
    Status.IN_PROGRESS: [Status.COMPLETED],
}
CANCELLABLE = (Status.HOLD, Status.CONFIRMED)
MAX_DAYS = 42


def wall(moment: datetime, zone: ZoneInfo) -> str:
    """A UTC moment as the location's wall-clock time, without an offset."""
    return moment.astimezone(zone).replace(tzinfo=None).isoformat(timespec="minutes")


def calendar_events(
    *,
    location: Location,
    masters: list[Master],
    start: date,
    end: date,
    with_resources: bool,
    contacts: bool = True,
) -> dict[str, Any]:
    """What the calendar shows at `location` from local day `start` up to `end` (excluded)
    for the columns of `masters`, plus room and equipment columns when `with_resources`.
    Without `contacts` (a master: `view_client_contacts`), a visit booked with a phone
    number or e-mail and no name is not labelled with them."""
    zone = ZoneInfo(location.time_zone)
    master_ids = {m.pk for m in masters}
    since = local_day_bounds(start, location.time_zone)[0]
    until = local_day_bounds(end - timedelta(days=1), location.time_zone)[1]
    appointments = list(
        Appointment.objects.filter(
            location=location,
            status__in=SHOWN_STATUSES,
            starts_at__lt=until,
            ends_at__gt=since,
            items__master_id__in=master_ids,
        )
        .distinct()
        .prefetch_related("items__service")
    )
    segments: dict[int | None, list[BookingSegment]] = {}
    for segment in BookingSegment.objects.filter(
        appointment__in=appointments, item__isnull=False, master__isnull=False, is_active=True
    ).order_by("starts_at"):
        segments.setdefault(segment.item_id, []).append(segment)
    events: list[dict[str, Any]] = []
    for appointment in appointments:
        items = sorted(appointment.items.all(), key=lambda i: i.position)
        services = ", ".join(item.service.name for item in items)
        client = appointment.client_name or (
            (appointment.client_phone or appointment.client_email) if contacts else ""
        )
        common = {
            "appointment_id": appointment.pk,
            "status": appointment.status,
            "status_label": str(Status(appointment.status).label),
            "client": client,
            "services": services,
            "item_masters": [item.master_id for item in items],
            "appointment_start": wall(appointment.starts_at, zone),
            "appointment_end": wall(appointment.ends_at, zone),
            "movable": appointment.status in CANCELLABLE and not appointment.session_id,
        }
        for index, item in enumerate(items):
            if item.master_id not in master_ids:
                continue
            item_props = {**common, "item_index": index, "service": item.service.name}
            events.append(
                {
                    "id": f"visit-{item.pk}",
                    "resourceIds": [str(item.master_id)],
                    "start": wall(item.starts_at, zone),
                    "end": wall(item.ends_at, zone),
                    "display": "background",
                    "classNames": ["sb-visit", f"sb-visit-{appointment.status}"],
                    "extendedProps": {**item_props, "kind": "visit"},
                }
            )
            # A class seat has no segments of its own.
            busy: Sequence[BookingSegment | AppointmentItem] = segments.get(item.pk) or [item]
            for n, block in enumerate(busy):
                events.append(
                    {
                        "id": f"busy-{item.pk}-{n}",
                        "resourceIds": [str(item.master_id)],
                        "start": wall(block.starts_at, zone),
                        "end": wall(block.ends_at, zone),
                        "title": f"{client} · {item.service.name}" if client else item.service.name,
                        "classNames": ["sb-busy", f"sb-status-{appointment.status}"],
                        # Dragging the end of the visit's last busy segment resizes the visit.
                        "extendedProps": {
                            **item_props,
                            "kind": "busy",
                            "resizable": common["movable"]
                            and index == len(items) - 1
                            and n == len(busy) - 1,
                        },
                    }
                )
    # Rooms and equipment get a column each (managers' day view): what holds them.
    resources = []
    if with_resources:
        for resource in Resource.objects.filter(location=location, is_active=True).order_by(
            "name", "pk"
        ):
            resources.append(
                {
                    "id": f"res-{resource.pk}",
                    "title": resource.name,
                    "extendedProps": {"kind": "resource", "capacity": resource.capacity},
                }
            )
        names: dict[int | None, str] = {
            a.pk: (a.client_name or ((a.client_phone or a.client_email) if contacts else ""))
            for a in appointments
        }
        statuses: dict[int | None, str] = {a.pk: a.status for a in appointments}
        held = (
            BookingSegment.objects.filter(
                resource__location=location,
                resource__is_active=True,
                is_active=True,
                starts_at__lt=until,
                ends_at__gt=since,
                appointment__status__in=SHOWN_STATUSES,
            )
            .select_related("item__service")
            .order_by("starts_at", "pk")
        )
        for segment in held:
            status = statuses.get(segment.appointment_id, Status.CONFIRMED)
            service = segment.item.service.name if segment.item is not None else ""
            who = names.get(segment.appointment_id, "")
            events.append(
                {
                    "id": f"res-{segment.pk}",
                    "resourceIds": [f"res-{segment.resource_id}"],
                    "start": wall(segment.starts_at, zone),
                    "end": wall(segment.ends_at, zone),
                    "title": f"{who} · {service}" if who else service,
                    "classNames": ["sb-resource", f"sb-status-{status}"],
                    "extendedProps": {
                        "kind": "resource",
                        "appointment_id": segment.appointment_id,
                        "status": status,
                        "unit": segment.unit,
                        "service": service,
                        "client": who,
                    },
                }
            )
    # Time off blocks a master's column (it is edited on the master's time-off page;
    # blocked time, reason "other", is made and removed from the calendar).
    for away in TimeOff.objects.filter(
        master_id__in=master_ids, starts_at__lt=until, ends_at__gt=since
    ).order_by("starts_at", "pk"):
        blocked = away.reason == TimeOff.Reason.OTHER
        events.append(
            {
                "id": f"away-{away.pk}",
                "resourceIds": [str(away.master_id)],
                "start": wall(max(away.starts_at, since), zone),
                "end": wall(min(away.ends_at, until), zone),
                # Blocked time is an event one can click (to free it); time off is a backdrop.
                "display": "auto" if blocked else "background",
                "title": away.note if blocked else "",
                "editable": False,
                "classNames": ["sb-blocked" if blocked else "sb-away"],
                "extendedProps": {
                    "kind": "away",
                    "reason": str(TimeOff.Reason(away.reason).label),
                    "note": away.note,
                    "master_id": away.master_id,
                    "time_off_id": away.pk,
                    "blocked": away.reason == TimeOff.Reason.OTHER,
                },
            }
        )
    return {
        "location_id": location.pk,
        "time_zone": location.time_zone,
        "resources": [{"id": str(m.pk), "title": m.display_name} for m in masters] + resources,
        "events": events,
    }
