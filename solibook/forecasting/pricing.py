"""Price advice: what the salon's own bookings say about each service's price,
what the same category costs at other salons of the city, and how full the
salon is by time of week. Advice only: nothing here writes a price.

- **Elasticity** (% change of bookings for 1% of price) from the salon's price
  changes: a log-log regression of weekly bookings on the price paid, against
  the bookings of services whose price did not move (they carry the season, the
  closures and the trend), with its standard error; shrunk towards a prior
  (-0.6 ± 0.5: personal services are usually inelastic) by precision, so thin
  data move it little. Without a price change the prior is all there is, and
  the advice says so.
- **Market**: the median (and quartiles) of the same category's listed prices
  in the same city and currency, from the marketplace's index, other salons
  only, when at least three salons list one.
- **Occupancy** by weekday and part of the day (hours of masters' work over
  hours scheduled, last 8 weeks).

A service with fewer than `MIN_BOOKINGS` bookings in the last year gets no
estimate of its own: the market's band with a note, or nothing with a note.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from django.db.models import Q
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.catalog.models import Location, Service, Weekday
from solibook.core.time import utcnow
from solibook.forecasting.history import Item, hours_of_work, items, local_today
from solibook.forecasting.selectors import scheduled_by_hour
from solibook.marketplace.index import city_slug
from solibook.marketplace.models import ServiceListing

PRIOR_ELASTICITY = -0.6
PRIOR_SD = 0.5
MIN_BOOKINGS = 30
MIN_MARKET_SALONS = 3
HISTORY_WEEKS = 52
OCCUPANCY_WEEKS = 8
LOW_OCCUPANCY = 0.4
MAX_REVENUE_RISK = 0.05  # a band's price may lose at most 5% of revenue at worst (95%)
HIGH_OCCUPANCY = 0.85
STEPS = (0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2)
# Parts of the day, local hours [start, end).
PARTS = (("morning", 0, 12), ("afternoon", 12, 17), ("evening", 17, 24))


@dataclass
class Elasticity:
    estimate: float | None  # the own-data OLS estimate (None: no price change)
    se: float | None
    weeks: int
    posterior: float
    posterior_sd: float
    source: str  # "data", "shrunk", "prior"

    @property
    def low(self) -> float:
        return self.posterior - 1.96 * self.posterior_sd

    @property
    def high(self) -> float:
        return self.posterior + 1.96 * self.posterior_sd


def estimate_elasticity(
    own: np.ndarray, prices: np.ndarray, control: np.ndarray | None
) -> Elasticity:
    """Weekly bookings `own`, the price paid each week `prices` (nan: no booking
    that week, carried), the control services' bookings `control` (or None).
    log(own + ½) − log(control + ½) = a + e·log(price) (+ a trend without a
    control), by OLS; then shrunk towards the prior."""
    price = prices.astype(float).copy()
    last = np.nan
    for i, p in enumerate(price):  # carry the last price paid over empty weeks
        if np.isnan(p):
            price[i] = last
        else:
            last = p
    keep = ~np.isnan(price) & (price > 0)
    if control is not None:
        keep &= control > 0
    weeks = int(keep.sum())
    log_price = np.log(price[keep])
    if weeks < 8 or np.ptp(log_price) < 0.02:
        return Elasticity(None, None, weeks, PRIOR_ELASTICITY, PRIOR_SD, "prior")
    target = np.log(own[keep] + 0.5)
    columns = [np.ones(weeks), log_price]
    if control is not None:
        target = target - np.log(control[keep] + 0.5)
    else:
        columns.append(np.arange(len(own))[keep] / 52.0)
    X = np.column_stack(columns)
    coef, *_rest = np.linalg.lstsq(X, target, rcond=None)
    residual = target - X @ coef
    dof = max(weeks - X.shape[1], 1)
    sigma2 = float(residual @ residual) / dof
    try:
        cov = sigma2 * np.linalg.inv(X.T @ X)
    except np.linalg.LinAlgError:
        return Elasticity(None, None, weeks, PRIOR_ELASTICITY, PRIOR_SD, "prior")
    estimate, se = float(coef[1]), float(math.sqrt(max(cov[1, 1], 1e-12)))
    precision = 1 / se**2 + 1 / PRIOR_SD**2
    posterior = (estimate / se**2 + PRIOR_ELASTICITY / PRIOR_SD**2) / precision
    posterior_sd = math.sqrt(1 / precision)
    source = "data" if se < PRIOR_SD / 3 else "shrunk"
    return Elasticity(estimate, se, weeks, posterior, posterior_sd, source)


def weekly_series(rows: list[Item], first: date, weeks: int) -> tuple[dict, dict, np.ndarray]:
    """Bookings per service per week, a price index per week, and the number of
    bookings of all services per week.

    The index is the median, over the week's items, of each item's price over
    the latest price of the same service by the same master and variant: a
    master's own price or a variant is not a price change, a change of the
    service's price moves every item (1.0 after the last change)."""
    counts: dict[int, np.ndarray] = defaultdict(lambda: np.zeros(weeks))
    latest: dict[tuple, tuple] = {}
    for r in rows:
        key = (r.service_id, r.master_id, r.variant_id)
        if key not in latest or r.starts > latest[key][0]:
            latest[key] = (r.starts, r.price)
    paid: dict[tuple[int, int], list[float]] = defaultdict(list)
    for r in rows:
        w = (r.starts.date() - first).days // 7
        if 0 <= w < weeks:
            counts[r.service_id][w] += 1
            reference = latest[(r.service_id, r.master_id, r.variant_id)][1]
            if reference > 0 and r.price > 0:
                paid[(r.service_id, w)].append(r.price / reference)
    prices: dict[int, np.ndarray] = {}
    for service_id in counts:
        series = np.full(weeks, np.nan)
        for w in range(weeks):
            values = paid.get((service_id, w))
            if values:
                series[w] = float(np.median(values))
        prices[service_id] = series
    total = np.zeros(weeks)
    for series in counts.values():
        total += series
    return dict(counts), prices, total


def moved(prices: np.ndarray) -> bool:
    seen = prices[~np.isnan(prices)]
    return bool(len(seen)) and float(seen.max()) > float(seen.min()) * 1.02


@dataclass
class Market:
    median: int
    low: int  # first quartile
    high: int  # third quartile
    salons: int


def market_price(*, service: Service, location: Location) -> Market | None:
    """The same category's prices at other listed salons of the city, in the
    service's currency (public marketplace data, read across salons)."""
    with scopes_disabled():
        rows = list(
            ServiceListing.objects.filter(
                category_id=service.category_id,
                currency=service.currency,
                salon__city_slug=city_slug(location.city),
                salon__country=location.country,
            )
            .filter(~Q(salon__business_id=service.business_id))
            .values_list("salon_id", "price_amount")
        )
    salons = {salon for salon, _price in rows}
    if len(salons) < MIN_MARKET_SALONS:
        return None
    prices = np.array([price for _salon, price in rows], dtype=float)
    low, median, high = np.percentile(prices, [25, 50, 75])
    return Market(int(round(median)), int(round(low)), int(round(high)), len(salons))


def part_label(part: str) -> str:
    return {"morning": _("morning"), "afternoon": _("afternoon"), "evening": _("evening")}[part]


@dataclass
class Occupancy:
    weekday: int
    part: str
    share: float | None  # busy hours / scheduled hours (None: nobody scheduled)


def occupancy(*, location: Location, rows: list[Item], today: date) -> list[Occupancy]:
    """Occupancy by weekday and part of the day over the last 8 weeks, on the
    days the location had visits (closed days are not empty days)."""
    first = today - timedelta(days=7 * OCCUPANCY_WEEKS)
    last = today - timedelta(days=1)
    n_days = (last - first).days + 1
    recent = [r for r in rows if first <= r.starts.date() <= last]
    work = hours_of_work(recent, first, n_days)
    open_days = {first + timedelta(days=t) for (_c, t, _h) in work}
    masters = set(location.masters.filter(is_active=True).values_list("pk", flat=True))
    schedule = scheduled_by_hour(location, masters, first, last) if masters else {}
    busy: dict[tuple[int, str], float] = defaultdict(float)
    capacity: dict[tuple[int, str], float] = defaultdict(float)
    part_of = {h: name for name, lo, hi in PARTS for h in range(lo, hi)}
    for (_c, t, h), hours in work.items():
        day = first + timedelta(days=t)
        busy[(day.weekday(), part_of[h])] += hours
    for (day, h), working in schedule.items():
        if day in open_days:
            capacity[(day.weekday(), part_of[h])] += len(working)
    found = []
    for weekday in range(7):
        for name, _lo, _hi in PARTS:
            cap = capacity.get((weekday, name), 0.0)
            share = min(busy.get((weekday, name), 0.0) / cap, 1.0) if cap else None
            found.append(Occupancy(weekday, name, None if share is None else round(share, 3)))
    return found


@dataclass
class Effect:
    ratio: float  # new price / current price
    price: int
    bookings: tuple[float, float, float]  # change (fraction): expected, low, high
    revenue: tuple[float, float, float]


def effect(ratio: float, current: int, e: Elasticity) -> Effect:
    """The effect of asking `current` × `ratio`, rounded to a price people write
    (the effect is the rounded price's)."""
    price = _round_price(current * ratio) if ratio != 1 else current
    actual = price / current if current else 1.0

    def change(power_offset: float) -> tuple[float, float, float]:
        values = [actual ** (x + power_offset) - 1 for x in (e.posterior, e.low, e.high)]
        return values[0], min(values), max(values)

    return Effect(round(actual, 4), price, change(0.0), change(1.0))


def _round_price(amount: float) -> int:
    """To a price people write: two significant figures and a half (4,730 → 4,750;
    367,500 → 370,000 minor units)."""
    digits = len(str(int(abs(amount)))) if amount >= 1 else 1
    step = max(50, 10 ** (digits - 2) // 2)
    return int(round(amount / step) * step)


@dataclass
class OffPeak:
    weekday: int
    part: str
    share: float
    effect: Effect | None

    @property
    def weekday_label(self) -> str:
        return str(Weekday(self.weekday).label)

    @property
    def part_label(self) -> str:
        return part_label(self.part)


@dataclass
class Advice:
    service: Service
    bookings: int
    current: int
    market: Market | None
    elasticity: Elasticity | None
    band: tuple[int, int] | None
    recommended: int | None
    effect: Effect | None
    off_peak: list[OffPeak] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def fallback(self) -> str:
        if self.elasticity is not None:
            return ""
        return "market" if self.market else "none"


def _advise(
    service: Service,
    n: int,
    e: Elasticity | None,
    market: Market | None,
    low_cells: list[Occupancy],
) -> Advice:
    current = service.price_amount
    advice = Advice(service, n, current, market, e, None, None, None)
    if e is None:
        if market:
            advice.band = (market.low, market.high)
            advice.notes.append(
                _(
                    "Only %(n)s bookings in the last year: too few to learn how your clients "
                    "react to this price. The band is the middle half of %(salons)s salons' "
                    "prices for this category in your city."
                )
                % {"n": n, "salons": market.salons}
            )
        else:
            advice.notes.append(
                _(
                    "Only %(n)s bookings in the last year and fewer than %(min)s other salons "
                    "of your city list this category: no advice rather than a guess."
                )
                % {"n": n, "min": MIN_MARKET_SALONS}
            )
        return advice
    if e.source == "prior":
        advice.notes.append(
            _(
                "Its price has not changed in the last year, so your bookings cannot show how "
                "clients react to a change: the effect uses a typical elasticity (%(prior)s) "
                "with a wide range."
            )
            % {"prior": f"{PRIOR_ELASTICITY:+.1f}"}
        )
    elif e.source == "shrunk":
        advice.notes.append(
            _("Few weeks around its price changes: the estimate is pulled towards a typical value.")
        )
    candidates = [effect(r, current, e) for r in STEPS]
    feasible = [
        c
        for c in candidates
        if c.revenue[0] >= 0  # revenue is expected not to fall,
        and c.revenue[1] >= -MAX_REVENUE_RISK  # by 5% at most at the unfavourable end,
        and c.bookings[0] >= -0.15  # and no more than 15% fewer visits are expected
        and (market is None or market.low * 0.9 <= c.price <= market.high * 1.1 or c.ratio == 1.0)
    ]
    if not feasible:
        feasible = [c for c in candidates if c.ratio == 1.0]
    best = max(feasible, key=lambda c: (c.revenue[0], -abs(c.ratio - 1)))
    advice.band = (min(c.price for c in feasible), max(c.price for c in feasible))
    advice.recommended = best.price
    advice.effect = best
    for cell in low_cells:
        options = [effect(r, current, e) for r in (0.85, 0.9)]
        pick = max(options, key=lambda c: c.bookings[0])
        advice.off_peak.append(
            OffPeak(
                cell.weekday,
                cell.part,
                cell.share or 0.0,
                pick if pick.bookings[0] > 0.03 else None,
            )
        )
    if market and current > market.high * 1.1:
        advice.notes.append(_("Your price is above three quarters of the salons of your city."))
    return advice


@dataclass
class PriceAdvice:
    location: Location
    services: list[Advice]
    occupancy: list[Occupancy]
    weeks: int
    history: bool


def price_advice(
    *, location: Location, service: Service | None = None, now: datetime | None = None
) -> PriceAdvice:
    """Advice for every active service (or one) as sold at `location`."""
    now = now or utcnow()
    today = local_today(location, now)
    first = today - timedelta(weeks=HISTORY_WEEKS)
    rows = items(location, first, today - timedelta(days=1))
    counts, prices, total = weekly_series(rows, first, HISTORY_WEEKS)
    fixed = [sid for sid in counts if not moved(prices[sid])]
    occupancy_cells = occupancy(location=location, rows=rows, today=today)
    low_cells = [c for c in occupancy_cells if c.share is not None and c.share < LOW_OCCUPANCY]
    services = Service.objects.filter(is_active=True, group_capacity=1).select_related("category")
    if service is not None:
        services = services.filter(pk=service.pk)
    found = []
    for svc in services.order_by("position", "name"):
        own = counts.get(svc.pk)
        n = int(own.sum()) if own is not None else 0
        e = None
        if own is not None and n >= MIN_BOOKINGS:
            control_ids = [sid for sid in fixed if sid != svc.pk]
            control = sum((counts[sid] for sid in control_ids), np.zeros(HISTORY_WEEKS))
            changed = moved(prices[svc.pk])
            e = estimate_elasticity(
                own, prices[svc.pk], control if (changed and control.sum() > 0) else None
            )
        found.append(_advise(svc, n, e, market_price(service=svc, location=location), low_cells))
    return PriceAdvice(location, found, occupancy_cells, HISTORY_WEEKS, bool(rows))
