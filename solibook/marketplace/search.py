"""Salon search: filters in SQL, free time from the summary, ranking in Python.

A search runs a fixed number of queries whatever the number of salons. On
PostgreSQL a free-time search is one query: the listings matching the SQL
filters (including a necessary test on the day's summary rows, `_may_fit`),
each with its matching services and the day's summary rows as JSON, and the
"promoted" flag; then the offers of the page shown (and ratings when the
sort or a filter needs them). Other databases read services and summary
rows in two more queries. Free time is decided by the booking engine's own kernel run on
the summary's intervals, so "has a slot at 18:15" means the availability
API offers 18:15 (see tests/test_agreement.py).
"""

import dataclasses
import json
import math
from collections import namedtuple
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solibook.booking.intervals import fits, intersect, normalise, subtract, union
from solibook.booking.kernel import Availability, ItemRequest, MasterOption, Segment, find_slots
from solibook.booking.selectors import from_minutes, offset_minutes, to_minutes
from solibook.catalog.models import Category
from solibook.catalog.taxonomy import category_terms
from solibook.core.errors import NotFound, ValidationFailed
from solibook.marketplace import extras, promotions
from solibook.marketplace.cities import city_name, split_city
from solibook.marketplace.index import CONFIGS, day_bounds
from solibook.marketplace.models import FreeTime, SalonListing, ServiceListing
from solibook.marketplace.promotions import running_promotions
from solibook.marketplace.text import MAX_WORDS, search_text, search_words

SORTS = ("relevance", "distance", "price", "rating", "earliest")
MAX_RADIUS_KM = 200
MAX_QUERY_LENGTH = 100
PER_PAGE = 20
EARTH_KM = 6371.0
DST_MARGIN = 60  # minutes


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    category: Category | None = None
    city_slug: str = ""
    lat: float | None = None
    lng: float | None = None
    radius_km: float | None = None
    price_min: int | None = None  # minor units
    price_max: int | None = None
    rating_min: float | None = None
    open_now: bool = False
    day: date | None = None
    time_from: time | None = None
    time_to: time | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE


@dataclass
class FreeSlot:
    start: datetime  # UTC
    service_id: int
    service_name: str
    master_id: int


@dataclass
class Result:
    salon: SalonListing
    distance_km: float | None = None
    price: int | None = None  # cheapest matching service, minor units
    relevance: float = 0.0
    rating: dict | None = None
    slot: FreeSlot | None = None
    # UTC epoch minutes of the earliest free start (free-time search): every
    # candidate's, where `slot` (which master, which service) is worked out
    # only for the page shown.
    first_start: int | None = None
    promoted: bool = False
    promotion_id: int | None = None  # the placement shown (its link says so: ?via=)
    offers: list[str] = field(default_factory=list)

    @property
    def rating_average(self) -> float | None:
        return extras.rating_average(self.rating)

    @property
    def local_slot(self) -> datetime | None:
        return self.slot.start.astimezone(ZoneInfo(self.salon.time_zone)) if self.slot else None

    @property
    def city_name(self) -> str:
        return city_name(self.salon.city_slug, fallback=self.salon.city)


@dataclass
class SearchPage:
    results: list[Result]
    total: int
    page: int
    pages: int
    query: SearchQuery


def _field_error(field_name: str, message: str):
    return ValidationFailed(message, fields={field_name: [message]})


def check_query(query: SearchQuery) -> None:
    """What forms and serializers cannot say alone (combinations, bounds)."""
    if len(query.text) > MAX_QUERY_LENGTH:
        raise _field_error(
            "q",
            _("Your search is too long: use at most %(limit_value)s characters.")
            % {"limit_value": MAX_QUERY_LENGTH},
        )
    if query.text.strip() and not search_words(query.text):
        raise _field_error(
            "q", _("Type a word to search for: punctuation and symbols alone find nothing.")
        )
    if len(search_words(query.text)) > MAX_WORDS:
        raise _field_error(
            "q",
            ngettext("Use at most %(n)s word.", "Use at most %(n)s words.", MAX_WORDS)
            % {"n": MAX_WORDS},
        )
    point = (query.lat is not None, query.lng is not None)
    if any(point) and not all(point):
        raise _field_error("lat", _("Give both a latitude and a longitude."))
    if query.radius_km is not None:
        if not all(point):
            raise _field_error("radius_km", _("A radius needs a point (latitude and longitude)."))
        if not 0 < query.radius_km <= MAX_RADIUS_KM:
            raise _field_error(
                "radius_km",
                _("Choose a radius between 0.1 and %(max)s km.") % {"max": MAX_RADIUS_KM},
            )
    if (
        query.price_min is not None
        and query.price_max is not None
        and query.price_min > query.price_max
    ):
        raise _field_error("price_max", _("The maximum price is below the minimum price."))
    if (query.time_from or query.time_to) and query.day is None:
        raise _field_error("date", _("Choose a date for a time range."))
    if query.time_from and query.time_to and query.time_to <= query.time_from:
        raise _field_error("time_to", _("The end of the time range must be after its start."))
    if query.sort not in SORTS:
        raise _field_error("sort", _("Unknown sort order."))
    if query.sort == "distance" and not all(point):
        raise _field_error("sort", _("Sorting by distance needs a point (latitude and longitude)."))
    if query.sort == "earliest" and query.day is None:
        raise _field_error("sort", _("Sorting by the earliest free time needs a date."))
    if query.page < 1:
        raise _field_error("page", _("Pages start at 1."))


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def category_ids(category: Category):
    """The category and its children, as a subquery (no query of its own)."""
    return Category.objects.filter(Q(pk=category.pk) | Q(parent_id=category.pk)).values("pk")


# One tsvector over the listing's words, each set with its language's
# configuration. The expression is the one the GIN index of migration 0004
# is built on, so PostgreSQL answers it from the index.
TS_VECTOR = " || ".join(
    f"to_tsvector('{config}'::regconfig, COALESCE(search_terms ->> '{config}', ''))"
    for config in dict.fromkeys(CONFIGS.values())
)
_TS_QUERY = " || ".join(
    f"plainto_tsquery('{config}'::regconfig, %s)" for config in dict.fromkeys(CONFIGS.values())
)


def _shorter(word: str) -> str:
    """A crude stem for the substring fallback: "haircuts", "стрижки" and
    "coupes" still contain the stem of the indexed word."""
    if len(word) >= 7:
        return word[:-2]
    if len(word) >= 5:
        return word[:-1]
    return word


def _text_filter(salons, words: list[str]):
    """Salons whose words match every word asked. PostgreSQL: full text in
    each language's configuration (stems: "стрижки" finds "стрижка"), or
    each word a substring, or within trigram distance (typos: "manicur",
    "маникор"); other databases: each word's stem is a substring."""
    if not words:
        return salons, False
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramWordSimilarity

        phrase = " ".join(words)
        # Constant SQL; the words are parameters.
        matched = RawSQL(  # noqa: S611
            f"({TS_VECTOR}) @@ ({_TS_QUERY})",
            [phrase] * len(dict.fromkeys(CONFIGS.values())),
            output_field=BooleanField(),
        )
        each_word, near = Q(), {}
        for i, word in enumerate(words):
            # word <% text: pg_trgm's word similarity above its threshold (0.6),
            # answered by the trigram index.
            near[f"near_{i}"] = RawSQL(  # noqa: S611
                '%s <%% "marketplace_salonlisting"."search_text"',
                [word],
                output_field=BooleanField(),
            )
            each_word &= Q(search_text__contains=word) | Q(**{f"near_{i}": True})
        salons = salons.annotate(
            relevance=TrigramWordSimilarity(phrase, "search_text"), text_match=matched, **near
        ).filter(Q(text_match=True) | each_word)
        return salons, True
    for word in words:
        salons = salons.filter(search_text__contains=_shorter(word))
    return salons, False


def _category_words() -> dict[int, str]:
    """Each category's names and synonyms in the four languages, and its
    parent's, folded: what a service of that category answers to."""
    categories = {c.pk: c for c in Category.objects.all()}
    out = {}
    for category in categories.values():
        parts, current = [], category
        while current is not None:
            terms = category_terms(current.slug)
            for language in ("en", "fr", "ru", "ar"):
                parts += [getattr(current, f"name_{language}"), *terms[language]]
            current = categories.get(current.parent_id) if current.parent_id else None
        out[category.pk] = search_text(parts)
    return out


def _asked_for(services: list, words: list[str], category_words: dict[int, str]) -> list:
    """The services the words name ("стрижка": the haircuts, not the
    manicure), so the price and free time shown are theirs; all of them
    when the words named the salon rather than a service."""

    def matches(service) -> bool:
        text = f"{search_text([service.name])} {category_words.get(service.category_id, '')}"
        return all(_shorter(word) in text for word in words)

    asked = [service for service in services if matches(service)]
    return asked or services


def resolve_city_words(query: SearchQuery) -> SearchQuery:
    """A city named in the search text ("стрижка в Москве") becomes the city
    filter when none is chosen; its words leave the text."""
    if query.city_slug or not query.text:
        return query
    slug, rest = split_city(query.text.split())
    if slug is None:
        return query
    return dataclasses.replace(query, text=" ".join(rest), city_slug=slug)


def _candidates(query: SearchQuery, categories: list[int] | None):
    salons = SalonListing.objects.all()
    if query.city_slug:
        salons = salons.filter(city_slug=query.city_slug)
    if query.radius_km is not None:
        # A bounding box the index answers, then the exact distance in Python.
        dlat = query.radius_km / 111.0
        dlng = query.radius_km / max(1.0, 111.0 * math.cos(math.radians(query.lat)))
        salons = salons.filter(
            latitude__range=(query.lat - dlat, query.lat + dlat),
            longitude__range=(query.lng - dlng, query.lng + dlng),
        )
    services = _matching_services(
        ServiceListing.objects.filter(salon=OuterRef("pk")), query, categories
    )
    if query.day is not None:
        # Free time: keep only salons where a master's summary row could host
        # one of those services in the time range (see `_may_fit`).
        salons = salons.filter(Exists(services.filter(Exists(_may_fit(query)))))
    elif categories is not None or query.price_min is not None or query.price_max is not None:
        salons = salons.filter(Exists(services))
    return _text_filter(salons, search_words(query.text))


def _matching_services(services, query: SearchQuery, categories):
    if categories is not None:
        services = services.filter(category_id__in=categories)
    if query.price_min is not None:
        services = services.filter(price_amount__gte=query.price_min)
    if query.price_max is not None:
        services = services.filter(price_amount__lte=query.price_max)
    return services


# What free-time search reads of a service listing.
_SERVICE_FIELDS = (
    "id",
    "salon_id",
    "service_id",
    "category_id",
    "name",
    "price_amount",
    "plans",
    "needs",
    "buffer_before",
    "buffer_after",
)


@dataclass(slots=True)
class OfferedService:
    """The fields of a `ServiceListing` search reads, from the bundled JSON
    (a plain object: building model instances costs more than the kernel)."""

    id: int
    salon_id: int
    service_id: int
    category_id: int
    name: str
    price_amount: int
    plans: list
    needs: list
    buffer_before: int
    buffer_after: int


def can_bundle() -> bool:
    return connection.vendor == "postgresql"


# What results never show stays in the table (the words are JSON to decode).
_DEFERRED = ("search_text", "search_terms", "category_ids", "updated_at")
_COLUMNS = tuple(f.attname for f in SalonListing._meta.concrete_fields if f.name not in _DEFERRED)
# Django reads jsonb as text and decodes it in the field.
_JSON_COLUMNS = tuple(
    i
    for i, name in enumerate(_COLUMNS)
    if SalonListing._meta.get_field(name).get_internal_type() == "JSONField"
)


class _Listing(
    namedtuple("_Listing", (*_COLUMNS, "promotion_id", "relevance", "offered", "free_rows"))
):
    """A listing as search's statement returns it: ranking reads a few columns
    of every candidate, and only the page shown becomes model instances."""

    __slots__ = ()

    @property
    def pk(self) -> int:
        return self.id

    def instance(self) -> SalonListing:
        values = list(self[: len(_COLUMNS)])
        for i in _JSON_COLUMNS:
            if isinstance(values[i], str):  # not decoded yet (see "open now")
                values[i] = json.loads(values[i])
        return SalonListing.from_db(connection.alias, _COLUMNS, values)


_T = SalonListing._meta.db_table
_SERVICES = ServiceListing._meta.db_table
_FREE = FreeTime._meta.db_table
_CATEGORIES = Category._meta.db_table


def _sql_results(query: SearchQuery, with_services: bool, now: datetime) -> list:
    """PostgreSQL: the candidates in one statement written here (compiling
    it through the ORM cost about as much as running it). First the ids of
    the listings passing the filters — city, bounding box, text, and for
    free time the summary's necessary test (`_may_fit`) — which the covering
    indexes of migration 0007 answer without reading the tables; then for
    those only, each listing with its running promotion, its matching
    services and the day's summary rows (JSON)."""
    words = search_words(query.text)
    promoted, params = promotions.running_sql(
        now.date(),
        city_slug=query.city_slug,
        category_id=query.category.pk if query.category is not None else None,
    )
    services_where, services_params = f's."salon_id" = "{_T}"."id"', []
    if query.category is not None:
        # The category and its children (a constant list would cost a query).
        services_where += (
            f' AND s."category_id" IN (SELECT c."id" FROM {_CATEGORIES} c '  # noqa: S608 - fixed names
            'WHERE c."id" = %s OR c."parent_id" = %s)'
        )
        services_params += [query.category.pk, query.category.pk]
    if query.price_min is not None:
        services_where += ' AND s."price_amount" >= %s'
        services_params.append(query.price_min)
    if query.price_max is not None:
        services_where += ' AND s."price_amount" <= %s'
        services_params.append(query.price_max)
    where: list[str] = []
    if query.city_slug:
        where.append(f'"{_T}"."city_slug" = %s')
        params.append(query.city_slug)
    if query.radius_km is not None:
        # A bounding box the index answers, then the exact distance in Python.
        dlat = query.radius_km / 111.0
        dlng = query.radius_km / max(1.0, 111.0 * math.cos(math.radians(query.lat)))
        where.append(
            f'"{_T}"."latitude" BETWEEN %s AND %s AND "{_T}"."longitude" BETWEEN %s AND %s'
        )
        params += [query.lat - dlat, query.lat + dlat, query.lng - dlng, query.lng + dlng]
    if query.day is not None:
        # Free time: keep only salons where a master's summary row could host
        # one of those services in the time range (see `_may_fit`).
        start, end = _minutes_range(query)
        where.append(
            f"EXISTS (SELECT 1 FROM {_SERVICES} s WHERE {services_where} AND EXISTS ("  # noqa: S608 - fixed names, values are parameters
            f'SELECT 1 FROM {_FREE} f WHERE f."location_id" = "{_T}"."location_id" '
            'AND f."day" = %s AND f."subject" LIKE \'m:%%\' '
            'AND f."longest" >= s."min_busy_run" AND f."local_until" > %s '
            'AND f."local_from" < s."duration_max" + %s))'
        )
        params += [*services_params, query.day, start - DST_MARGIN, end + DST_MARGIN]
    elif with_services:
        where.append(f"EXISTS (SELECT 1 FROM {_SERVICES} s WHERE {services_where})")  # noqa: S608 - fixed names, values are parameters
        params += services_params
    if words:
        # As `_text_filter`: full text in each configuration, or each word a
        # substring or within trigram distance (word <% text, pg_trgm's word
        # similarity above its threshold, answered by the trigram index).
        configs = list(dict.fromkeys(CONFIGS.values()))
        params += [" ".join(words)] * len(configs)
        each_word = []
        for word in words:
            each_word.append(f'("{_T}"."search_text" LIKE %s OR %s <%% "{_T}"."search_text")')
            params += [f"%{connection.ops.prep_for_like_query(word)}%", word]
        where.append(f"(({TS_VECTOR}) @@ ({_TS_QUERY}) OR ({' AND '.join(each_word)}))")
    select = [f'"{_T}"."{c}"' for c in _COLUMNS]
    select.append('promoted."id"')
    if words:
        select.append(f'WORD_SIMILARITY(%s, "{_T}"."search_text")')
        params.append(" ".join(words))
    else:
        select.append("0.0::float8")
    if with_services:
        fields = ", ".join(f's."{f}"' for f in _SERVICE_FIELDS)
        select.append(
            f'(SELECT json_agg(json_build_array({fields}) ORDER BY s."price_amount", s."id") '  # noqa: S608 - fixed names, values are parameters
            f"FROM {_SERVICES} s WHERE {services_where})"
        )
        params += services_params
    else:
        select.append("NULL")
    if query.day is not None:
        select.append(
            f'(SELECT json_object_agg(f."subject", f."free") FROM {_FREE} f '  # noqa: S608 - fixed names, values are parameters
            f'WHERE f."location_id" = "{_T}"."location_id" AND f."day" = %s)'
        )
        params.append(query.day)
    else:
        select.append("NULL")
    # Constant SQL: names and fixed fragments only, every value a parameter.
    sql = (
        f"WITH promoted AS ({promoted}), candidates AS MATERIALIZED ("  # noqa: S608 - fixed names, values are parameters
        f'SELECT "{_T}"."id" FROM {_T}'
        + (" WHERE " + " AND ".join(where) if where else "")
        + f") SELECT {', '.join(select)} FROM candidates "  # noqa: S608 - fixed names, values are parameters
        f'JOIN {_T} ON "{_T}"."id" = candidates."id" '
        f'LEFT JOIN promoted ON promoted."business_id" = "{_T}"."business_id" '
        f'ORDER BY "{_T}"."name", "{_T}"."id"'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    results = []
    hours = _COLUMNS.index("opening_hours")
    for row in fetched:
        # json (not jsonb) columns: psycopg decodes the services and rows.
        salon = _Listing(*row)
        if query.open_now:
            salon = salon._replace(opening_hours=json.loads(row[hours]))
        results.append(
            Result(
                salon=salon,
                relevance=salon.relevance,
                promoted=salon.promotion_id is not None,
                promotion_id=salon.promotion_id,
            )
        )
    return results


def _minutes_range(query: SearchQuery) -> tuple[int, int]:
    """The asked range in minutes from local midnight (the whole day by default)."""
    start = query.time_from.hour * 60 + query.time_from.minute if query.time_from else 0
    end = query.time_to.hour * 60 + query.time_to.minute if query.time_to else 24 * 60
    return start, end


def _may_fit(query: SearchQuery):
    """The day's summary rows of a master (of the outer listing's location)
    that could hold the outer service in the asked range: a necessary test
    the kernel then decides exactly. A start t in [from, to) of a plan whose
    master is busy at [t + o, t + o + L) needs a free interval [s, e) with
    e - s >= L, s < to + duration and e > from. `local_from`/`local_until`
    count minutes from local midnight, which is the wall clock except on DST
    days, hence the hour of margin."""
    start, end = _minutes_range(query)
    return FreeTime.objects.filter(
        location_id=OuterRef(OuterRef("location_id")),
        day=query.day,
        subject__startswith="m:",
        longest__gte=OuterRef("min_busy_run"),
        local_until__gt=start - DST_MARGIN,
        local_from__lt=OuterRef("duration_max") + (end + DST_MARGIN),
    )


def is_open(salon: SalonListing, now: datetime) -> bool:
    local = now.astimezone(ZoneInfo(salon.time_zone))
    minute = local.hour * 60 + local.minute
    return any(
        opens <= minute < closes
        for opens, closes in salon.opening_hours.get(str(local.weekday()), [])
    )


@lru_cache(maxsize=4096)
def _local_bounds(
    day: date, time_from: time | None, time_to: time | None, zone_key: str
) -> tuple[int, int, int, int]:
    """The local day's bounds and the asked range's, in UTC epoch minutes: the
    same for every salon of a time zone, so worked out once per zone."""
    zone = ZoneInfo(zone_key)
    day_start, day_end = day_bounds(day, zone)
    start, end = day_start, day_end
    if time_from:
        start = to_minutes(datetime.combine(day, time_from, tzinfo=zone))
    if time_to:
        end = to_minutes(datetime.combine(day, time_to, tzinfo=zone))
    return day_start, day_end, start, end


def _window(salon: SalonListing, query: SearchQuery, now: datetime) -> tuple[int, int] | None:
    _day_start, _day_end, start, end = _local_bounds(
        query.day, query.time_from, query.time_to, salon.time_zone
    )
    earliest = -(-int((now + timedelta(minutes=salon.lead_time_minutes)).timestamp()) // 60)
    latest = to_minutes(now + timedelta(days=salon.horizon_days))
    window = (max(start, earliest), min(end - 1, latest))  # the kernel's latest start is inclusive
    return window if window[0] <= window[1] else None


def earliest_slot(
    salon: SalonListing,
    services: list[ServiceListing],
    rows: dict[str, list],
    query: SearchQuery,
    now: datetime,
    at: int | None = None,
) -> FreeSlot | None:
    """The first bookable start of any of `services`, from the summary alone.
    `at`: that start when known (`first_start`): the kernel then weighs its
    masters at that start only, not at every start of the range, and
    chooses the same (each start's choice depends on that start alone)."""
    window = _window(salon, query, now)
    if window is None:
        return None
    if at is not None:
        window = (at, at)
    day_start, day_end, _start, _end = _local_bounds(
        query.day, query.time_from, query.time_to, salon.time_zone
    )
    outside = (day_start - 2 * 24 * 60, day_end + 2 * 24 * 60)
    working = {
        int(s[2:]): [tuple(i) for i in free] for s, free in rows.items() if s.startswith("m:")
    }
    unit_busy = {}
    for subject, free in rows.items():
        if subject.startswith("u:"):
            _u, resource_id, unit = subject.split(":")
            unit_busy[(int(resource_id), int(unit))] = subtract([outside], [tuple(i) for i in free])
    open_hours = [tuple(i) for i in rows["open"]] if "open" in rows else None
    avail = Availability(working=working, busy={}, unit_busy=unit_busy, open_hours=open_hours)
    zone_key = salon.time_zone
    best = None
    for service in services:
        options = tuple(
            MasterOption(
                master_id=master,
                segments=tuple(Segment(o, n) for o, n in segments),
                duration=duration,
            )
            for master, segments, duration, _price in service.plans
            if master in working
        )
        if not options:
            continue
        needs = tuple(tuple((r, u) for r, u in units) for units in service.needs)
        if any(not units for units in needs):
            continue
        item = ItemRequest(
            options=options,
            resource_needs=needs,
            buffer_before=service.buffer_before,
            buffer_after=service.buffer_after,
        )
        limit_window = window if best is None else (window[0], min(window[1], best[0] - 1))
        if limit_window[0] > limit_window[1]:
            continue
        slots = find_slots(
            avail,
            (item,),
            window=limit_window,
            step=salon.slot_step_minutes,
            local_offset=lambda t: offset_minutes(zone_key, t // 60),
            limit=1,
        )
        if slots and (best is None or slots[0].start < best[0]):
            best = (slots[0].start, service, slots[0].items[0].master_id)
    if best is None:
        return None
    return FreeSlot(
        start=from_minutes(best[0]),
        service_id=best[1].service_id,
        service_name=best[1].name,
        master_id=best[2],
    )


def first_start(
    salon: SalonListing,
    services: list[ServiceListing],
    rows: dict[str, list],
    query: SearchQuery,
    now: datetime,
    windows: dict | None = None,
) -> int | None:
    """The start `earliest_slot` finds, in UTC epoch minutes, without which
    master and resources: search needs it for every candidate (the total, the
    order) but the rest only for the page shown. `find_slots` ranks every
    start of the range by how it fragments each master's day before keeping
    the first; here the kernel's own steps for one item (`_valid_starts`:
    the master's busy segments fitted in his free time, the opening hours,
    each resource need fitted in one of its units, then the grid) stop at
    the first start. tests/test_agreement.py checks both agree. `windows`:
    a cache of the window by time zone and booking rules, for one search."""
    if windows is None:
        window = _window(salon, query, now)
    else:
        key = (salon.time_zone, salon.lead_time_minutes, salon.horizon_days)
        if key not in windows:
            windows[key] = _window(salon, query, now)
        window = windows[key]
    if window is None:
        return None
    open_hours = [tuple(i) for i in rows["open"]] if "open" in rows else None
    free: dict[int, list] = {}  # a master's free time, read when a plan names him
    # Like `Availability.unit_free`: a unit's free time over the horizon of
    # its first use (every horizon holds the window a day either side).
    unit_free: dict[tuple[int, int], list] = {}

    def free_unit(unit, horizon):
        if unit not in unit_free:
            row = rows.get(f"u:{unit[0]}:{unit[1]}")
            busy = []
            if row is not None:
                day_start, day_end, _s, _e = _local_bounds(
                    query.day, query.time_from, query.time_to, salon.time_zone
                )
                outside = (day_start - 2 * 24 * 60, day_end + 2 * 24 * 60)
                busy = subtract([outside], [tuple(i) for i in row])
            unit_free[unit] = subtract([horizon], normalise(busy))
        return unit_free[unit]

    zone_key, step = salon.time_zone, salon.slot_step_minutes
    best = None
    for service in services:
        needs = service.needs
        if any(not units for units in needs):
            continue
        limit = window[1] if best is None else min(window[1], best - 1)
        if window[0] > limit:
            continue
        half_open = (window[0], limit + 1)
        for master, segments, duration, _price in service.plans:
            master_free = free.get(master)
            if master_free is None:
                row = rows.get(f"m:{master}")
                if row is None:  # no row: not working that day, not an option
                    continue
                master_free = free[master] = normalise([tuple(i) for i in row])
            if len(segments) == 1 and not needs and segments[0][1] > 0:
                # The common case (one busy stretch, no resource): the same
                # steps without building the lists.
                t = _first_single(
                    master_free, segments[0], half_open, open_hours, duration, step, zone_key
                )
                if t is not None and (best is None or t < best):
                    best = t
                continue
            valid = [half_open]
            for start, end in normalise([(o, o + n) for o, n in segments]):
                valid = intersect(valid, fits(master_free, start, end - start))
                if not valid:
                    break
            if not valid:
                continue
            if open_hours is not None:
                valid = intersect(valid, fits(open_hours, 0, duration))
            if needs:
                horizon = (half_open[0] - 24 * 60, half_open[1] + duration + 24 * 60)
                span_start = -service.buffer_before
                span_len = service.buffer_before + duration + service.buffer_after
                for units in needs:
                    can = union(
                        *(fits(free_unit((r, u), horizon), span_start, span_len) for r, u in units)
                    )
                    valid = intersect(valid, can)
                    if not valid:
                        break
            t = _first_on_grid(valid, step, zone_key)
            if t is not None and (best is None or t < best):
                best = t
    return best


def _first_single(free, segment, window, open_hours, duration, step, zone_key) -> int | None:
    """`first_start`'s steps for a plan of one busy segment and no resource:
    the starts t with [t + offset, t + offset + length) inside one free
    interval (`fits`), inside the window, the visit inside one opening
    interval, then the grid; the pieces come in order, so the first start
    found is the earliest."""
    offset, length = segment
    low, high = window
    for free_start, free_end in free:
        start = max(free_start - offset, low)
        end = min(free_end - offset - length + 1, high)
        if start >= end:
            continue
        if open_hours is None:
            t = _first_on_grid(((start, end),), step, zone_key)
            if t is not None:
                return t
            continue
        for open_start, open_end in open_hours:
            t = _first_on_grid(
                ((max(start, open_start), min(end, open_end - duration + 1)),), step, zone_key
            )
            if t is not None:
                return t
    return None


# A zone's offset at a UTC hour, cached: every search asks the same few.
_offset = lru_cache(maxsize=65536)(offset_minutes)


def _first_on_grid(valid: list, step: int, zone_key: str) -> int | None:
    """The first start of `valid` on the salon's wall-clock grid (the kernel's `_grid`)."""
    for start, end in valid:
        t = start
        t += (-(t + _offset(zone_key, t // 60))) % step
        while t < end:
            shifted = t + _offset(zone_key, t // 60)
            if shifted % step:  # the offset changed (DST) inside the interval
                t += (-shifted) % step
                continue
            return t
    return None


def _free_rows(location_ids: list[int], day: date) -> dict[int, dict[str, list]]:
    rows: dict[int, dict[str, list]] = {}
    for location_id, subject, free in FreeTime.objects.filter(
        day=day, location_id__in=location_ids
    ).values_list("location_id", "subject", "free"):
        rows.setdefault(location_id, {})[subject] = free
    return rows


def _promoted(query: SearchQuery, today: date) -> Subquery:
    """The running promotion (its id) of the outer listing's business for this
    city and category, or None (an annotation: no query of its own)."""
    running = running_promotions(today).filter(business_id=OuterRef("business_id"))
    if query.city_slug:
        running = running.filter(Q(city_slug="") | Q(city_slug=query.city_slug))
    if query.category is not None:
        running = running.filter(Q(category__isnull=True) | Q(category=query.category))
    else:
        running = running.filter(category__isnull=True)
    return Subquery(running.order_by("-price_amount", "pk").values("pk")[:1])


def _sort_key(query: SearchQuery):
    far = float("inf")
    if query.sort == "distance":
        return lambda r: (r.distance_km if r.distance_km is not None else far, r.salon.name)
    if query.sort == "price":
        return lambda r: (r.price if r.price is not None else far, r.salon.name)
    if query.sort == "rating":
        return lambda r: (-(r.rating_average or 0), -(r.rating or {}).get("count", 0), r.salon.name)
    if query.sort == "earliest":
        return lambda r: (r.first_start if r.first_start is not None else far, r.salon.name)
    # Relevance: promoted first, then text match, a free slot, rating, name.
    return lambda r: (
        not r.promoted,
        -r.relevance,
        r.first_start is None,
        -(r.rating_average or 0),
        r.salon.name,
    )


def salon_search(*, query: SearchQuery, now: datetime | None = None) -> SearchPage:
    """Listed salons matching `query`, ranked and paginated (see docs/marketplace.md)."""
    now = now or timezone.now()
    check_query(query)
    query = resolve_city_words(query)
    with_services = (
        query.category is not None
        or query.day is not None
        or query.price_min is not None
        or query.price_max is not None
    )
    by_salon: dict[int, list] = {}
    rows: dict[int, dict[str, list]] = {}
    categories = None
    if can_bundle():
        results = _sql_results(query, with_services, now)
        if with_services:
            for r in results:
                by_salon[r.salon.id] = [OfferedService(*f) for f in r.salon.offered or ()]
                if query.day is not None:
                    rows[r.salon.location_id] = r.salon.free_rows or {}
    else:
        # The category's ids as constants, not a subquery: PostgreSQL then
        # reads the services by their category index instead of scanning
        # them all (it cannot know which ids a subquery yields).
        if query.category is not None:
            categories = list(category_ids(query.category).values_list("pk", flat=True))
        salons, ranked = _candidates(query, categories)
        salons = salons.annotate(promotion_id=_promoted(query, now.date())).defer(*_DEFERRED)
        results = [
            Result(
                salon=s,
                relevance=getattr(s, "relevance", 0.0) if ranked else 0.0,
                promoted=s.promotion_id is not None,
                promotion_id=s.promotion_id,
            )
            for s in salons
        ]
    if query.radius_km is not None or query.lat is not None:
        for r in results:
            if r.salon.latitude is not None:
                r.distance_km = haversine_km(
                    query.lat, query.lng, r.salon.latitude, r.salon.longitude
                )
        if query.radius_km is not None:
            results = [
                r for r in results if r.distance_km is not None and r.distance_km <= query.radius_km
            ]
    if query.open_now:
        results = [r for r in results if is_open(r.salon, now)]
    if query.rating_min is not None or query.sort in ("rating", "relevance"):
        summary = extras.ratings({r.salon.business_id for r in results})
        for r in results:
            r.rating = summary.get(r.salon.business_id)
        if query.rating_min is not None:
            results = [r for r in results if (r.rating_average or 0) >= query.rating_min]
    if with_services:
        if not can_bundle():
            services = _matching_services(
                ServiceListing.objects.filter(salon_id__in=[r.salon.pk for r in results]),
                query,
                categories,
            )
            for service in services.order_by("price_amount", "id").only(*_SERVICE_FIELDS):
                by_salon.setdefault(service.salon_id, []).append(service)
            if query.day is not None:
                rows = _free_rows([r.salon.location_id for r in results], query.day)
        words = search_words(query.text)
        if words:
            category_words = _category_words()
            for salon_id, offered in by_salon.items():
                by_salon[salon_id] = _asked_for(offered, words, category_words)
        for r in results:
            offered = by_salon.get(r.salon.pk, [])
            r.price = offered[0].price_amount if offered else None
        if query.day is not None:
            windows: dict = {}
            for r in results:
                r.first_start = first_start(
                    r.salon,
                    by_salon.get(r.salon.pk, []),
                    rows.get(r.salon.location_id, {}),
                    query,
                    now,
                    windows,
                )
            results = [r for r in results if r.first_start is not None]
    else:
        for r in results:
            r.price = r.salon.min_price
    results.sort(key=_sort_key(query))
    total = len(results)
    pages = max(1, math.ceil(total / query.per_page))
    if query.page > pages:
        raise NotFound(
            _("There is no page %(page)s: the last page is %(last)s.")
            % {"page": query.page, "last": pages},
            fields={"page": [_("The last page is %(last)s.") % {"last": pages}]},
        )
    shown = results[(query.page - 1) * query.per_page : query.page * query.per_page]
    for r in shown:
        if query.day is not None:
            # Which service and master: the kernel's choice at that start.
            r.slot = earliest_slot(
                r.salon,
                by_salon.get(r.salon.pk, []),
                rows.get(r.salon.location_id, {}),
                query,
                now,
                at=r.first_start,
            )
    for r in shown:
        if isinstance(r.salon, _Listing):
            r.salon = r.salon.instance()
    badges = extras.offer_badges({r.salon.business_id for r in shown}, day=query.day)
    for r in shown:
        r.offers = badges.get(r.salon.business_id, [])
    # Each promoted result shown is an impression of its promotion (one upsert).
    promotions.count([r.promotion_id for r in shown if r.promoted], now.date(), "impressions")
    return SearchPage(results=shown, total=total, page=query.page, pages=pages, query=query)
