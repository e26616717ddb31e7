"""Reads of forecasting: the stored forecast shaped for pages and the API,
staffing advice, and the expected use of products that purchasing's reorder
suggestions take.

Everything here reads the location's stored `ForecastRun` (fitted in the
background), the catalogue and the schedules: no model is fitted on a page.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solibook.booking.intervals import Interval, normalise, subtract
from solibook.booking.selectors import catalog_snapshot, to_minutes, working_time
from solibook.catalog.models import Category, Location, Master, MasterService, Service, TimeOff
from solibook.core.time import utcnow
from solibook.forecasting.history import local_today
from solibook.forecasting.models import ForecastRun
from solibook.inventory.models import RecipeLine

MAX_DAYS = 28
STAFFING_DAYS = 14


def method_label(method: str) -> str:
    labels = {
        "gbm": _("gradient boosting (Poisson loss)"),
        "seasonal_naive": _("seasonal naive (same weekday last week)"),
        "seasonal_mean": _("seasonal mean (same weekday, last 8 weeks)"),
    }
    return labels.get(method, method)


def run_of(location: Location) -> ForecastRun | None:
    return ForecastRun.objects.filter(location=location).first()


def _combine(values: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Sum of forecasts with their 80% bounds: the means add up, the half-widths
    add in quadrature (errors of different days and services are taken as
    independent)."""
    mean = sum(m for m, _lo, _hi in values)
    below = math.sqrt(sum((m - lo) ** 2 for m, lo, _hi in values))
    above = math.sqrt(sum((hi - m) ** 2 for m, _lo, hi in values))
    return round(mean, 1), round(max(mean - below, 0.0), 1), round(mean + above, 1)


@dataclass
class DayForecast:
    day: date
    closed: bool
    mean: float
    lo: float
    hi: float


@dataclass
class ServiceForecast:
    service_id: int
    name: str
    week: tuple[float, float, float]  # the next 7 days
    period: tuple[float, float, float]  # the days asked
    days: list[DayForecast] = field(default_factory=list)


@dataclass
class ForecastView:
    location: Location
    run: ForecastRun | None
    days: list[DayForecast]
    services: list[ServiceForecast]
    hours: list[int]
    hourly: list[dict]  # per weekday of the next 7 days: {"day", "cells": [(hour, mean)]}
    backtest: dict | None
    hourly_backtest: dict | None
    method: str
    hourly_method: str

    @property
    def state(self) -> str:
        return self.run.state if self.run else "none"


def _section_days(section: dict, today: date, days: int) -> list[int]:
    """Indexes of the stored forecast days from `today` on, `days` of them."""
    stored = [date.fromisoformat(d) for d in section.get("days", [])]
    return [i for i, d in enumerate(stored) if today <= d < today + timedelta(days=days)]


def forecast_view(
    *, location: Location, days: int = MAX_DAYS, now: datetime | None = None
) -> ForecastView:
    """The stored forecast of `location` for the next `days` days (1 to 28)."""
    now = now or utcnow()
    run = run_of(location)
    today = local_today(location, now)
    empty = ForecastView(location, run, [], [], [], [], None, None, "", "")
    if run is None or not run.result:
        return empty
    section = run.result["service_day"]
    stored = [date.fromisoformat(d) for d in section["days"]]
    closed = section.get("closed") or [False] * len(stored)
    wanted = _section_days(section, today, days)
    names = dict(Service.objects.values_list("pk", "name"))
    services: list[ServiceForecast] = []
    per_day: dict[int, list[tuple[float, float, float]]] = defaultdict(list)
    for key, series in section["series"].items():
        service_id = int(key)
        if service_id not in names:
            continue
        triples = [(series["mean"][i], series["lo"][i], series["hi"][i]) for i in wanted]
        for i, triple in zip(wanted, triples, strict=True):
            per_day[i].append(triple)
        row = ServiceForecast(
            service_id=service_id,
            name=names[service_id],
            week=_combine(triples[:7]),
            period=_combine(triples),
            days=[
                DayForecast(stored[i], closed[i], *t) for i, t in zip(wanted, triples, strict=True)
            ],
        )
        services.append(row)
    services.sort(key=lambda s: (-s.period[0], s.name))
    totals = [DayForecast(stored[i], closed[i], *_combine(per_day[i])) for i in wanted]
    hourly_section = run.result["location_hour"]
    hours, hourly = _hourly_week(hourly_section, today)
    return ForecastView(
        location=location,
        run=run,
        days=totals,
        services=services,
        hours=hours,
        hourly=hourly,
        backtest=section.get("backtest"),
        hourly_backtest=hourly_section.get("backtest"),
        method=section["method"],
        hourly_method=hourly_section["method"],
    )


def _hourly_week(section: dict, today: date) -> tuple[list[int], list[dict]]:
    """Hours of work expected per local hour for the next 7 days (all categories
    added up), with the 80% bounds of each hour."""
    wanted = _section_days(section, today, 7)
    stored = [date.fromisoformat(d) for d in section["days"]]
    by_hour: dict[tuple[int, int], list[tuple[float, float, float]]] = defaultdict(list)
    for key, series in section["series"].items():
        _category, hour = (int(part) for part in key.split(":"))
        for i in wanted:
            by_hour[(i, hour)].append((series["mean"][i], series["lo"][i], series["hi"][i]))
    hours = sorted({h for (_i, h) in by_hour})
    rows = []
    for i in wanted:
        triples = [_combine(by_hour.get((i, h), [])) for h in hours]
        rows.append(
            {
                "day": stored[i],
                "cells": [t[0] for t in triples],
                "low": [t[1] for t in triples],
                "high": [t[2] for t in triples],
            }
        )
    return hours, rows


# ------------------------------------------------------------------ staffing


@dataclass
class StaffingCell:
    day: date
    hour: int
    category_id: int
    expected: float  # hours of work in that hour (masters busy)
    high: float  # the 80% interval's upper bound
    scheduled: int  # masters working then who do this category
    needed: int

    @property
    def short(self) -> int:
        return max(self.needed - self.scheduled, 0)


@dataclass
class StaffingAdvice:
    day: date
    start: int  # local hour
    end: int
    category: str
    category_id: int
    more: int  # masters to add (> 0) or that could be spared (< 0)
    expected: float
    scheduled: int

    @property
    def text(self) -> str:
        values = {
            "day": self.day,
            "start": f"{self.start:02d}:00",
            "end": f"{self.end:02d}:00",
            "category": self.category,
            "n": abs(self.more),
        }
        if self.more > 0:
            return (
                ngettext(
                    "%(start)s–%(end)s: %(category)s needs %(n)s more master",
                    "%(start)s–%(end)s: %(category)s needs %(n)s more masters",
                    abs(self.more),
                )
                % values
            )
        return _("%(start)s–%(end)s: %(category)s could spare a master") % values


@dataclass
class Staffing:
    location: Location
    run: ForecastRun | None
    advice: list[StaffingAdvice]
    cells: list[StaffingCell]
    categories: dict[int, str]
    masters_by_category: dict[int, int]


def _masters_by_category(location: Location) -> dict[int, set[int]]:
    """Category id → active masters of the location who perform a service of it."""
    masters = set(
        Master.objects.filter(is_active=True, locations=location).values_list("pk", flat=True)
    )
    found: dict[int, set[int]] = defaultdict(set)
    for master_id, category_id in MasterService.objects.filter(
        master_id__in=masters, service__is_active=True
    ).values_list("master_id", "service__category_id"):
        found[category_id].add(master_id)
    return found


def scheduled_by_hour(
    location: Location, master_ids: set[int], first: date, last: date
) -> dict[tuple[date, int], set[int]]:
    """(local day, hour) → masters working at least half of that hour (weekly
    shifts, breaks, date overrides and closures; time off taken out)."""
    zone = ZoneInfo(location.time_zone)
    working = working_time(location, catalog_snapshot(location), master_ids, first, last, zone)
    start = datetime.combine(first, time.min, zone)
    end = datetime.combine(last + timedelta(days=1), time.min, zone)
    away: dict[int, list[Interval]] = defaultdict(list)
    for master_id, starts, ends in TimeOff.objects.filter(
        master_id__in=master_ids, starts_at__lt=end, ends_at__gt=start
    ).values_list("master_id", "starts_at", "ends_at"):
        away[master_id].append((to_minutes(starts), to_minutes(ends)))
    found: dict[tuple[date, int], set[int]] = defaultdict(set)
    day = first
    while day <= last:
        for hour in range(24):
            lo = to_minutes(datetime.combine(day, time(hour), zone))
            hi = lo + 60
            for master_id, intervals in working.items():
                free = (
                    subtract(intervals, normalise(away[master_id]))
                    if away[master_id]
                    else intervals
                )
                overlap = sum(max(0, min(e, hi) - max(s, lo)) for s, e in free if s < hi and e > lo)
                if overlap >= 30:
                    found[(day, hour)].add(master_id)
        day += timedelta(days=1)
    return found


def staffing_advice(
    *, location: Location, days: int = STAFFING_DAYS, now: datetime | None = None
) -> Staffing:
    """Per local hour of the coming days and per category: the hours of work the
    forecast expects against the masters scheduled who perform that category;
    advice where the expected work needs more masters than are scheduled (or,
    at the 80% upper bound, two fewer would do). Consecutive hours of a day
    with the same gap are one line."""
    now = now or utcnow()
    run = run_of(location)
    masters = _masters_by_category(location)
    categories = {
        c.pk: c.name for c in Category.objects.filter(pk__in=set(masters) | _run_categories(run))
    }
    result = Staffing(location, run, [], [], categories, {c: len(m) for c, m in masters.items()})
    if run is None or not run.result:
        return result
    section = run.result["location_hour"]
    today = local_today(location, now)
    wanted = _section_days(section, today, days)
    if not wanted:
        return result
    stored = [date.fromisoformat(d) for d in section["days"]]
    closed = section.get("closed") or [False] * len(stored)
    all_masters = set().union(*masters.values()) if masters else set()
    schedule = scheduled_by_hour(location, all_masters, stored[wanted[0]], stored[wanted[-1]])
    for key, series in section["series"].items():
        category_id, hour = (int(part) for part in key.split(":"))
        for i in wanted:
            if closed[i]:
                continue
            expected, high = series["mean"][i], series["hi"][i]
            working = schedule.get((stored[i], hour), set()) & masters.get(category_id, set())
            if expected < 0.05 and not working:
                continue
            result.cells.append(
                StaffingCell(
                    day=stored[i],
                    hour=hour,
                    category_id=category_id,
                    expected=expected,
                    high=high,
                    scheduled=len(working),
                    needed=needed_masters(expected),
                )
            )
    result.cells.sort(key=lambda c: (c.day, c.category_id, c.hour))
    result.advice = _group(result.cells, categories)
    return result


def needed_masters(expected: float) -> int:
    """Masters an hour with `expected` hours of work needs: none under half an
    hour of work, else the hours rounded up past a quarter (1.2 → 1, 1.3 → 2)."""
    return 0 if expected < 0.5 else math.ceil(expected - 0.25)


def _run_categories(run: ForecastRun | None) -> set[int]:
    if run is None or not run.result:
        return set()
    return {int(key.split(":")[0]) for key in run.result["location_hour"]["series"]}


def _gap(cell: StaffingCell) -> int:
    if cell.short:
        return cell.short
    if cell.scheduled - math.ceil(cell.high) >= 2:
        return -1
    return 0


def _group(cells: list[StaffingCell], categories: dict[int, str]) -> list[StaffingAdvice]:
    advice: list[StaffingAdvice] = []
    current: StaffingAdvice | None = None
    for cell in cells:
        gap = _gap(cell)
        extends = (
            current is not None
            and current.day == cell.day
            and current.category_id == cell.category_id
            and current.end == cell.hour
            and (current.more > 0) == (gap > 0)
            and gap != 0
        )
        if extends and current is not None:
            current.end = cell.hour + 1
            current.more = max(current.more, gap) if gap > 0 else -1
            current.expected = max(current.expected, cell.expected)
            current.scheduled = min(current.scheduled, cell.scheduled)
            continue
        current = None
        if gap:
            current = StaffingAdvice(
                day=cell.day,
                start=cell.hour,
                end=cell.hour + 1,
                category=categories.get(cell.category_id, "?"),
                category_id=cell.category_id,
                more=gap,
                expected=round(cell.expected, 1),
                scheduled=cell.scheduled,
            )
            advice.append(current)
    # Spare capacity matters only over at least two hours.
    return [a for a in advice if a.more > 0 or a.end - a.start >= 2]


# ---------------------------------------------------------- purchasing's feed


def expected_use(*, business, now: datetime | None = None):
    """A function (location, product, start, end) → the stock units of `product`
    the forecast services of `location` will use between `start` and `end`
    (forecast visits per service × the service's recipe), or None when the
    location has no forecast. Purchasing's reorder suggestions take it."""
    runs = {
        run.location_id: run
        for run in ForecastRun.objects.filter(business=business).exclude(
            state=ForecastRun.State.NO_HISTORY
        )
    }
    recipes: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for service_id, product_id, quantity in RecipeLine.objects.filter(
        business=business, variant__isnull=True
    ).values_list("service_id", "product_id", "quantity"):
        recipes[product_id][service_id] = quantity
    zones: dict[int, ZoneInfo] = {}

    def use(location, product, start: datetime, end: datetime) -> Decimal | None:
        run = runs.get(location.pk)
        if run is None or not run.result:
            return None
        zone = zones.setdefault(location.pk, ZoneInfo(location.time_zone))
        first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
        section = run.result["service_day"]
        stored = [date.fromisoformat(d) for d in section["days"]]
        inside = [i for i, d in enumerate(stored) if first <= d < last]
        if not inside:
            return None
        total = Decimal(0)
        for service_id, quantity in recipes.get(product.pk, {}).items():
            series = section["series"].get(str(service_id))
            if series:
                visits = sum(series["mean"][i] for i in inside)
                total += quantity * Decimal(str(round(visits, 2)))
        return total.quantize(Decimal("0.001"))

    return use
