"""Keeps the marketplace's search index and free-time summary current.

The free time of a master on a day comes from the booking engine's own
selectors (catalogue snapshot -> working time, one SQL read of what is
taken), so the summary and the availability API cannot disagree on the
inputs. Holds are not counted as taken: a hold lasts minutes and expires
without any event, so counting it would hide freed time until the next
rebuild; confirming a hold sends `appointment_changed` and the summary
then counts it.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking.intervals import Interval, intersect, subtract
from solibook.booking.intervals import normalise as normalise_intervals
from solibook.booking.kernel import plan_segments
from solibook.booking.selectors import (
    CatalogSnapshot,
    catalog_snapshot,
    minutes_sql,
    opening_intervals,
    taken_intervals,
    to_minutes,
    units_taken,
    working_time,
)
from solibook.catalog.models import (
    Category,
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
    WeeklyShift,
)
from solibook.catalog.taxonomy import category_terms
from solibook.marketplace.cities import city_key, city_names
from solibook.marketplace.models import FreeTime, OldSlug, SalonListing, ServiceListing
from solibook.marketplace.text import search_text

# Holds expiring after this instant still count as free (see the module docstring).
_IGNORE_HOLDS = datetime(9999, 1, 1, tzinfo=UTC)


def summary_days() -> int:
    return getattr(settings, "MARKETPLACE_SUMMARY_DAYS", 30)


def city_slug(city: str) -> str:
    """The one slug of a city, whatever the language it is written in."""
    return city_key(city) or "-"


# --- catalogue snapshots, many locations at once ------------------------------


def load_snapshots(locations: list[Location]) -> dict[int, CatalogSnapshot]:
    """`booking.selectors.catalog_snapshot` for many locations in a fixed
    number of queries (the same reads as `_load_snapshot`, with `__in`).

    A rebuild of thousands of salons would otherwise pay eleven round trips
    per salon. `tests/test_rebuild.py` asserts both give equal snapshots.
    """
    if not locations:
        return {}
    by_location = {loc.pk: loc for loc in locations}
    business_ids = {loc.business_id for loc in locations}
    location_ids = list(by_location)
    services: dict[int, dict] = defaultdict(dict)
    for service in Service.objects.filter(
        business_id__in=business_ids, is_active=True
    ).prefetch_related("variants"):
        services[service.business_id][service.pk] = service
    steps_by_service: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    steps_by_variant: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    for business_id, service_id, variant_id, minutes, busy in (
        ServiceStep.objects.filter(business_id__in=business_ids)
        .order_by("position", "id")
        .values_list("business_id", "service_id", "variant_id", "duration_minutes", "master_busy")
    ):
        (
            steps_by_variant[business_id][variant_id]
            if variant_id
            else steps_by_service[business_id][service_id]
        ).append((minutes, busy))
    links: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    master_names: dict[int, dict] = defaultdict(dict)
    for location_id, business_id, master_id, service_id, price, delta, name in (
        MasterService.objects.filter(
            business_id__in=business_ids,
            master__is_active=True,
            master__masterlocation__location_id__in=location_ids,
        )
        .order_by("master__position", "master_id")
        .values_list(
            "master__masterlocation__location_id",
            "business_id",
            "master_id",
            "service_id",
            "price_amount",
            "duration_delta_minutes",
            "master__display_name",
        )
    ):
        if by_location[location_id].business_id != business_id:
            continue
        links[location_id][service_id].append((master_id, price, delta))
        master_names[location_id][master_id] = name
    resource_types: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    for business_id, service_id, type_id in ServiceResourceType.objects.filter(
        business_id__in=business_ids
    ).values_list("business_id", "service_id", "resource_type_id"):
        resource_types[business_id][service_id].append(type_id)
    units_by_type: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    for location_id, resource_id, type_id, capacity in (
        Resource.objects.filter(location_id__in=location_ids, is_active=True)
        .order_by("id")
        .values_list("location_id", "id", "resource_type_id", "capacity")
    ):
        units_by_type[location_id][type_id].extend((resource_id, u) for u in range(capacity))
    shifts: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    shift_keys = {}
    for shift_id, location_id, master_id, weekday, start, end in WeeklyShift.objects.filter(
        location_id__in=location_ids
    ).values_list("id", "location_id", "master_id", "weekday", "start", "end"):
        shifts[location_id][(master_id, weekday)].append((start, end))
        shift_keys[shift_id] = (location_id, (master_id, weekday))
    breaks: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    for shift_id, start, end in ShiftBreak.objects.filter(
        shift__location_id__in=location_ids
    ).values_list("shift_id", "start", "end"):
        location_id, key = shift_keys[shift_id]
        breaks[location_id][key].append((start, end))
    hours: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    for location_id, weekday, opens, closes in OpeningHours.objects.filter(
        location_id__in=location_ids
    ).values_list("location_id", "weekday", "opens", "closes"):
        hours[location_id][weekday].append((opens, closes))
    since = date.today() - timedelta(days=7)  # noqa: DTZ011 - as _load_snapshot
    closed: dict[int, set] = defaultdict(set)
    for location_id, day in LocationClosure.objects.filter(
        location_id__in=location_ids, date__gte=since
    ).values_list("location_id", "date"):
        closed[location_id].add(day)
    overrides: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    for location_id, master_id, day, start, end in DateOverride.objects.filter(
        location_id__in=location_ids, date__gte=since
    ).values_list("location_id", "master_id", "date", "start", "end"):
        overrides[location_id][(master_id, day)].append((start, end))
    snapshots = {}
    for location_id, loc in by_location.items():
        b = loc.business_id
        own = services.get(b, {})
        snapshots[location_id] = CatalogSnapshot(
            services=dict(own),
            variants={pk: {v.pk: v for v in s.variants.all()} for pk, s in own.items()},
            steps_by_service=dict(steps_by_service.get(b, {})),
            steps_by_variant=dict(steps_by_variant.get(b, {})),
            links=dict(links.get(location_id, {})),
            master_names=dict(master_names.get(location_id, {})),
            resource_types=dict(resource_types.get(b, {})),
            units_by_type=dict(units_by_type.get(location_id, {})),
            shifts=dict(shifts.get(location_id, {})),
            breaks=dict(breaks.get(location_id, {})),
            opening_hours=dict(hours[location_id]) if location_id in hours else None,
            closed=closed.get(location_id, set()),
            overrides=dict(overrides.get(location_id, {})),
        )
    return snapshots


# --- listings ------------------------------------------------------------------


def _plans(catalog, service) -> list:
    steps = catalog.steps_by_service.get(service.pk) or []
    if not steps:
        return []
    plans = []
    for master_id, own_price, delta in catalog.links.get(service.pk, []):
        segments, duration = plan_segments(
            steps,
            buffer_before=service.buffer_before_minutes,
            buffer_after=service.buffer_after_minutes,
            delta=delta,
        )
        price = own_price if own_price is not None else service.price_amount
        plans.append([master_id, [[s.offset, s.length] for s in segments], duration, price])
    return plans


# PostgreSQL's text search configuration per language; Arabic has none
# built in: its words are folded by `text.search_words` and indexed 'simple'.
CONFIGS = {"en": "english", "fr": "french", "ru": "russian", "ar": "simple"}
_COUNTRY_LANGUAGE = {"FR": "fr", "BE": "fr", "CH": "fr", "RU": "ru", "SA": "ar", "AE": "ar"}


def _salon_languages(business) -> list[str]:
    """The languages the salon writes its menu in: those it declares, else its country's."""
    declared = [code[:2] for code in business.languages or () if code[:2] in CONFIGS]
    return declared or [_COUNTRY_LANGUAGE.get(business.country, "en")]


def _categories() -> dict[int, Category]:
    return {c.pk: c for c in Category.objects.all()}


def _search_fields(
    business, location: Location, services: list, categories: dict[int, Category]
) -> dict:
    """`search_text` (every word, for substring and trigram matching) and
    `search_terms` (the words by text search configuration): the salon's own
    names in its languages, its city's names and its categories' (and their
    parents') names and synonyms in the four languages."""
    terms: dict[str, list[str]] = {config: [] for config in dict.fromkeys(CONFIGS.values())}
    own = [business.name, location.name, location.city, *(s.name for s, _p, _n in services)]
    for language in _salon_languages(business):
        terms[CONFIGS[language]] += own
    names = city_names(city_slug(location.city))
    for language, config in CONFIGS.items():
        terms[config] += names.get(language, [])
    terms["simple"] += names.get("other", [])
    seen: set[int] = set()
    for service, _p, _n in services:
        category = categories.get(service.category_id)
        while category is not None and category.pk not in seen:
            seen.add(category.pk)
            synonyms = category_terms(category.slug)
            for language, config in CONFIGS.items():
                terms[config] += [getattr(category, f"name_{language}"), *synonyms[language]]
            category = categories.get(category.parent_id) if category.parent_id else None
    return {
        "search_text": search_text(text for texts in terms.values() for text in texts),
        "search_terms": {config: search_text(texts) for config, texts in terms.items()},
    }


def _listing_fields(
    location: Location, catalog: CatalogSnapshot, categories: dict[int, Category]
) -> tuple[dict, list]:
    business = location.business
    hours: dict[str, list] = {}
    for weekday, periods in sorted((catalog.opening_hours or {}).items()):
        hours[str(weekday)] = sorted(
            [opens.hour * 60 + opens.minute, closes.hour * 60 + closes.minute]
            for opens, closes in periods
        )
    services = []
    for service in catalog.services.values():
        if not service.bookable_online or service.is_group:
            continue  # classes are booked by session, not by free time
        plans = _plans(catalog, service)
        if not plans:
            continue
        needs = [
            [list(u) for u in catalog.units_by_type.get(t, ())]
            for t in catalog.resource_types.get(service.pk, ())
        ]
        services.append((service, plans, needs))
    fields = {
        "business": business,
        "name": business.name,
        "business_slug": business.slug,
        "location_name": location.name,
        "address": location.address,
        "city": location.city,
        "city_slug": city_slug(location.city),
        "country": location.country,
        "latitude": float(location.latitude) if location.latitude is not None else None,
        "longitude": float(location.longitude) if location.longitude is not None else None,
        "time_zone": location.time_zone,
        "currency": business.currency,
        "min_price": min((min(p[3] for p in plans) for _s, plans, _n in services), default=None),
        "category_ids": sorted({s.category_id for s, _p, _n in services}),
        **_search_fields(business, location, services, categories),
        "opening_hours": hours,
        "lead_time_minutes": business.lead_time_minutes,
        "horizon_days": business.horizon_days,
        "slot_step_minutes": business.slot_step_minutes,
        "cancellation_window_hours": business.cancellation_window_hours,
        "cancellation_fee_percent": business.cancellation_fee_percent,
        "deposit_rule": business.deposit_rule,
        "deposit_value": business.deposit_value,
        "catalog_version": business.catalog_version,
    }
    return fields, services


def _longest_busy_run(plans: list) -> int:
    """The least, over masters, of the longest part of the plan the master
    is busy for: a master whose longest free interval is shorter cannot do
    the service (search skips such summary rows in SQL)."""
    return min(
        (max((length for _o, length in segments), default=0) for _m, segments, _d, _p in plans),
        default=0,
    )


_LISTING_UPDATE = [
    "business",
    "name",
    "business_slug",
    "location_name",
    "address",
    "city",
    "city_slug",
    "country",
    "latitude",
    "longitude",
    "time_zone",
    "currency",
    "min_price",
    "category_ids",
    "search_text",
    "search_terms",
    "opening_hours",
    "lead_time_minutes",
    "horizon_days",
    "slot_step_minutes",
    "cancellation_window_hours",
    "cancellation_fee_percent",
    "deposit_rule",
    "deposit_value",
    "catalog_version",
    "updated_at",
]


def _keep_old_slugs(locations: list[Location]) -> None:
    """A salon whose slug changed keeps the old one as a redirect (its
    listing still holds it); a slug in use again is no longer an old one."""
    current = {loc.business_id: loc.business.slug for loc in locations}
    changed = {
        (business_id, slug)
        for business_id, slug in SalonListing.objects.filter(business_id__in=current).values_list(
            "business_id", "business_slug"
        )
        if slug != current[business_id]
    }
    OldSlug.objects.filter(slug__in=current.values()).delete()
    if changed:
        OldSlug.objects.bulk_create(
            [OldSlug(slug=slug, business_id=business_id) for business_id, slug in changed],
            update_conflicts=True,
            unique_fields=["slug"],
            update_fields=["business"],
        )


def listings_refresh(
    locations: list[Location], snapshots: dict[int, CatalogSnapshot]
) -> dict[int, int]:
    """Rewrite the listings of `locations` (listed businesses) with their
    services, in a fixed number of queries. Returns {location id: listing id}."""
    if not locations:
        return {}
    categories = _categories()
    built = {loc.pk: _listing_fields(loc, snapshots[loc.pk], categories) for loc in locations}
    _keep_old_slugs(locations)
    SalonListing.objects.bulk_create(
        [SalonListing(location=loc, **built[loc.pk][0]) for loc in locations],
        update_conflicts=True,
        unique_fields=["location"],
        update_fields=_LISTING_UPDATE,
    )
    ids = dict(SalonListing.objects.filter(location_id__in=built).values_list("location_id", "id"))
    ServiceListing.objects.filter(salon_id__in=ids.values()).delete()
    ServiceListing.objects.bulk_create(
        [
            ServiceListing(
                salon_id=ids[location_id],
                service=service,
                category_id=service.category_id,
                name=service.name,
                price_amount=min(p[3] for p in plans),
                price_is_from=service.price_is_from or len({p[3] for p in plans}) > 1,
                currency=service.currency,
                duration_minutes=min(p[2] for p in plans),
                duration_max=max(p[2] for p in plans),
                min_busy_run=_longest_busy_run(plans),
                plans=plans,
                needs=needs,
                buffer_before=service.buffer_before_minutes,
                buffer_after=service.buffer_after_minutes,
            )
            for location_id, (_fields, services) in built.items()
            for service, plans, needs in services
        ],
        batch_size=2000,
    )
    return ids


def listing_refresh(location: Location) -> SalonListing | None:
    """Rewrite the listing of one location (or delete it when not listed)."""
    if not location.business.is_listed:
        SalonListing.objects.filter(location=location).delete()
        return None
    listings_refresh([location], {location.pk: catalog_snapshot(location)})
    return SalonListing.objects.get(location=location)


# --- free time -------------------------------------------------------------------


def day_bounds(day: date, zone: ZoneInfo) -> Interval:
    return to_minutes(datetime.combine(day, time.min, tzinfo=zone)), to_minutes(
        datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    )


def _row(
    location: Location, day: date, subject: str, free: list[Interval], midnight: int
) -> FreeTime:
    return FreeTime(
        location=location,
        business_id=location.business_id,
        day=day,
        subject=subject,
        free=[[s, e] for s, e in free],
        longest=max((e - s for s, e in free), default=0),
        local_from=free[0][0] - midnight if free else None,
        local_until=free[-1][1] - midnight if free else None,
    )


def _range(location: Location, days: list[date]) -> tuple[datetime, datetime]:
    zone = ZoneInfo(location.time_zone)
    return datetime.combine(min(days), time.min, tzinfo=zone), datetime.combine(
        max(days) + timedelta(days=1), time.min, tzinfo=zone
    )


def _rows(
    location: Location, catalog: CatalogSnapshot, days: list[date], busy: dict, unit_busy: dict
) -> list[FreeTime]:
    zone = ZoneInfo(location.time_zone)
    masters = sorted(catalog.master_names)
    units = sorted({u for per_type in catalog.units_by_type.values() for u in per_type})
    first, last = min(days), max(days)
    working = working_time(location, catalog, masters, first, last, zone)
    open_hours = opening_intervals(catalog, first, last, zone)
    rows = []
    for day in sorted(set(days)):
        bounds = [day_bounds(day, zone)]
        midnight = bounds[0][0]
        for master_id in masters:
            free = intersect(subtract(working.get(master_id, []), busy.get(master_id, [])), bounds)
            rows.append(_row(location, day, f"m:{master_id}", free, midnight))
        for resource_id, unit in units:
            rows.append(
                _row(
                    location,
                    day,
                    f"u:{resource_id}:{unit}",
                    subtract(bounds, unit_busy.get((resource_id, unit), [])),
                    midnight,
                )
            )
        if open_hours is not None:
            rows.append(_row(location, day, "open", intersect(open_hours, bounds), midnight))
    return rows


def _write_rows(
    rows: list[FreeTime], subjects: dict[int, set[str]], days: dict[int, list[date]]
) -> None:
    """Replace the summary of (location, day) pairs: drop subjects that are
    gone (a master who left), upsert the rows whose free time changed. No
    savepoint: the caller's transaction, when there is one, fails whole.

    A booking changes one master's day, yet its refresh recomputes every
    master's: the rows read here (the same read that finds the gone subjects)
    leave only the changed ones to write, one row instead of a location's all,
    and no dead row versions for the others. The caller holds the summary's
    locks, so what is read cannot change before the write. `computed_at` is
    thus when a row last changed."""
    with transaction.atomic(savepoint=False):
        unchanged: set[tuple[int, date, str]] = set()
        if subjects:
            all_days = {day for location_days in days.values() for day in location_days}
            existing = FreeTime.objects.filter(
                location_id__in=subjects, day__in=all_days
            ).values_list("pk", "location_id", "day", "subject", "free")
            wanted = {
                location_id: set(location_days) for location_id, location_days in days.items()
            }
            computed = {(row.location_id, row.day, row.subject): row.free for row in rows}
            stale = []
            for pk, location_id, day, subject, free in existing:
                if day not in wanted[location_id]:
                    continue
                if subject not in subjects[location_id]:
                    stale.append(pk)
                elif computed.get((location_id, day, subject)) == free:
                    unchanged.add((location_id, day, subject))
            if stale:
                FreeTime.objects.filter(pk__in=stale).delete()
        changed = [row for row in rows if (row.location_id, row.day, row.subject) not in unchanged]
        if changed:
            FreeTime.objects.bulk_create(
                changed,
                update_conflicts=True,
                unique_fields=["location", "day", "subject"],
                update_fields=["free", "longest", "local_from", "local_until", "computed_at"],
                batch_size=2000,
            )


def _taken_many(
    master_ids: list[int], range_from: datetime, range_to: datetime
) -> dict[int, list[Interval]]:
    """`booking.selectors.taken_intervals` for masters of many businesses in one
    query (master ids are global; holds are ignored, see the docstring)."""
    if not master_ids:
        return {}
    adapt = connection.ops.adapt_datetimefield_value
    busy: dict[int, list[Interval]] = defaultdict(list)
    for chunk_start in range(0, len(master_ids), 5000):
        chunk = master_ids[chunk_start : chunk_start + 5000]
        in_masters = ", ".join(["%s"] * len(chunk))
        sql = (
            f"SELECT master_id, {minutes_sql('starts_at')}, {minutes_sql('ends_at', ceil=True)} FROM booking_bookingsegment"  # noqa: S608
            f" WHERE is_active AND master_id IN ({in_masters}) AND ends_at > %s AND starts_at < %s AND hold_expires_at IS NULL"
            f" UNION ALL SELECT master_id, {minutes_sql('starts_at')}, {minutes_sql('ends_at', ceil=True)} FROM catalog_timeoff"
            f" WHERE master_id IN ({in_masters}) AND ends_at > %s AND starts_at < %s"
        )
        params = [
            *chunk,
            adapt(range_from),
            adapt(range_to),
            *chunk,
            adapt(range_from),
            adapt(range_to),
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for master_id, start, end in cursor.fetchall():
                busy[master_id].append((int(start), int(end)))
    return {m: normalise_intervals(v) for m, v in busy.items()}


def free_time_refresh(location: Location, days: list[date]) -> int:
    """Recompute every master's, unit's and the opening hours' free time of
    `location` on the local `days` (after a booking change, in its
    transaction). Returns the number of rows written."""
    if not days:
        return 0
    # Inside a booking: no savepoint of its own (a failure here rolls the
    # booking back anyway, see booking.signals), and the lock lasts until the
    # booking's own commit. Alone: its own transaction.
    with transaction.atomic(savepoint=False):
        lock_summary_days(location.pk, days)
        return _free_time_refresh(location, days)


def _free_time_refresh(location: Location, days: list[date]) -> int:
    catalog = catalog_snapshot(location)
    masters = sorted(catalog.master_names)
    units = sorted({u for per_type in catalog.units_by_type.values() for u in per_type})
    range_from, range_to = _range(location, days)
    busy = taken_intervals(location.business, masters, range_from, range_to, _IGNORE_HOLDS, None)
    unit_busy = units_taken(units, range_from, range_to, _IGNORE_HOLDS, None)
    rows = _rows(location, catalog, days, busy, unit_busy)
    _write_rows(rows, {location.pk: {row.subject for row in rows}}, {location.pk: days})
    return len(rows)


# pg_advisory_xact_lock(SUMMARY_LOCK, location id): the free-time summary's lock.
SUMMARY_LOCK = 0x46524545  # "FREE"


def lock_summaries(location_ids: list[int]) -> None:
    """Hold the summary lock of `location_ids` exclusively until the transaction ends.

    A rebuild reads every master's taken time, computes, then writes; a booking
    committed between its read and its write would have its fresher rows
    overwritten with the rebuild's older picture. So a rebuild takes the lock
    exclusively before it reads, and a booking's refresh takes it shared
    (`lock_summary_days`): bookings never wait for each other here, only for a
    rebuild of their location, and a rebuild waits for the bookings in flight
    there to commit. Ids are locked in ascending order, so two rebuilds cannot
    deadlock. SQLite (the demo) writes one transaction at a time anyway."""
    if connection.vendor != "postgresql" or not location_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, id)) FROM unnest(%s::int[]) AS id",
            [SUMMARY_LOCK, sorted(location_ids)],
        )


# pg_advisory_xact_lock(bigint): one (location, local day) of the summary; the
# single-key space is apart from the two-key SUMMARY_LOCK one.
_DAY_BITS = 22  # date.toordinal() stays under 2**22 until the year 11483


def lock_summary_days(location_id: int, days: list[date]) -> None:
    """Hold the location's summary lock shared (see `lock_summaries`) and its
    (location, day) pairs exclusively until the transaction ends, before reading
    the taken time: one round trip, on a booking's path.

    A booking's refresh rewrites every master's row of its days from what it read.
    Two bookings of different masters at one location on one day, each reading
    before the other commits, would each write the other's master as it was: the
    one committing last leaves a stale row. Taken before the read, the day lock
    makes the second refresh wait for the first commit, and its read (a new
    statement) sees it. Bookings on other days, or at other locations, do not wait.

    Order matters against a rebuild, which waits for the shared lock with none of
    the day locks: a refresh holding a day while queued behind the rebuild for the
    shared lock, with another refresh holding the shared lock and waiting for that
    day, would deadlock. So the shared lock comes first: the materialised CTE is
    read before the join yields a row, hence before any day lock in the select
    list. Days are locked in ascending order so two refreshes cannot deadlock; a
    deadlock with a transaction that books several visits is PostgreSQL's to
    break, answered as a 409 busy the client may retry (core.locking). SQLite
    (the demo) writes one transaction at a time anyway."""
    if connection.vendor != "postgresql" or not days:
        return
    keys = sorted({(location_id << _DAY_BITS) | day.toordinal() for day in days})
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH summary AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared(%s, %s))"
            " SELECT count(pg_advisory_xact_lock(key)) FROM summary, unnest(%s::bigint[]) AS key",
            [SUMMARY_LOCK, location_id, keys],
        )


def local_today(location: Location, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(ZoneInfo(location.time_zone)).date()


def refresh_locations(
    locations: list[Location],
    *,
    days: int | None = None,
    start: date | None = None,
    now: datetime | None = None,
) -> int:
    """Rewrite the listings and the coming days' free time of `locations`
    (with `business` loaded) in a fixed number of queries: one read per
    catalogue table, one of every master's and unit's taken time over the
    whole range, bulk upserts. Returns the number of free-time rows written."""
    days = summary_days() if days is None else days
    with scopes_disabled():
        return _refresh_locations(locations, days, start, now)


def _refresh_locations(
    locations: list[Location], days: int, start: date | None, now: datetime | None
) -> int:
    unlisted = [loc.pk for loc in locations if not loc.business.is_listed]
    listed = [loc for loc in locations if loc.business.is_listed]
    with transaction.atomic():
        lock_summaries([loc.pk for loc in locations])
        if unlisted:
            SalonListing.objects.filter(location_id__in=unlisted).delete()
            FreeTime.objects.filter(location_id__in=unlisted).delete()
        if not listed:
            return 0
        snapshots = load_snapshots(listed)
        listings_refresh(listed, snapshots)
        wanted: dict[int, list[date]] = {}
        by_first: dict[date, list[int]] = defaultdict(list)
        for loc in listed:
            first = start or local_today(loc, now) - timedelta(days=1)
            wanted[loc.pk] = [first + timedelta(days=i) for i in range(days + 1)]
            by_first[first].append(loc.pk)
        before = Q()
        for first, location_ids in by_first.items():  # one or two dates: zones straddle midnight
            before |= Q(location_id__in=location_ids, day__lt=first)
        FreeTime.objects.filter(before).delete()
        ranges = [_range(loc, wanted[loc.pk]) for loc in listed]
        range_from, range_to = min(r[0] for r in ranges), max(r[1] for r in ranges)
        masters = sorted({m for loc in listed for m in snapshots[loc.pk].master_names})
        units = sorted(
            {
                u
                for loc in listed
                for per_type in snapshots[loc.pk].units_by_type.values()
                for u in per_type
            }
        )
        busy = _taken_many(masters, range_from, range_to)
        unit_busy = units_taken(units, range_from, range_to, _IGNORE_HOLDS, None)
        rows, subjects = [], {}
        for loc in listed:
            own = _rows(loc, snapshots[loc.pk], wanted[loc.pk], busy, unit_busy)
            subjects[loc.pk] = {row.subject for row in own}
            rows += own
        _write_rows(rows, subjects, wanted)
    return len(rows)


def business_refresh(
    business_id: int,
    *,
    days: int | None = None,
    start: date | None = None,
    now: datetime | None = None,
) -> int:
    """Rewrite the listings and the coming days' free time of every location
    of a business (after a catalogue, schedule or time-off change)."""
    with scopes_disabled():
        locations = list(
            Location.objects.filter(business_id=business_id).select_related("business")
        )
        return refresh_locations(locations, days=days, start=start, now=now)


def rebuild(
    *,
    business_ids: list[int] | None = None,
    days: int | None = None,
    start: date | None = None,
    now: datetime | None = None,
    chunk: int = 250,
) -> int:
    """Rebuild every location (or those of `business_ids`), `chunk`
    locations per transaction. Returns the number of free-time rows written."""
    written = 0
    with scopes_disabled():
        locations = Location.objects.select_related("business").order_by("pk")
        if business_ids is not None:
            locations = locations.filter(business_id__in=business_ids)
        pks = list(locations.values_list("pk", flat=True))
        for i in range(0, len(pks), chunk):
            written += refresh_locations(
                list(locations.filter(pk__in=pks[i : i + chunk])), days=days, start=start, now=now
            )
    return written


def appointment_days(appointment, data: dict, kind: str) -> list[date]:
    """The local days a change touched: the visit's (both ends) and, for a
    move, the previous start's."""
    zone = ZoneInfo(appointment.location.time_zone)
    moments = [appointment.starts_at, appointment.ends_at]
    # "from" is a previous start only for a move; a status change carries the
    # previous status under the same key.
    if kind == "rescheduled" and data.get("from"):
        previous = datetime.fromisoformat(data["from"])
        moments += [previous, previous + (appointment.ends_at - appointment.starts_at)]
    return sorted({m.astimezone(zone).date() for m in moments})
