"""Reads that feed the availability kernel, in a small fixed number of queries.

`load_availability` turns the catalogue's local wall-clock schedules into
UTC minute intervals for the dates asked (DST-aware through zoneinfo),
subtracts closures and breaks, and collects what is taken: active segments
(holds only while unexpired) and time off. The number of queries does not
depend on the number of masters, days or appointments.
"""

from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.booking.intervals import Interval, normalise, subtract
from solibook.booking.kernel import Availability, ItemRequest, MasterOption, plan_segments
from solibook.booking.models import BookingSegment, ClassSession, Status
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
    ServiceVariant,
    ShiftBreak,
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
    # What it was loaded for: a refusal searches further with the same request.
    specs: tuple["ItemSpec", ...] = ()
    now: datetime | None = None
    respect_rules: bool = True

    def local_offset(self, minutes: int) -> int:
        return offset_minutes(self.zone.key, minutes // 60)


@lru_cache(maxsize=65536)
def offset_minutes(zone: str, hour: int) -> int:
    # Every zone in use changes offset on a whole hour (UTC), so an hourly
    # cache is exact.
    offset = ZoneInfo(zone).utcoffset(EPOCH + timedelta(hours=hour))
    assert offset is not None  # a ZoneInfo has an offset at every instant
    return int(offset.total_seconds() // 60)


@lru_cache(maxsize=65536)
def local_isoformat(zone: str, minutes: int) -> str:
    """A UTC minute as the zone's local time in ISO 8601 with its offset.
    A listing formats the same few hundred grid minutes on every request (a
    slot's start is its first item's start), and converting and formatting
    them was a third of an availability answer's time; the result depends on
    nothing but its arguments, so a cache is exact."""
    return from_minutes(minutes).astimezone(ZoneInfo(zone)).isoformat()


def _local(day: date, wall: time, zone: ZoneInfo) -> int:
    """UTC minutes of a wall-clock time; a time in the spring gap maps forward."""
    return to_minutes(datetime.combine(day, wall, tzinfo=zone))


def _day_intervals(day: date, periods, zone: ZoneInfo) -> list[Interval]:
    return [(_local(day, start, zone), _local(day, end, zone)) for start, end in periods]


@dataclass
class CatalogSnapshot:
    """What availability reads from the catalogue for one location, as plain
    data. Cached per process on the business's catalogue version."""

    services: dict[int, Service]
    variants: dict[int, dict[int, ServiceVariant]]  # service -> variant id -> variant
    steps_by_service: dict[int, list[tuple[int, bool]]]
    steps_by_variant: dict[int, list[tuple[int, bool]]]
    links: dict[int, list[tuple[int, int | None, int]]]  # service -> (master, own price, pace)
    master_names: dict[int, str]
    resource_types: dict[int, list[int]]  # service -> resource types
    units_by_type: dict[int, list[tuple[int, int]]]
    shifts: dict[tuple[int, int], list[tuple[time, time]]]  # (master, weekday)
    breaks: dict[tuple[int, int], list[tuple[time, time]]]
    opening_hours: dict[int, list[tuple[time, time]]] | None
    closed: set[date]  # from a week ago on: bookings are never in the past
    overrides: dict[tuple[int, date], list[tuple[time | None, time | None]]]


_SNAPSHOTS: "OrderedDict[tuple[int, int], CatalogSnapshot]" = OrderedDict()
_SNAPSHOT_LIMIT = 512


def catalog_snapshot(location: Location) -> CatalogSnapshot:
    key = (location.pk, location.business.catalog_version)
    snapshot = _SNAPSHOTS.get(key)
    if snapshot is None:
        snapshot = _load_snapshot(location)
        _SNAPSHOTS[key] = snapshot
        while len(_SNAPSHOTS) > _SNAPSHOT_LIMIT:
            _SNAPSHOTS.popitem(last=False)
    return snapshot


def catalog_snapshot_cache_clear() -> None:
    """Forget every cached snapshot. Tests call it between tests: a rolled-back
    test leaves ids and catalogue versions that the next test's rows reuse."""
    _SNAPSHOTS.clear()


def _load_snapshot(location: Location) -> CatalogSnapshot:
    business = location.business
    services = {
        s.pk: s
        for s in Service.objects.filter(business=business, is_active=True).prefetch_related(
            "variants"
        )
    }
    variants = {pk: {v.pk: v for v in s.variants.all()} for pk, s in services.items()}
    steps_by_service: dict[int, list] = defaultdict(list)
    steps_by_variant: dict[int, list] = defaultdict(list)
    for service_id, variant_id, minutes, busy in (
        ServiceStep.objects.filter(business=business)
        .order_by("position", "id")
        .values_list("service_id", "variant_id", "duration_minutes", "master_busy")
    ):
        (steps_by_variant[variant_id] if variant_id else steps_by_service[service_id]).append(
            (minutes, busy)
        )
    links: dict[int, list] = defaultdict(list)
    master_names = {}
    for master_id, service_id, price, delta, name in (
        MasterService.objects.filter(
            business=business, master__is_active=True, master__masterlocation__location=location
        )
        .order_by("master__position", "master_id")
        .values_list(
            "master_id",
            "service_id",
            "price_amount",
            "duration_delta_minutes",
            "master__display_name",
        )
    ):
        links[service_id].append((master_id, price, delta))
        master_names[master_id] = name
    resource_types: dict[int, list] = defaultdict(list)
    for service_id, type_id in ServiceResourceType.objects.filter(business=business).values_list(
        "service_id", "resource_type_id"
    ):
        resource_types[service_id].append(type_id)
    units_by_type: dict[int, list] = defaultdict(list)
    for resource_id, type_id, capacity in (
        Resource.objects.filter(location=location, is_active=True)
        .order_by("id")
        .values_list("id", "resource_type_id", "capacity")
    ):
        units_by_type[type_id].extend((resource_id, u) for u in range(capacity))
    shifts: dict[tuple, list] = defaultdict(list)
    shift_keys = {}
    for shift_id, master_id, weekday, start, end in WeeklyShift.objects.filter(
        location=location
    ).values_list("id", "master_id", "weekday", "start", "end"):
        shifts[(master_id, weekday)].append((start, end))
        shift_keys[shift_id] = (master_id, weekday)
    breaks: dict[tuple, list] = defaultdict(list)
    for shift_id, start, end in ShiftBreak.objects.filter(shift__location=location).values_list(
        "shift_id", "start", "end"
    ):
        breaks[shift_keys[shift_id]].append((start, end))
    hours: dict[int, list] = defaultdict(list)
    for weekday, opens, closes in OpeningHours.objects.filter(location=location).values_list(
        "weekday", "opens", "closes"
    ):
        hours[weekday].append((opens, closes))
    since = date.today() - timedelta(days=7)  # noqa: DTZ011 - a week of margin covers every zone
    closed = set(
        LocationClosure.objects.filter(location=location, date__gte=since).values_list(
            "date", flat=True
        )
    )
    overrides: dict[tuple, list] = defaultdict(list)
    for master_id, day, override_start, override_end in DateOverride.objects.filter(
        location=location, date__gte=since
    ).values_list("master_id", "date", "start", "end"):
        overrides[(master_id, day)].append((override_start, override_end))
    return CatalogSnapshot(
        services=services,
        variants=variants,
        steps_by_service=dict(steps_by_service),
        steps_by_variant=dict(steps_by_variant),
        links=dict(links),
        master_names=master_names,
        resource_types=dict(resource_types),
        units_by_type=dict(units_by_type),
        shifts=dict(shifts),
        breaks=dict(breaks),
        opening_hours=dict(hours) if hours else None,
        closed=closed,
        overrides=dict(overrides),
    )


def load_availability(
    *,
    location: Location,
    specs: list[ItemSpec],
    start_date: date,
    days: int,
    now: datetime,
    ignore_appointment_id: int | None = None,
    respect_rules: bool = True,
) -> Loaded:
    """Everything needed to list or check slots at `location` for `days` local days."""
    business = location.business
    zone = ZoneInfo(location.time_zone)
    if not specs:
        raise ValidationFailed(
            _("Choose at least one service."),
            fields={"services": [_("Choose at least one service.")]},
        )
    if not 1 <= days <= 62:
        raise ValidationFailed(
            _("Ask for 1 to 62 days."), fields={"days": [_("Ask for 1 to 62 days.")]}
        )
    catalog = catalog_snapshot(location)

    items, prices, master_ids = [], {}, set()
    services = {}
    for i, spec in enumerate(specs):
        service = catalog.services.get(spec.service_id)
        if service is None:
            raise NotFound(
                _("Unknown service."), fields={f"items.{i}.service_id": [_("Unknown service.")]}
            )
        services[service.pk] = service
        variant = (
            catalog.variants[service.pk].get(spec.variant_id)
            if spec.variant_id is not None
            else None
        )
        if spec.variant_id is not None and variant is None:
            raise NotFound(
                _("Unknown service option."),
                fields={f"items.{i}.variant_id": [_("Unknown service option.")]},
            )
        steps = (
            (catalog.steps_by_variant.get(variant.pk) if variant else None)
            or catalog.steps_by_service.get(service.pk)
            or []
        )
        if not steps:
            raise ValidationFailed(
                _("This service has no duration yet."),
                fields={f"items.{i}.service_id": [_("This service has no duration yet.")]},
            )
        candidates = catalog.links.get(service.pk, [])
        if spec.master_id is not None:
            candidates = [c for c in candidates if c[0] == spec.master_id]
            if not candidates:
                raise ValidationFailed(
                    _("This master does not perform this service here."),
                    fields={
                        f"items.{i}.master_id": [
                            _("This master does not perform this service here.")
                        ]
                    },
                )
        options = []
        for master_id, own_price, delta in candidates:
            segments, duration = plan_segments(
                steps,
                buffer_before=service.buffer_before_minutes,
                buffer_after=service.buffer_after_minutes,
                delta=delta,
            )
            options.append(MasterOption(master_id=master_id, segments=segments, duration=duration))
            prices[(i, master_id)] = (
                variant.price_amount
                if variant
                else (own_price if own_price is not None else service.price_amount)
            )
            master_ids.add(master_id)
        needs = tuple(
            tuple(catalog.units_by_type.get(t, ()))
            for t in catalog.resource_types.get(service.pk, ())
        )
        items.append(
            ItemRequest(
                options=tuple(options),
                resource_needs=needs,
                buffer_before=service.buffer_before_minutes,
                buffer_after=service.buffer_after_minutes,
            )
        )

    end_date = start_date + timedelta(days=days)
    # One local day of margin either side: visits and offsets cross midnight.
    first_day, last_day = start_date - timedelta(days=1), end_date + timedelta(days=1)
    range_from = datetime.combine(first_day, time.min, tzinfo=zone)
    range_to = datetime.combine(last_day, time.min, tzinfo=zone)

    working = working_time(location, catalog, sorted(master_ids), first_day, last_day, zone)
    busy = taken_intervals(
        business, sorted(master_ids), range_from, range_to, now, ignore_appointment_id
    )
    unit_list = sorted({u for item in items for need in item.resource_needs for u in need})
    unit_busy = units_taken(unit_list, range_from, range_to, now, ignore_appointment_id)
    open_hours = opening_intervals(catalog, first_day, last_day, zone)

    window_start = to_minutes(datetime.combine(start_date, time.min, tzinfo=zone))
    window_end = to_minutes(datetime.combine(end_date, time.min, tzinfo=zone)) - 1
    earliest = _ceil_minutes(now)
    if respect_rules:
        earliest = _ceil_minutes(now + timedelta(minutes=business.lead_time_minutes))
        window_end = min(window_end, to_minutes(now + timedelta(days=business.horizon_days)))
    window = (max(window_start, earliest), window_end)

    return Loaded(
        location=location,
        availability=Availability(
            working=working, busy=busy, unit_busy=unit_busy, open_hours=open_hours
        ),
        items=tuple(items),
        window=window,
        step=business.slot_step_minutes,
        zone=zone,
        services=services,
        prices=prices,
        master_names=catalog.master_names,
        master_ids=sorted(master_ids),
        specs=tuple(specs),
        now=now,
        respect_rules=respect_rules,
    )


def working_time(
    location, catalog: CatalogSnapshot, master_ids, first_day, last_day, zone
) -> dict[int, list[Interval]]:
    """Shifts minus breaks per local day, replaced by date overrides, minus closures."""
    closed, overrides = catalog.closed, catalog.overrides

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
                    day_work = normalise(_day_intervals(day, catalog.shifts.get(key, ()), zone))
                    day_breaks = normalise(_day_intervals(day, catalog.breaks.get(key, ()), zone))
                    intervals += subtract(day_work, day_breaks) if day_breaks else day_work
            day += timedelta(days=1)
        working[master_id] = normalise(intervals)
    return working


def _active_segments(range_from, range_to, now, ignore_appointment_id):
    query = BookingSegment.objects.filter(
        is_active=True, ends_at__gt=range_from, starts_at__lt=range_to
    ).filter(Q(hold_expires_at__isnull=True) | Q(hold_expires_at__gt=now))
    if ignore_appointment_id is not None:
        query = query.exclude(appointment_id=ignore_appointment_id)
    return query


def minutes_sql(column: str, *, ceil: bool = False) -> str:
    """Epoch minutes computed by the database: no datetime objects to build
    for hundreds of rows on the hottest read of the product."""
    if connection.vendor == "postgresql":
        return f"{'ceil' if ceil else 'floor'}(extract(epoch from {column}) / 60)::bigint"
    seconds = f"CAST(strftime('%%s', {column}) AS INTEGER)"
    return f"(({seconds} + 59) / 60)" if ceil else f"({seconds} / 60)"


def taken_intervals(
    business, master_ids, range_from, range_to, now, ignore_appointment_id
) -> dict[int, list[Interval]]:
    """Active segments (holds while unexpired) and time off, in one query."""
    if not master_ids:
        return {}
    adapt = connection.ops.adapt_datetimefield_value
    in_masters = ", ".join(["%s"] * len(master_ids))
    ignore = " AND appointment_id <> %s" if ignore_appointment_id is not None else ""
    # Only column expressions and placeholders are interpolated below.
    sql = (
        f"SELECT master_id, {minutes_sql('starts_at')}, {minutes_sql('ends_at', ceil=True)} FROM booking_bookingsegment"  # noqa: S608
        f" WHERE business_id = %s AND is_active AND master_id IN ({in_masters}) AND ends_at > %s AND starts_at < %s"
        f" AND (hold_expires_at IS NULL OR hold_expires_at > %s){ignore}"
        f" UNION ALL SELECT master_id, {minutes_sql('starts_at')}, {minutes_sql('ends_at', ceil=True)} FROM catalog_timeoff"
        f" WHERE business_id = %s AND master_id IN ({in_masters}) AND ends_at > %s AND starts_at < %s"
    )
    params = [business.pk, *master_ids, adapt(range_from), adapt(range_to), adapt(now)]
    if ignore_appointment_id is not None:
        params.append(ignore_appointment_id)
    params += [business.pk, *master_ids, adapt(range_from), adapt(range_to)]
    busy: dict[int, list[Interval]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for master_id, start, end in cursor.fetchall():
            busy[master_id].append((int(start), int(end)))
    return {m: normalise(v) for m, v in busy.items()}


def units_taken(
    units, range_from, range_to, now, ignore_appointment_id
) -> dict[tuple[int, int], list[Interval]]:
    """Busy intervals per resource unit (active segments, holds while unexpired)."""
    if not units:
        return {}
    taken: dict[tuple[int, int], list[Interval]] = defaultdict(list)
    rows = (
        _active_segments(range_from, range_to, now, ignore_appointment_id)
        .filter(resource_id__in={r for r, _u in units})
        .values_list("resource_id", "unit", "starts_at", "ends_at")
    )
    for resource_id, unit, starts_at, ends_at in rows:
        taken[(resource_id, unit)].append((to_minutes(starts_at), _ceil_minutes(ends_at)))
    return {u: normalise(v) for u, v in taken.items()}


def opening_intervals(catalog: CatalogSnapshot, first_day, last_day, zone) -> list[Interval] | None:
    """The location's opening hours as epoch-minute intervals; None when it sets none."""
    if catalog.opening_hours is None:
        return None
    intervals = []
    day = first_day
    while day <= last_day:
        intervals += _day_intervals(day, catalog.opening_hours.get(day.weekday(), ()), zone)
        day += timedelta(days=1)
    return normalise(intervals)


def listed_location(location_id: int) -> Location:
    """A location of a salon listed on the marketplace, for anyone (404 otherwise)."""
    with scopes_disabled():  # the marketplace reads any listed salon
        location = (
            Location.objects.select_related("business")
            .filter(pk=location_id, business__is_listed=True)
            .first()
        )
    if location is None:
        raise Http404
    return location


@dataclass
class OpenClass:
    """An upcoming session of a group class, with the seats still free."""

    session_id: int
    service_id: int
    service_name: str
    master_id: int
    master_name: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int
    price_amount: int
    currency: str

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.taken)

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


# Seats are counted as the booking engine counts them: attendees and unexpired holds.
_SEAT_TAKEN_STATUSES = [Status.CONFIRMED, Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED]
_SEAT_HELD_STATUSES = [Status.HOLD, Status.AWAITING_DEPOSIT]


def class_sessions_upcoming(
    *, location: Location, now: datetime, days: int = 21
) -> list[OpenClass]:
    """Sessions of the location's online group classes from `now` for `days` days."""
    live = Q(attendees__status__in=_SEAT_TAKEN_STATUSES) | Q(
        attendees__status__in=_SEAT_HELD_STATUSES, attendees__hold_expires_at__gt=now
    )
    with scopes_disabled():  # the public class list; scoped by `location`
        sessions = list(
            ClassSession.objects.filter(
                location=location,
                is_active=True,
                service__is_active=True,
                service__bookable_online=True,
                starts_at__gt=now,
                starts_at__lte=now + timedelta(days=days),
            )
            .annotate(taken=Count("attendees", filter=live))
            .select_related("service", "master")
            .order_by("starts_at", "pk")
        )
        # The master's own price for the class, where they set one.
        own_prices: dict[tuple[int, int], int] = {
            (service_id, master_id): price
            for service_id, master_id, price in MasterService.objects.filter(
                service__in={s.service_id for s in sessions},
                price_amount__isnull=False,
            ).values_list("service_id", "master_id", "price_amount")
            if price is not None
        }
    return [
        OpenClass(
            session_id=s.pk,
            service_id=s.service_id,
            service_name=s.service.name,
            master_id=s.master_id,
            master_name=s.master.display_name,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            capacity=s.capacity,
            taken=s.taken,
            price_amount=own_prices.get((s.service_id, s.master_id), s.service.price_amount),
            currency=s.service.currency,
        )
        for s in sessions
    ]
