"""Reads that feed the availability kernel, in a small fixed number of queries.

`load_availability` turns the catalogue's local wall-clock schedules into
UTC minute intervals for the dates asked (DST-aware through zoneinfo),
subtracts closures and breaks, and collects what is taken: active segments
(holds only while unexpired) and time off. The number of queries does not
depend on the number of masters, days or appointments.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils.translation import gettext as _

from solibook.booking.intervals import Interval, normalise, subtract
from solibook.booking.kernel import Availability, ItemRequest, MasterOption, plan_segments
from solibook.booking.models import BookingSegment
from solibook.catalog.models import (
    DateOverride,
    Location,
    LocationClosure,
    MasterService,
    OpeningHours,
    Resource,
    Service,
    ServiceResourceType,
    ServiceStep,
    ShiftBreak,
    TimeOff,
    WeeklyShift,
)
from solibook.core.errors import NotFound, ValidationFailed

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_minutes(moment: datetime) -> int:
    return int((moment - EPOCH).total_seconds() // 60)


def from_minutes(minutes: int) -> datetime:
    return EPOCH + timedelta(minutes=minutes)


def _ceil_minutes(moment: datetime) -> int:
    seconds = (moment - EPOCH).total_seconds()
    return int(-(-seconds // 60))


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """One service of a visit, as the client asks for it."""

    service_id: int
    variant_id: int | None = None
    master_id: int | None = None  # None: any master


@dataclass
class Loaded:
    """The kernel's inputs plus what the caller needs to price and write."""

    location: Location
    availability: Availability
    items: tuple[ItemRequest, ...]
    window: Interval
    step: int
    zone: ZoneInfo
    services: dict[int, Service]
    prices: dict[tuple[int, int], int]  # (item index, master) -> price
    master_names: dict[int, str]
    master_ids: list[int]
    unit_resources: list[int] = field(default_factory=list)

    def local_offset(self, minutes: int) -> int:
        return _offset_minutes(self.zone.key, minutes // 60)


@lru_cache(maxsize=65536)
def _offset_minutes(zone: str, hour: int) -> int:
    # Every zone in use changes offset on a whole hour (UTC), so an hourly
    # cache is exact.
    return int(ZoneInfo(zone).utcoffset(EPOCH + timedelta(hours=hour)).total_seconds() // 60)


def _local(day: date, wall: time, zone: ZoneInfo) -> int:
    """UTC minutes of a wall-clock time; a time in the spring gap maps forward."""
    return to_minutes(datetime.combine(day, wall, tzinfo=zone))


def _day_intervals(day: date, periods, zone: ZoneInfo) -> list[Interval]:
    return [(_local(day, start, zone), _local(day, end, zone)) for start, end in periods]


def _steps_by_owner(service_ids) -> tuple[dict[int, list], dict[int, list]]:
    by_service: dict[int, list] = defaultdict(list)
    by_variant: dict[int, list] = defaultdict(list)
    rows = ServiceStep.objects.filter(service_id__in=service_ids).order_by("position", "id").values_list(
        "service_id", "variant_id", "duration_minutes", "master_busy"
    )
    for service_id, variant_id, minutes, busy in rows:
        (by_variant[variant_id] if variant_id else by_service[service_id]).append((minutes, busy))
    return by_service, by_variant


def load_availability(*, location: Location, specs: list[ItemSpec], start_date: date, days: int, now: datetime, ignore_appointment_id: int | None = None, respect_rules: bool = True) -> Loaded:
    """Everything needed to list or check slots at `location` for `days` local days."""
    business = location.business
    zone = ZoneInfo(location.time_zone)
    if not specs:
        raise ValidationFailed(_("Choose at least one service."), fields={"services": [_("Choose at least one service.")]})
    if not 1 <= days <= 62:
        raise ValidationFailed(_("Ask for 1 to 62 days."), fields={"days": [_("Ask for 1 to 62 days.")]})

    service_ids = {s.service_id for s in specs}
    services = {s.pk: s for s in Service.objects.filter(business=business, pk__in=service_ids, is_active=True).prefetch_related("variants")}
    for i, spec in enumerate(specs):
        if spec.service_id not in services:
            raise NotFound(_("Unknown service."), fields={f"items.{i}.service_id": [_("Unknown service.")]})
        if spec.variant_id is not None and spec.variant_id not in {v.pk for v in services[spec.service_id].variants.all()}:
            raise NotFound(_("Unknown service option."), fields={f"items.{i}.variant_id": [_("Unknown service option.")]})
    steps_by_service, steps_by_variant = _steps_by_owner(service_ids)

    links = list(
        MasterService.objects.filter(
            business=business, service_id__in=service_ids, master__is_active=True, master__masterlocation__location=location
        ).values_list("master_id", "service_id", "price_amount", "duration_delta_minutes", "master__display_name")
    )
    by_service: dict[int, list] = defaultdict(list)
    master_names = {}
    for master_id, service_id, price, delta, name in links:
        by_service[service_id].append((master_id, price, delta))
        master_names[master_id] = name

    items, prices, master_ids = [], {}, set()
    resource_types = defaultdict(list)
    for service_id, type_id in ServiceResourceType.objects.filter(service_id__in=service_ids).values_list("service_id", "resource_type_id"):
        resource_types[service_id].append(type_id)
    units_by_type: dict[int, list[tuple[int, int]]] = defaultdict(list)
    if resource_types:
        for resource_id, type_id, capacity in Resource.objects.filter(location=location, is_active=True).order_by("id").values_list("id", "resource_type_id", "capacity"):
            units_by_type[type_id].extend((resource_id, u) for u in range(capacity))

    for i, spec in enumerate(specs):
        service = services[spec.service_id]
        variant = next((v for v in service.variants.all() if v.pk == spec.variant_id), None)
        steps = steps_by_variant.get(spec.variant_id) if variant else None
        steps = steps or steps_by_service.get(service.pk) or []
        if not steps:
            raise ValidationFailed(_("This service has no duration yet."), fields={f"items.{i}.service_id": [_("This service has no duration yet.")]})
        candidates = by_service.get(service.pk, [])
        if spec.master_id is not None:
            candidates = [c for c in candidates if c[0] == spec.master_id]
            if not candidates:
                raise ValidationFailed(
                    _("This master does not perform this service here."),
                    fields={f"items.{i}.master_id": [_("This master does not perform this service here.")]},
                )
        options = []
        for master_id, own_price, delta in candidates:
            segments, duration = plan_segments(steps, buffer_before=service.buffer_before_minutes, buffer_after=service.buffer_after_minutes, delta=delta)
            options.append(MasterOption(master_id=master_id, segments=segments, duration=duration))
            prices[(i, master_id)] = variant.price_amount if variant else (own_price if own_price is not None else service.price_amount)
            master_ids.add(master_id)
        needs = tuple(tuple(units_by_type.get(t, ())) for t in resource_types.get(service.pk, ()))
        items.append(ItemRequest(options=tuple(options), resource_needs=needs, buffer_before=service.buffer_before_minutes, buffer_after=service.buffer_after_minutes))

    end_date = start_date + timedelta(days=days)
    # One local day of margin either side: visits and offsets cross midnight.
    first_day, last_day = start_date - timedelta(days=1), end_date + timedelta(days=1)
    range_from = datetime.combine(first_day, time.min, tzinfo=zone)
    range_to = datetime.combine(last_day, time.min, tzinfo=zone)

    working = _working_time(location, sorted(master_ids), first_day, last_day, zone)
    busy = _taken(sorted(master_ids), range_from, range_to, now, ignore_appointment_id)
    unit_list = sorted({u for item in items for need in item.resource_needs for u in need})
    unit_busy = _units_taken(unit_list, range_from, range_to, now, ignore_appointment_id)
    open_hours = _open_hours(location, first_day, last_day, zone)

    window_start = to_minutes(datetime.combine(start_date, time.min, tzinfo=zone))
    window_end = to_minutes(datetime.combine(end_date, time.min, tzinfo=zone)) - 1
    earliest = _ceil_minutes(now)
    if respect_rules:
        earliest = _ceil_minutes(now + timedelta(minutes=business.lead_time_minutes))
        window_end = min(window_end, to_minutes(now + timedelta(days=business.horizon_days)))
    window = (max(window_start, earliest), window_end)

    return Loaded(
        location=location,
        availability=Availability(working=working, busy=busy, unit_busy=unit_busy, open_hours=open_hours),
        items=tuple(items),
        window=window,
        step=business.slot_step_minutes,
        zone=zone,
        services=services,
        prices=prices,
        master_names=master_names,
        master_ids=sorted(master_ids),
    )


def _working_time(location, master_ids, first_day, last_day, zone) -> dict[int, list[Interval]]:
    closed = set(LocationClosure.objects.filter(location=location, date__gte=first_day, date__lte=last_day).values_list("date", flat=True))
    shifts = defaultdict(list)
    shift_ids = {}
    for shift_id, master_id, weekday, start, end in WeeklyShift.objects.filter(location=location, master_id__in=master_ids).values_list(
        "id", "master_id", "weekday", "start", "end"
    ):
        shifts[(master_id, weekday)].append((start, end))
        shift_ids[shift_id] = (master_id, weekday)
    breaks = defaultdict(list)
    for shift_id, start, end in ShiftBreak.objects.filter(shift_id__in=list(shift_ids)).values_list("shift_id", "start", "end"):
        breaks[shift_ids[shift_id]].append((start, end))
    overrides = defaultdict(list)
    for master_id, day, start, end in DateOverride.objects.filter(
        location=location, master_id__in=master_ids, date__gte=first_day, date__lte=last_day
    ).values_list("master_id", "date", "start", "end"):
        overrides[(master_id, day)].append((start, end))

    working: dict[int, list[Interval]] = {}
    for master_id in master_ids:
        intervals: list[Interval] = []
        day = first_day
        while day <= last_day:
            if day not in closed:
                if (master_id, day) in overrides:
                    periods = [(s, e) for s, e in overrides[(master_id, day)] if s is not None]
                    intervals += _day_intervals(day, periods, zone)
                else:
                    key = (master_id, day.weekday())
                    day_work = normalise(_day_intervals(day, shifts.get(key, ()), zone))
                    day_breaks = normalise(_day_intervals(day, breaks.get(key, ()), zone))
                    intervals += subtract(day_work, day_breaks)
            day += timedelta(days=1)
        working[master_id] = normalise(intervals)
    return working


def _active_segments(range_from, range_to, now, ignore_appointment_id):
    query = BookingSegment.objects.filter(is_active=True, ends_at__gt=range_from, starts_at__lt=range_to).filter(
        Q(hold_expires_at__isnull=True) | Q(hold_expires_at__gt=now)
    )
    if ignore_appointment_id is not None:
        query = query.exclude(appointment_id=ignore_appointment_id)
    return query


def _taken(master_ids, range_from, range_to, now, ignore_appointment_id) -> dict[int, list[Interval]]:
    busy: dict[int, list[Interval]] = defaultdict(list)
    rows = _active_segments(range_from, range_to, now, ignore_appointment_id).filter(master_id__in=master_ids).values_list("master_id", "starts_at", "ends_at")
    for master_id, starts_at, ends_at in rows:
        busy[master_id].append((to_minutes(starts_at), _ceil_minutes(ends_at)))
    for master_id, starts_at, ends_at in TimeOff.objects.filter(master_id__in=master_ids, ends_at__gt=range_from, starts_at__lt=range_to).values_list(
        "master_id", "starts_at", "ends_at"
    ):
        busy[master_id].append((to_minutes(starts_at), _ceil_minutes(ends_at)))
    return {m: normalise(v) for m, v in busy.items()}


def _units_taken(units, range_from, range_to, now, ignore_appointment_id) -> dict[tuple[int, int], list[Interval]]:
    if not units:
        return {}
    taken: dict[tuple[int, int], list[Interval]] = defaultdict(list)
    rows = _active_segments(range_from, range_to, now, ignore_appointment_id).filter(resource_id__in={r for r, _u in units}).values_list(
        "resource_id", "unit", "starts_at", "ends_at"
    )
    for resource_id, unit, starts_at, ends_at in rows:
        taken[(resource_id, unit)].append((to_minutes(starts_at), _ceil_minutes(ends_at)))
    return {u: normalise(v) for u, v in taken.items()}


def _open_hours(location, first_day, last_day, zone) -> list[Interval] | None:
    rows = list(OpeningHours.objects.filter(location=location).values_list("weekday", "opens", "closes"))
    if not rows:
        return None
    per_day = defaultdict(list)
    for weekday, opens, closes in rows:
        per_day[weekday].append((opens, closes))
    intervals = []
    day = first_day
    while day <= last_day:
        intervals += _day_intervals(day, per_day.get(day.weekday(), ()), zone)
        day += timedelta(days=1)
    return normalise(intervals)
