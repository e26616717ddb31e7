"""The back-office calendar's read: master and resource columns, visits with their busy
segments, time off and blocked time, as the calendar widget draws them.

Times are naive wall-clock ISO strings in the location's time zone (the widget shows them
as they are, whatever the browser's zone), together with the zone's name.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from solibook.booking.models import Appointment, AppointmentItem, BookingSegment, Status
from solibook.booking.selectors import catalog_snapshot
from solibook.catalog.models import Location, Master, Resource, TimeOff
from solibook.core.time import local_day_bounds, utcnow

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
NEXT_STATUSES: dict[str, list[str]] = {
    Status.CONFIRMED: [Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED, Status.NO_SHOW],
    Status.ARRIVED: [Status.IN_PROGRESS, Status.COMPLETED, Status.NO_SHOW],
    Status.IN_PROGRESS: [Status.COMPLETED],
}
CANCELLABLE = (Status.HOLD, Status.CONFIRMED)
MAX_DAYS = 42


def wall(moment: datetime, zone: ZoneInfo) -> str:
    """A UTC moment as the location's wall-clock time, without an offset."""
    return moment.astimezone(zone).replace(tzinfo=None).isoformat(timespec="minutes")


@dataclass
class MasterDay:
    """One master's day at a location, as the calendar shades it."""

    state: str  # "working", "off" (no shift), "away" (time off all day), "closed" (the salon)
    work: list[tuple[time, time]] = field(default_factory=list)  # shifts (or the day's override)
    breaks: list[tuple[time, time]] = field(default_factory=list)
    reason: str = ""  # the time off's reason, translated

    def note(self, *, is_today: bool) -> str:
        """What the master's column says under the name ('' when they work)."""
        if self.state == "closed":
            return _("Salon closed")
        if self.state == "off":
            return _("Off today") if is_today else _("Day off")
        if self.state == "away":
            return (_("Away today") if is_today else _("Away")) + (
                f" · {self.reason}" if self.reason else ""
            )
        return ""


def master_days(
    *, location: Location, masters: list[Master], start: date, end: date
) -> dict[int, dict[date, MasterDay]]:
    """Each master's working time, breaks, days off, time off and closures at
    `location` from local day `start` up to `end` (excluded), from the catalogue
    snapshot availability reads (weekly shifts, date overrides, closures)."""
    catalog = catalog_snapshot(location)
    zone = ZoneInfo(location.time_zone)
    since = local_day_bounds(start, location.time_zone)[0]
    until = local_day_bounds(end - timedelta(days=1), location.time_zone)[1]
    aways: dict[int, list[TimeOff]] = {}
    for off in TimeOff.objects.filter(
        master__in=masters, starts_at__lt=until, ends_at__gt=since
    ).exclude(reason=TimeOff.Reason.OTHER):
        aways.setdefault(off.master_id, []).append(off)
    days: dict[int, dict[date, MasterDay]] = {}
    for master in masters:
        per_day = days.setdefault(master.pk, {})
        day = start
        while day < end:
            if day in catalog.closed:
                per_day[day] = MasterDay("closed")
            else:
                if (master.pk, day) in catalog.overrides:
                    work = [
                        (s, e)
                        for s, e in catalog.overrides[(master.pk, day)]
                        if s is not None and e is not None
                    ]
                    breaks: list = []
                else:
                    work = list(catalog.shifts.get((master.pk, day.weekday()), ()))
                    breaks = list(catalog.breaks.get((master.pk, day.weekday()), ()))
                work.sort()
                breaks.sort()
                if not work:
                    per_day[day] = MasterDay("off")
                else:
                    per_day[day] = MasterDay("working", work=work, breaks=breaks)
                    covering = _covering(aways.get(master.pk, []), day, work, zone)
                    if covering is not None:
                        per_day[day] = MasterDay(
                            "away",
                            work=work,
                            reason=str(TimeOff.Reason(covering.reason).label),
                        )
            day += timedelta(days=1)
    return days


def _covering(aways: list[TimeOff], day: date, work, zone: ZoneInfo) -> TimeOff | None:
    """The time off that covers every working period of the day, if one does."""
    for off in aways:
        if all(
            off.starts_at <= datetime.combine(day, s, tzinfo=zone)
            and off.ends_at >= datetime.combine(day, e, tzinfo=zone)
            for s, e in work
        ):
            return off
    return None


def _wall_time(day: date, moment: time | None) -> str:
    """A local day's wall-clock time as the widget reads it; None is midnight after."""
    if moment is None:
        return (day + timedelta(days=1)).isoformat() + "T00:00"
    return f"{day.isoformat()}T{moment.strftime('%H:%M')}"


def shading_events(days: dict[int, dict[date, MasterDay]]) -> list[dict[str, Any]]:
    """Background events: outside working time, breaks, whole days off or closed."""
    events: list[dict[str, Any]] = []
    for master_id, per_day in days.items():
        for day, hours in per_day.items():
            spans: list[tuple[time | None, time | None, str]] = []
            if hours.state in ("off", "closed"):
                spans.append((time.min, None, f"sb-{hours.state}"))
            else:
                edge: time | None = time.min
                for s, e in hours.work:
                    if edge is not None and s > edge:
                        spans.append((edge, s, "sb-off"))
                    edge = max(edge, e) if edge is not None else e
                if edge is not None and edge != time.min:
                    spans.append((edge, None, "sb-off"))
                spans += [(s, e, "sb-break") for s, e in hours.breaks]
            for n, (begin, until, kind) in enumerate(spans):
                events.append(
                    {
                        "id": f"hours-{master_id}-{day.isoformat()}-{n}",
                        "resourceIds": [str(master_id)],
                        "start": _wall_time(day, begin),
                        "end": _wall_time(day, until),
                        "display": "background",
                        "editable": False,
                        "classNames": ["sb-hours", kind],
                        "extendedProps": {"kind": "hours", "state": hours.state},
                    }
                )
    return events


def column_notes(*, location: Location, masters: list[Master], day: date) -> dict[str, str]:
    """What each master's column says under the name on `day` ('Off today'...)."""
    today = utcnow().astimezone(ZoneInfo(location.time_zone)).date()
    days = master_days(location=location, masters=masters, start=day, end=day + timedelta(days=1))
    return {
        str(master_id): per_day[day].note(is_today=day == today)
        for master_id, per_day in days.items()
    }


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
    # Working time, breaks, days off and closures shade each master's column.
    days = master_days(location=location, masters=masters, start=start, end=end)
    events += shading_events(days)
    today = utcnow().astimezone(zone).date()
    one_day = end - start == timedelta(days=1)
    return {
        "location_id": location.pk,
        "time_zone": location.time_zone,
        "resources": [
            {
                "id": str(m.pk),
                "title": m.display_name,
                "extendedProps": {
                    "kind": "master",
                    "note": days[m.pk][start].note(is_today=start == today) if one_day else "",
                    "state": days[m.pk][start].state if one_day else "",
                },
            }
            for m in masters
        ]
        + resources,
        "events": events,
    }
