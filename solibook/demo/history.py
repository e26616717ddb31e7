"""A year of a busy salon with a known structure, for the dashboards and the models.

`seed_history(business=, location=, now=, days=365, clients=1200, seed=7)` writes
`days` local days of past visits (ending the day before `now`, in the
location's time zone) into the product's own tables with bulk inserts, and
returns a `HistoryTruth`: the ground truth the evaluations compare against.
Same seed, same catalogue, same `now` -> the same rows.

Demand (what the forecasting models should recover)
----------------------------------------------------
Requests for service s on local day d at local hour h are Poisson with rate

    lambda_s(d, h) = base_s * WEEKDAY[d.weekday] * hour_share(d, h)
                     * SEASON[d.month] * (1 + TREND * t) * price_effect_s(d)

- `base_s`: requests a day, calibrated from the clients (each client with s
  comes every `interval` days, so base_s = sum 1/interval over the clients who
  book s, scaled by the share of the year they are clients);
- `WEEKDAY` (mean 1): Saturday busiest, Monday quietest;
- `hour_share`: `HOURS` normalised over the location's opening hours that
  day; on weekdays the hours before noon are multiplied by `WEEKDAY_MORNING`
  (0.45): weekday mornings are clearly off-peak;
- `SEASON` per month (mean 1): peaks in December (1.30) and June (1.20), a
  trough in August (0.80) and January (0.85);
- `TREND`: +10 % a year, t = (d - first day) / 365;
- `price_effect_s(d) = (new price / old price) ** elasticity` from the day of
  the service's price change on (see below), 1 before.
The day's count is one Poisson draw per service (rate summed over the day's
hours); each request then gets an hour from `hour_share`. No requests on
public holidays (the `holidays` package, written as `LocationClosure` rows
for the past year) or when no master of the service works. A request is
placed at its hour, else the nearest hour that day (up to 3 hours away)
where a master who does the service has the busy segments free (shifts
minus breaks, date overrides, closures and the demo's own visits); else it
is turned away (`HistoryTruth.turned_away`): the observed bookings are
demand limited by the masters' working hours.
Co-booked services (below) are extra items on the same visit, not requests.

Price changes
-------------
The most requested colouring service changes price once (+15 %) about 150
days before `now`, and the most requested nail service once (-10 %) about 90
days before; demand responds with constant elasticities -1.0 and -0.6
(`PRICE_CHANGES`). The catalogue price is the price *after* the change (the
catalogue is not touched): before it, the history charged the old price
(current / 1.15 and current / 0.90). Items, checkout lines and payments
carry the price of their day. When the salon has no such service, that
change is left out (the truth says which changes happened).

Clients
-------
`clients` cards: 75 % are clients from the first day, 25 % arrive at a
uniform day of the year (new clients). Each has a latent profile
(`PROFILES`: colour, cut, nails, skin) limited to what the salon offers;
the profile sets its services (a main one and sometimes a second), and the
card's `hair_type` / `skin_type` (correlated, not deterministic: `HAIR_TYPES`,
`SKIN_TYPES`, English keys). Language per the salon's country mix
(`LANGUAGES`), a birthday, a gender, e-mail and SMS consents (mostly yes).
A personal interval per client and service (`INTERVALS`: roots ~35 days, cut
~6 weeks, nails ~3 weeks, times a client factor and log-normal noise). A
request goes to one of the three most overdue clients of that service; when
nobody is due, to the one due soonest. 25 % of the cards churn at a random
day: their last intervals stretch (x1.5 within 2.5 intervals of the churn
date), then they stop. Colour clients add a treatment to the visit 45 % of
the time (`CO_BOOKING`); nail clients sometimes add brows.

Outcomes, sources, money
------------------------
- no-shows 4 % (10 % on a new client's first visit), late cancellations 6 %
  (cancelled by the client within the last day; segments inactive);
- sources as the product records them: marketplace, booking link, widget,
  back office (the desk and the phone; the card's `source` says phone or
  walk-in for a first visit); `created_at` is the moment of booking;
- every completed visit is checked out at its end: a `Checkout` with one
  service line per item, retail lines (`RETAIL`: a colour visit buys the
  colour-protect shampoo 40 % of the time...), VAT split as the till does, and
  one captured card or cash `Payment`. Retail products are created when the
  salon has none of that name.

Left out on purpose: ledger entries (the P&L reads the ledger, so the
history's checkouts are not in the P&L; everything else reads checkouts),
stock movements of the retail sold, reviews, appointment events, marketplace
commission lines (the commission is computed by `commissions` when a visit
is recorded live), loyalty. Appointment and card `created_at` are set to
the booking and first-visit moments (auto_now_add is switched off for the
bulk insert only).
"""

import heapq
import math
import random
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays as holiday_calendars
from django.db import transaction

from solibook.booking.intervals import normalise, subtract
from solibook.booking.kernel import plan_segments
from solibook.booking.models import Appointment, AppointmentItem, BookingSegment, Source, Status
from solibook.booking.selectors import (
    catalog_snapshot,
    catalog_snapshot_cache_clear,
    from_minutes,
    to_minutes,
    working_time,
)
from solibook.catalog.models import LocationClosure, MasterService, OpeningHours, Service
from solibook.clients.models import Client, ClientConsent, ClientSource, ConsentKind
from solibook.demo.visits_data import CLIENT_NAMES, PHONE_FORMATS
from solibook.finance import accounts, taxes
from solibook.finance.models import Checkout, CheckoutLine, Payment, Product
from solibook.finance.services.common import finance_settings

WEEKDAY = (0.75, 0.85, 0.90, 1.00, 1.15, 1.35, 1.00)  # Monday..Sunday, mean 1
WEEKDAY_MORNING = 0.45  # weekday hours before noon
HOURS = {  # relative demand by local hour
    7: 0.2, 8: 0.3, 9: 0.5, 10: 0.6, 11: 0.8, 12: 0.9, 13: 0.9, 14: 0.9, 15: 1.0,
    16: 1.1, 17: 1.3, 18: 1.4, 19: 1.3, 20: 0.9, 21: 0.5, 22: 0.3,
}  # fmt: skip
SEASON = {
    1: 0.85, 2: 0.90, 3: 1.00, 4: 1.00, 5: 1.05, 6: 1.20,
    7: 0.95, 8: 0.80, 9: 1.00, 10: 0.95, 11: 1.00, 12: 1.30,
}  # fmt: skip
TREND = 0.10  # a year
# (profile, days before `now`, relative change, elasticity)
PRICE_CHANGES = (("colour", 150, 0.15, -1.0), ("nails", 90, -0.10, -0.6))
CHURN_SHARE = 0.25
NEW_CLIENT_SHARE = 0.25
NO_SHOW = 0.04
NO_SHOW_FIRST_VISIT = 0.10
LATE_CANCEL = 0.06
GRID = 15

# Profile -> the taxonomy categories of its services (first match is "main").
PROFILES = {
    "colour": ("colouring", "highlights", "balayage", "airtouch"),
    "cut": ("womens-haircut", "mens-haircut", "blow-dry", "kids-haircut"),
    "nails": ("gel-nails", "manicure", "pedicure", "semi-permanent"),
    "skin": ("facial", "brow-shaping", "lash-extensions", "massage", "scrub"),
}
PROFILE_WEIGHTS = {"colour": 0.30, "cut": 0.30, "nails": 0.30, "skin": 0.10}
# Mean rebooking interval (days) by the service's category; the rest 42.
INTERVALS = {
    "colouring": 35, "highlights": 70, "balayage": 84, "airtouch": 84,
    "womens-haircut": 42, "mens-haircut": 28, "blow-dry": 21, "kids-haircut": 56,
    "gel-nails": 21, "manicure": 21, "semi-permanent": 21, "pedicure": 35,
    "facial": 35, "brow-shaping": 28, "lash-extensions": 21, "massage": 28, "scrub": 42,
}  # fmt: skip
# A profile's visit often adds a service of these categories (probability).
CO_BOOKING = {
    "colour": (("hair-care", "blow-dry", "womens-haircut"), 0.45),
    "nails": (("brow-shaping",), 0.12),
}
HAIR_TYPES = {  # profile -> hair type weights
    "colour": {"coloured": 6, "fine": 2, "thick": 1, "curly": 1},
    "cut": {"straight": 3, "fine": 2, "thick": 3, "curly": 2},
    "nails": {"straight": 3, "fine": 2, "thick": 2, "curly": 1, "coloured": 2},
    "skin": {"straight": 2, "fine": 2, "thick": 1, "curly": 1, "coloured": 1},
}
SKIN_TYPES = {
    "colour": {"normal": 3, "dry": 2, "oily": 1, "combination": 2, "sensitive": 2},
    "cut": {"normal": 3, "dry": 2, "oily": 2, "combination": 2, "sensitive": 1},
    "nails": {"normal": 2, "dry": 4, "oily": 1, "combination": 1, "sensitive": 2},
    "skin": {"normal": 1, "dry": 2, "oily": 3, "combination": 3, "sensitive": 3},
}
LANGUAGES = {
    "RU": {"ru": 85, "en": 8, "ar": 4, "fr": 3},
    "FR": {"fr": 75, "en": 12, "ar": 8, "ru": 5},
    "SA": {"ar": 80, "en": 15, "fr": 3, "ru": 2},
}
# Retail bought at checkout: profile -> [(product key, probability)].
RETAIL: dict[str, tuple[tuple[str, float], ...]] = {
    "colour": (("colour_shampoo", 0.40), ("repair_mask", 0.15)),
    "cut": (("styling_spray", 0.10), ("repair_mask", 0.05)),
    "nails": (("cuticle_oil", 0.20), ("hand_cream", 0.10)),
    "skin": (("brow_gel", 0.15), ("hand_cream", 0.05)),
}
# key -> (names en/fr/ru/ar, price in major units of EUR-like money, category)
PRODUCTS = {
    "colour_shampoo": (
        ("Colour-protect shampoo", "Shampooing protecteur de couleur",
         "Шампунь для окрашенных волос", "شامبو حماية اللون"),
        24, "hair-care",
    ),
    "repair_mask": (
        ("Repair hair mask", "Masque réparateur", "Восстанавливающая маска", "ماسك مرمم للشعر"),
        32, "hair-care",
    ),
    "styling_spray": (
        ("Styling spray", "Spray coiffant", "Спрей для укладки", "بخاخ تصفيف"), 18, "styling",
    ),
    "cuticle_oil": (
        ("Cuticle oil", "Huile pour cuticules", "Масло для кутикулы", "زيت الجلد المحيط بالأظافر"),
        12, "nails",
    ),
    "hand_cream": (
        ("Hand cream", "Crème pour les mains", "Крем для рук", "كريم اليدين"), 15, "body",
    ),
    "brow_gel": (
        ("Brow gel", "Gel sourcils", "Гель для бровей", "جل الحواجب"), 16, "brows",
    ),
}  # fmt: skip
# One unit of "major money" in each currency (prices stay believable).
MAJOR = {"EUR": 100, "RUB": 8000, "SAR": 400}
ROWS = 2000


@dataclass
class PriceChange:
    service_id: int
    day: date  # first local day at the new price
    old_price: int
    new_price: int
    change: float  # +0.15, -0.10
    elasticity: float


@dataclass
class HistoryTruth:
    """What the generator put in: the evaluations' ground truth."""

    business_id: int
    location_id: int
    first_day: date
    last_day: date
    base_rates: dict[int, float]  # service id -> requests a day (before the factors)
    price_changes: list[PriceChange]
    elasticities: dict[int, float]  # service id -> elasticity (changed services only)
    profiles: dict[int, str]  # card id -> latent profile
    intervals: dict[tuple[int, int], float]  # (card id, service id) -> days
    arrivals: dict[int, date]  # card id -> first day as a client
    churned: dict[int, date]  # card id -> churn day
    products: dict[str, int]  # retail key -> product id
    bought_together: dict[str, tuple[tuple[str, float], ...]]  # profile -> (product key, p)
    requests: int = 0
    turned_away: int = 0
    appointments: int = 0
    completed: int = 0
    no_shows: int = 0
    late_cancellations: int = 0
    checkouts: int = 0
    weekday: tuple[float, ...] = WEEKDAY
    hours: dict[int, float] = field(default_factory=lambda: dict(HOURS))
    weekday_morning: float = WEEKDAY_MORNING
    season: dict[int, float] = field(default_factory=lambda: dict(SEASON))
    trend: float = TREND

    def price_on(self, service_id: int, day: date, catalogue_price: int) -> int:
        for change in self.price_changes:
            if change.service_id == service_id and day < change.day:
                return change.old_price * catalogue_price // change.new_price
        return catalogue_price


@dataclass
class _Service:
    pk: int
    name: str
    category: str
    price: int
    steps: list[tuple[int, bool]]
    buffer_before: int
    buffer_after: int
    masters: dict[int, tuple[int | None, int]]  # master id -> (own price, pace)
    # master id -> (busy segments as (offset, length), the client's duration)
    plans: dict[int, tuple[tuple[tuple[int, int], ...], int]] = field(default_factory=dict)


@dataclass
class _Card:
    index: int
    profile: str
    services: list[int]
    intervals: dict[int, float]
    arrival: date
    churn: date | None
    language: str
    first_visit: datetime | None = None
    visits: int = 0
    preferred: dict[int, int] = field(default_factory=dict)  # service -> master


@contextmanager
def _keep_created_at(*models):
    """Let bulk inserts write `created_at` (auto_now_add would overwrite it)."""
    fields = [m._meta.get_field("created_at") for m in models]
    saved = [(f, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _services(business, location) -> dict[int, _Service]:
    links: dict[int, dict[int, tuple[int | None, int]]] = defaultdict(dict)
    for master_id, service_id, price, pace in (
        MasterService.objects.filter(
            business=business, master__locations=location, master__is_active=True
        )
        .order_by("master__position", "master_id", "service_id")
        .values_list("master_id", "service_id", "price_amount", "duration_delta_minutes")
    ):
        links[service_id][master_id] = (price, pace)
    out = {}
    for service in (
        Service.objects.filter(business=business, is_active=True, group_capacity__lte=1)
        .filter(requires_patch_test=False, requires_consultation=False)
        .select_related("category")
        .prefetch_related("steps")
        .order_by("position", "pk")
    ):
        steps = [
            (s.duration_minutes, s.master_busy)
            for s in sorted(service.steps.all(), key=lambda s: s.position)
            if s.variant_id is None
        ]
        if not steps or not links.get(service.pk) or not any(b for _m, b in steps):
            continue
        plans = {}
        for master_id, (_price, pace) in links[service.pk].items():
            segments, duration = plan_segments(
                steps,
                buffer_before=service.buffer_before_minutes,
                buffer_after=service.buffer_after_minutes,
                delta=pace,
            )
            plans[master_id] = (tuple((seg.offset, seg.length) for seg in segments), duration)
        out[service.pk] = _Service(
            pk=service.pk,
            name=service.name,
            category=service.category.slug,
            price=service.price_amount,
            steps=steps,
            buffer_before=service.buffer_before_minutes,
            buffer_after=service.buffer_after_minutes,
            masters=links[service.pk],
            plans=plans,
        )
    return out


def _by_profile(services: dict[int, _Service]) -> dict[str, list[int]]:
    """Profile -> its services at this salon, in the profile's category order."""
    out = {}
    for profile, categories in PROFILES.items():
        found = [
            s.pk for category in categories for s in services.values() if s.category == category
        ]
        if found:
            out[profile] = found
    if not out and services:
        out["cut"] = list(services)
    return out


def _cards(rng, n, profiles, services, first, last, country) -> list[_Card]:
    weights = {p: PROFILE_WEIGHTS[p] for p in profiles}
    span = (last - first).days
    languages = LANGUAGES.get(country, {"en": 1})
    cards = []
    for i in range(n):
        profile = _weighted(rng, weights)
        own = profiles[profile]
        main = own[0] if rng.random() < 0.6 else rng.choice(own)
        chosen = [main]
        if len(own) > 1 and rng.random() < 0.3:
            chosen.append(rng.choice([s for s in own if s != main]))
        if rng.random() < 0.15:  # a second interest from another profile
            other = rng.choice(list(profiles))
            extra = profiles[other][0]
            if extra not in chosen:
                chosen.append(extra)
        factor = rng.lognormvariate(0, 0.2)  # some clients come more often
        intervals = {s: max(10.0, INTERVALS.get(services[s].category, 42) * factor) for s in chosen}
        arrival = first
        if rng.random() < NEW_CLIENT_SHARE:
            arrival = first + timedelta(days=rng.randrange(max(1, span)))
        churn = None
        if rng.random() < CHURN_SHARE:
            left = (last - arrival).days
            if left > 60:
                churn = arrival + timedelta(days=rng.randrange(45, left))
        cards.append(
            _Card(
                index=i,
                profile=profile,
                services=chosen,
                intervals=intervals,
                arrival=arrival,
                churn=churn,
                language=_weighted(rng, languages),
            )
        )
    return cards


def _next_due(rng, card: _Card, service_id: int, day: date) -> date:
    interval = card.intervals[service_id]
    days = interval * rng.lognormvariate(0, 0.15)
    if card.churn is not None and (card.churn - day).days < 2.5 * interval:
        days *= 1.5  # the last intervals stretch before the client stops
    return day + timedelta(days=max(3, round(days)))


def _hour_shares(day: date, opening: dict[int, list[tuple[int, int]]]) -> dict[int, float]:
    hours: dict[int, float] = {}
    for opens, closes in opening.get(day.weekday(), []):
        for h in range(opens // 60, (closes + 59) // 60):
            weight = HOURS.get(h, 0.2)
            if day.weekday() < 5 and h < 12:
                weight *= WEEKDAY_MORNING
            hours[h] = weight
    total = sum(hours.values())
    return {h: w / total for h, w in hours.items()} if total else {}


def _fits(free: list[tuple[int, int]], segments: list[tuple[int, int]]) -> bool:
    return all(any(s >= f0 and e <= f1 for f0, f1 in free) for s, e in segments)


def _take(free: list[tuple[int, int]], segments: list[tuple[int, int]]) -> list:
    return subtract(free, normalise(segments))


class _Placer:
    """The masters' free time, day by day (epoch minutes)."""

    def __init__(self, working, busy):
        self.free: dict[tuple[int, date], list[tuple[int, int]]] = {}
        self.working = working
        self.busy = busy

    def day_free(self, master_id: int, day: date, zone) -> list[tuple[int, int]]:
        key = (master_id, day)
        if key not in self.free:
            start = to_minutes(datetime.combine(day, time(0), tzinfo=zone))
            end = to_minutes(datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone))
            work = [
                (max(s, start), min(e, end))
                for s, e in self.working.get(master_id, ())
                if s < end and e > start
            ]
            busy = [(s, e) for s, e in self.busy.get(master_id, ()) if s < end and e > start]
            self.free[key] = subtract(normalise(work), normalise(busy)) if busy else work
        return self.free[key]


def seed_history(
    *, business, location, now: datetime, days: int = 365, clients: int = 1200, seed: int = 7
) -> HistoryTruth:
    """Write the history (see the module's docstring); returns its ground truth.

    Run it inside the business's scope or `scopes_disabled()`."""
    # Not the ids (they differ between databases): the same seed gives the same year.
    rng = random.Random(f"solibook-history:{seed}:{business.slug}:{location.slug}")
    zone = ZoneInfo(location.time_zone)
    last = now.astimezone(zone).date() - timedelta(days=1)
    first = last - timedelta(days=days - 1)
    country = (location.country or business.country or "").upper()
    currency = business.currency
    services = _services(business, location)
    profiles = _by_profile(services)
    with transaction.atomic():
        _close_holidays(business, location, first, last)
        catalog_snapshot_cache_clear()
        master_ids = sorted({m for s in services.values() for m in s.masters})
        working = working_time(location, catalog_snapshot(location), master_ids, first, last, zone)
        busy = defaultdict(list)
        since = datetime.combine(first, time(0), tzinfo=zone)
        until = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
        for master_id, s, e in BookingSegment.objects.filter(
            master_id__in=master_ids, is_active=True, starts_at__lt=until, ends_at__gt=since
        ).values_list("master_id", "starts_at", "ends_at"):
            busy[master_id].append((to_minutes(s), to_minutes(e)))
        cards = _cards(rng, clients, profiles, services, first, last, country)
        changes = _price_changes(profiles, services, now, zone, first)
        truth = HistoryTruth(
            business_id=business.pk,
            location_id=location.pk,
            first_day=first,
            last_day=last,
            base_rates={},
            price_changes=changes,
            elasticities={c.service_id: c.elasticity for c in changes},
            profiles={},
            intervals={},
            arrivals={},
            churned={},
            products={},
            bought_together=RETAIL,
        )
        visits = _simulate(rng, truth, cards, services, location, zone, working, busy)
        _write(rng, truth, business, location, zone, currency, country, cards, services, visits)
    return truth


def _close_holidays(business, location, first: date, last: date) -> set[date]:
    try:
        calendar = holiday_calendars.country_holidays(
            location.country, years=range(first.year, last.year + 1), language="en_US"
        )
    except NotImplementedError:
        return set()
    days = {d for d in calendar if first <= d <= last}
    existing = set(
        LocationClosure.objects.filter(location=location, date__in=days).values_list(
            "date", flat=True
        )
    )
    LocationClosure.objects.bulk_create(
        [
            LocationClosure(
                business=business,
                location=location,
                date=d,
                name=str(calendar[d])[:200],
                source=LocationClosure.Source.HOLIDAY,
            )
            for d in sorted(days - existing)
        ]
    )
    return days


def _price_changes(profiles, services, now, zone, first) -> list[PriceChange]:
    out = []
    for profile, days_before, change, elasticity in PRICE_CHANGES:
        if profile not in profiles:
            continue
        service = services[profiles[profile][0]]
        day = now.astimezone(zone).date() - timedelta(days=days_before)
        if day <= first:
            continue
        old = round(service.price / (1 + change), -2)  # whole units
        out.append(
            PriceChange(
                service_id=service.pk,
                day=day,
                old_price=old,
                new_price=service.price,
                change=change,
                elasticity=elasticity,
            )
        )
    return out


def _opening(location) -> dict[int, list[tuple[int, int]]]:
    out = defaultdict(list)
    for weekday, opens, closes in OpeningHours.objects.filter(location=location).values_list(
        "weekday", "opens", "closes"
    ):
        out[weekday].append((opens.hour * 60 + opens.minute, closes.hour * 60 + closes.minute))
    return out


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


@dataclass
class _Visit:
    card: _Card
    first: bool
    items: list[
        tuple[int, int, int, int, int, tuple]
    ]  # service, master, start, end, price, segments
    status: str
    source: str
    booked_at: datetime


def _simulate(rng, truth, cards, services, location, zone, working, busy) -> list[_Visit]:
    first, last = truth.first_day, truth.last_day
    span = (last - first).days + 1
    closed = set(
        LocationClosure.objects.filter(
            location=location, date__gte=first, date__lte=last
        ).values_list("date", flat=True)
    )
    opening = _opening(location)
    # base_s: the clients' own rhythm, weighted by the share of the year they are clients.
    base: dict[int, float] = defaultdict(float)
    for card in cards:
        end = card.churn or last
        share = max(0, (end - card.arrival).days) / span
        for s, interval in card.intervals.items():
            base[s] += share / interval
    truth.base_rates = dict(base)
    change_of = {c.service_id: c for c in truth.price_changes}
    # Per service, a heap of (next due day, tiebreak, card index).
    heaps: dict[int, list] = defaultdict(list)
    for card in cards:
        for s in card.services:
            if card.arrival == first:
                due = first + timedelta(days=rng.randrange(max(1, int(card.intervals[s]))))
            else:
                due = card.arrival
            heapq.heappush(heaps[s], (due, rng.random(), card.index))
    placer = _Placer(working, busy)
    visits: list[_Visit] = []
    co_booking = {}
    for profile, (categories, p) in CO_BOOKING.items():
        extra = [s.pk for c in categories for s in services.values() if s.category == c]
        if extra:
            co_booking[profile] = (extra, p)
    for offset in range(span):
        day = first + timedelta(days=offset)
        if day in closed:
            continue
        shares = _hour_shares(day, opening)
        if not shares:
            continue
        factor = WEEKDAY[day.weekday()] * SEASON[day.month] * (1 + TREND * offset / 365)
        hours, weights = list(shares), list(shares.values())
        for s in sorted(base):
            lam = base[s] * factor
            change = change_of.get(s)
            if change is not None and day >= change.day:
                lam *= (1 + change.change) ** change.elasticity
            for _ in range(_poisson(rng, lam)):
                truth.requests += 1
                card = _pick(rng, heaps[s], cards, day)
                if card is None:
                    truth.turned_away += 1
                    continue
                hour = rng.choices(hours, weights=weights)[0]
                visit = _place(rng, placer, card, s, services, day, hour, zone, co_booking, truth)
                if visit is None:
                    truth.turned_away += 1
                    # Came later: the client tries again in a few days.
                    heapq.heappush(
                        heaps[s],
                        (day + timedelta(days=rng.randint(2, 6)), rng.random(), card.index),
                    )
                    continue
                visits.append(visit)
                retry = {str(Status.NO_SHOW): 7, str(Status.CANCELLED): 5}.get(visit.status)
                due = day + timedelta(days=retry) if retry else _next_due(rng, card, s, day)
                if card.churn is None or due < card.churn:
                    heapq.heappush(heaps[s], (due, rng.random(), card.index))
    return visits


def _pick(rng, heap, cards, day) -> "_Card | None":
    """One of the three most overdue clients (or the one due soonest)."""
    picked: list[tuple[date, float, int]] = []
    while heap and len(picked) < 3:
        due, tie, index = heapq.heappop(heap)
        card = cards[index]
        if card.churn is not None and card.churn <= day:
            continue  # gone
        if card.arrival > day:
            heapq.heappush(heap, (due, tie, index))
            break
        picked.append((due, tie, index))
        if due > day:
            break  # nobody else is due
    if not picked:
        return None
    due_now = [p for p in picked if p[0] <= day] or picked[:1]
    choice = rng.choice(due_now)
    for entry in picked:
        if entry is not choice:
            heapq.heappush(heap, entry)
    return cards[choice[2]]


def _place(rng, placer, card, s, services, day, hour, zone, co_booking, truth) -> "_Visit | None":
    service = services[s]
    wanted = [s]
    extra = co_booking.get(card.profile)
    if extra and rng.random() < extra[1]:
        add = rng.choice(extra[0])
        if add != s:
            wanted.append(add)
    masters = list(service.masters)
    rng.shuffle(masters)
    if s in card.preferred and card.preferred[s] in masters and rng.random() < 0.8:
        masters.remove(card.preferred[s])
        masters.insert(0, card.preferred[s])
    midnight = to_minutes(datetime.combine(day, time(0), tzinfo=zone))
    for delta in (0, 1, -1, 2, -2, 3, -3):
        h = hour + delta
        if h < 0 or h > 23:
            continue
        for quarter in rng.sample(range(4), 4):
            start = midnight + h * 60 + quarter * GRID
            for master in masters:
                items = _fit_items(placer, services, wanted, master, start, day, zone, truth)
                if items is None and len(wanted) > 1:
                    items = _fit_items(
                        placer, services, wanted[:1], master, start, day, zone, truth
                    )
                if items is None:
                    continue
                card.preferred.setdefault(s, master)
                return _outcome(rng, card, items, day, zone, start)
    return None


def _fit_items(placer, services, wanted, master, start, day, zone, truth):
    """Items one after the other from `start`, the add-on with the same master
    when they do it, else with any master free right after. Each item is
    checked against the time the earlier items of the visit took (a buffer
    after the first item may run past the client's end)."""
    items = []
    cursor = start
    free_now: dict[int, list] = {}
    for s in wanted:
        service = services[s]
        candidates = [master] if master in service.masters else list(service.masters)
        placed = False
        for m in candidates:
            price = service.masters[m][0]
            segments, duration = service.plans[m]
            free = free_now.get(m)
            if free is None:
                free = placer.day_free(m, day, zone)
            busy = [(cursor + offset, cursor + offset + length) for offset, length in segments]
            if not free or busy[0][0] < free[0][0] or busy[-1][1] > free[-1][1]:
                continue  # outside the master's free day: the fast way out of most tries
            if _fits(free, busy):
                amount = price if price is not None else service.price
                amount = truth.price_on(s, day, amount)
                items.append((s, m, cursor, cursor + duration, amount, tuple(busy)))
                free_now[m] = _take(free, busy)
                placed = True
                break
        if not placed:
            return None
        # The next item starts when the client is free and this master's buffer is over.
        cursor = max(items[-1][3], items[-1][5][-1][1])
    for m, free in free_now.items():
        placer.free[(m, day)] = free
    return items


def _outcome(rng, card, items, day, zone, start) -> _Visit:
    first = card.visits == 0
    card.visits += 1
    roll = rng.random()
    if roll < (NO_SHOW_FIRST_VISIT if first else NO_SHOW):
        status = Status.NO_SHOW
    elif roll < (NO_SHOW_FIRST_VISIT if first else NO_SHOW) + LATE_CANCEL:
        status = Status.CANCELLED
    else:
        status = Status.COMPLETED
    if first:
        source = _weighted(
            rng,
            {
                Source.MARKETPLACE: 35,
                Source.WIDGET: 15,
                Source.BOOKING_LINK: 15,
                Source.BACK_OFFICE: 35,
            },
        )
    else:
        source = _weighted(
            rng,
            {
                Source.BACK_OFFICE: 40,
                Source.BOOKING_LINK: 25,
                Source.WIDGET: 15,
                Source.MARKETPLACE: 20,
            },
        )
    starts = from_minutes(start)
    lead = timedelta(hours=rng.uniform(2, 24 * (3 if source == Source.BACK_OFFICE else 7)))
    return _Visit(
        card=card, first=first, items=items, status=status, source=source, booked_at=starts - lead
    )


def _products(business, currency: str) -> dict[str, Product]:
    names = {key: spec[0][0] for key, spec in PRODUCTS.items()}
    existing = {
        p.name: p for p in Product.objects.filter(business=business, name__in=list(names.values()))
    }
    missing = [
        Product(
            business=business,
            name=en,
            name_fr=fr,
            name_ru=ru,
            name_ar=ar,
            kind=Product.Kind.RETAIL,
            category=category,
            price_amount=price * MAJOR.get(currency, 100),
            currency=currency,
        )
        for (en, fr, ru, ar), price, category in PRODUCTS.values()
        if en not in existing
    ]
    for product in Product.objects.bulk_create(missing):
        existing[product.name] = product
    return {key: existing[name] for key, name in names.items()}


def _phone(index: int, country: str, taken: set[str]) -> str:
    prefix, digits = PHONE_FORMATS.get(country, ("+336", 8))
    n = index
    while True:
        phone = f"{prefix}9{n:0{digits - 1}d}"
        if phone not in taken:
            taken.add(phone)
            return phone
        n += 10**6


def _write(rng, truth, business, location, zone, currency, country, cards, services, visits):
    visits.sort(key=lambda v: v.items[0][2])
    settings_row = finance_settings(business)
    inclusive = settings_row.prices_include_tax
    service_rate = taxes.service_rate(settings_row, business)
    products = _products(business, currency)
    truth.products = {key: p.pk for key, p in products.items()}
    women, men, women_family, men_family = CLIENT_NAMES.get(country, CLIENT_NAMES["FR"])
    men_family = men_family or women_family  # one family name for both where the language has
    taken = {
        str(p) for p in Client.objects.filter(business=business).values_list("phone", flat=True)
    }
    seen: dict[int, _Visit] = {}
    for visit in visits:
        seen.setdefault(visit.card.index, visit)
    # Cards: the clients who came at least once, created at their first booking.
    card_rows = []
    for index, visit in sorted(seen.items()):
        card = cards[index]
        male = card.profile == "cut" and rng.random() < 0.3
        first_name = rng.choice(men if male else women)
        last_name = rng.choice(men_family if male else women_family)
        card_rows.append(
            Client(
                business=business,
                first_name=first_name,
                last_name=last_name,
                phone=_phone(index, country, taken),
                email=f"client{index}.h{truth.location_id}@history.solibook.test"
                if rng.random() < 0.7
                else "",
                language=card.language,
                birthday=date(rng.randint(1962, 2006), rng.randint(1, 12), rng.randint(1, 28)),
                gender="male" if male else "female",
                hair_type=_weighted(rng, HAIR_TYPES[card.profile]),
                skin_type=_weighted(rng, SKIN_TYPES[card.profile]),
                source=(
                    {
                        str(Source.MARKETPLACE): ClientSource.MARKETPLACE,
                        str(Source.WIDGET): ClientSource.WIDGET,
                        str(Source.BOOKING_LINK): ClientSource.BOOKING_LINK,
                    }.get(visit.source)
                    or (ClientSource.PHONE if rng.random() < 0.6 else ClientSource.WALK_IN)
                ),
                created_at=visit.booked_at,
            )
        )
    with _keep_created_at(Client, Appointment):
        written = Client.objects.bulk_create(card_rows, batch_size=ROWS)
        card_of = {
            index: row for (index, _v), row in zip(sorted(seen.items()), written, strict=True)
        }
        consents = []
        for index, row in card_of.items():
            for kind, p in ((ConsentKind.EMAIL, 0.85), (ConsentKind.SMS, 0.80)):
                consents.append(
                    ClientConsent(
                        business=business,
                        client=row,
                        kind=kind,
                        granted=rng.random() < p,
                        recorded_at=seen[index].booked_at,
                        source="back_office",
                    )
                )
        ClientConsent.objects.bulk_create(consents, batch_size=ROWS)
        for index, row in card_of.items():
            card = cards[index]
            truth.profiles[row.pk] = card.profile
            truth.arrivals[row.pk] = card.arrival
            if card.churn is not None:
                truth.churned[row.pk] = card.churn
            for s, interval in card.intervals.items():
                truth.intervals[(row.pk, s)] = round(interval, 1)
        rows = []
        for visit in visits:
            row = card_of[visit.card.index]
            starts, ends = from_minutes(visit.items[0][2]), from_minutes(visit.items[-1][3])
            cancelled = visit.status == Status.CANCELLED
            rows.append(
                Appointment(
                    business=business,
                    location=location,
                    client_name=row.full_name,
                    client_phone=str(row.phone),
                    client_email=row.email,
                    client_language=row.language,
                    client_card=row,
                    status=visit.status,
                    starts_at=starts,
                    ends_at=ends,
                    source=visit.source,
                    price_amount=sum(i[4] for i in visit.items),
                    currency=currency,
                    cancelled_at=starts - timedelta(hours=rng.uniform(1, 20))
                    if cancelled
                    else None,
                    cancelled_by_client=cancelled,
                    late_cancellation=cancelled,
                    created_at=visit.booked_at,
                )
            )
        appointments = Appointment.objects.bulk_create(rows, batch_size=ROWS)
    item_rows = [
        AppointmentItem(
            business=business,
            appointment=a,
            position=position,
            service_id=s,
            master_id=m,
            starts_at=from_minutes(start),
            ends_at=from_minutes(end),
            price_amount=price,
        )
        for a, visit in zip(appointments, visits, strict=True)
        for position, (s, m, start, end, price, _segs) in enumerate(visit.items)
    ]
    items = AppointmentItem.objects.bulk_create(item_rows, batch_size=ROWS)
    segment_rows = []
    for item, (a, visit, spec) in zip(
        items,
        [(a, v, spec) for a, v in zip(appointments, visits, strict=True) for spec in v.items],
        strict=True,
    ):
        for s, e in spec[5]:
            segment_rows.append(
                BookingSegment(
                    business=business,
                    appointment=a,
                    item=item,
                    master_id=spec[1],
                    starts_at=from_minutes(s),
                    ends_at=from_minutes(e),
                    is_active=visit.status != Status.CANCELLED,
                )
            )
    BookingSegment.objects.bulk_create(segment_rows, batch_size=ROWS)
    truth.appointments = len(appointments)
    truth.completed = sum(v.status == Status.COMPLETED for v in visits)
    truth.no_shows = sum(v.status == Status.NO_SHOW for v in visits)
    truth.late_cancellations = sum(v.status == Status.CANCELLED for v in visits)
    _checkouts(rng, truth, business, location, currency, inclusive, service_rate, settings_row,
               products, appointments, visits, services)  # fmt: skip


def _split_line(price: int, quantity: int, rate: int, inclusive: bool) -> tuple[int, int, int]:
    return taxes.split(price * quantity, rate, inclusive=inclusive)


def _checkouts(rng, truth, business, location, currency, inclusive, service_rate, settings_row,
               products, appointments, visits, services) -> None:  # fmt: skip
    numbers: dict[int, int] = {}
    for number in Checkout.objects.filter(business=business).values_list("number", flat=True):
        year, _dash, seq = number.partition("-")
        if year.isdigit() and seq.isdigit():
            numbers[int(year)] = max(numbers.get(int(year), 0), int(seq))
    product_rates = {
        key: (0 if not settings_row.vat_registered else
              (p.tax_rate if p.tax_rate is not None else taxes.standard_rate(business.country)))
        for key, p in products.items()
    }  # fmt: skip
    checkout_rows, line_specs = [], []
    for a, visit in zip(appointments, visits, strict=True):
        if visit.status != Status.COMPLETED:
            continue
        lines = []
        for s, m, _start, _end, price, _segs in visit.items:
            net, tax, gross = _split_line(price, 1, service_rate, inclusive)
            lines.append(
                (CheckoutLine.Kind.SERVICE, services[s].name, s, None, m,
                 accounts.revenue(services[s].category), 1, price, service_rate, net, tax, gross)
            )  # fmt: skip
        for key, p in RETAIL.get(visit.card.profile, ()):
            if rng.random() < p:
                product = products[key]
                quantity = 2 if rng.random() < 0.08 else 1
                rate = product_rates[key]
                net, tax, gross = _split_line(product.price_amount, quantity, rate, inclusive)
                lines.append(
                    (CheckoutLine.Kind.PRODUCT, product.name, None, product.pk, visit.items[0][1],
                     accounts.RETAIL_REVENUE, quantity, product.price_amount, rate, net, tax, gross)
                )  # fmt: skip
        year = a.ends_at.year
        numbers[year] = numbers.get(year, 0) + 1
        net_total = sum(line[9] for line in lines)
        tax_total = sum(line[10] for line in lines)
        total = sum(line[11] for line in lines)
        checkout_rows.append(
            Checkout(
                business=business,
                number=f"{year}-{numbers[year]:06d}",
                location=location,
                appointment=a,
                client_name=a.client_name,
                language=a.client_language or "en",
                currency=currency,
                prices_include_tax=inclusive,
                subtotal=sum(line[7] * line[6] for line in lines),
                net_total=net_total,
                tax_total=tax_total,
                total=total,
                created_at=a.ends_at,
            )
        )
        line_specs.append(lines)
    checkouts = Checkout.objects.bulk_create(checkout_rows, batch_size=ROWS)
    CheckoutLine.objects.bulk_create(
        [
            CheckoutLine(
                business=business,
                checkout=c,
                position=position,
                kind=kind,
                description=description[:200],
                service_id=service_id,
                product_id=product_id,
                master_id=master_id,
                account=account,
                quantity=quantity,
                unit_amount=unit,
                tax_rate=rate,
                net_amount=net,
                tax_amount=tax,
                gross_amount=gross,
            )
            for c, lines in zip(checkouts, line_specs, strict=True)
            for position, (
                kind,
                description,
                service_id,
                product_id,
                master_id,
                account,
                quantity,
                unit,
                rate,
                net,
                tax,
                gross,
            ) in enumerate(lines)  # fmt: skip
        ],
        batch_size=ROWS,
    )
    Payment.objects.bulk_create(
        [
            Payment(
                business=business,
                purpose=Payment.Purpose.CHECKOUT,
                tender=accounts.CARD if rng.random() < 0.75 else accounts.CASH,
                state=Payment.State.CAPTURED,
                amount=c.total,
                amount_captured=c.total,
                currency=currency,
                checkout=c,
                appointment_id=c.appointment_id,
                created_at=c.created_at,
            )
            for c in checkouts
            if c.total > 0
        ],
        batch_size=ROWS,
    )
    truth.checkouts = len(checkouts)
