"""What the models learn from, read from the salon's own bookings: panels of
counts per local day (per service) and per local hour (hours of masters' work
per category), with closures, public holidays and the prices paid.

A visit counts when it was booked and not called off: cancelled visits,
expired holds and holds still open are left out, no-shows count (the demand
was there). Reads run inside the caller's business scope.
"""

from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays as holiday_calendars
import numpy as np

from solibook.booking.models import AppointmentItem, Status
from solibook.catalog.models import LocationClosure, OpeningHours, Service
from solibook.forecasting.demand import Panel

COUNTED = (
    Status.CONFIRMED,
    Status.ARRIVED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.NO_SHOW,
)
HISTORY_DAYS = 400  # what a fit reads at most (a year and a bit: last year's same week)


@dataclass
class Item:
    service_id: int
    category_id: int
    starts: datetime  # local
    ends: datetime  # local
    price: int
    master_id: int = 0
    variant_id: int | None = None


def local_today(location, now: datetime) -> date:
    return now.astimezone(ZoneInfo(location.time_zone)).date()


def items(location, first_day: date, last_day: date) -> list[Item]:
    """The counted service items of visits at `location` starting on local days
    first_day … last_day."""
    zone = ZoneInfo(location.time_zone)
    start = datetime.combine(first_day, datetime.min.time(), zone)
    end = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), zone)
    rows = AppointmentItem.objects.filter(
        appointment__location=location,
        appointment__status__in=COUNTED,
        starts_at__gte=start,
        starts_at__lt=end,
    ).values_list(
        "service_id",
        "service__category_id",
        "starts_at",
        "ends_at",
        "price_amount",
        "master_id",
        "variant_id",
    )
    return [
        Item(service, category, s.astimezone(zone), e.astimezone(zone), price, master, variant)
        for service, category, s, e, price, master, variant in rows
    ]


def first_visit_day(location) -> date | None:
    first = (
        AppointmentItem.objects.filter(
            appointment__location=location, appointment__status__in=COUNTED
        )
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return first.astimezone(ZoneInfo(location.time_zone)).date() if first else None


@dataclass
class Calendar:
    closed: np.ndarray
    holiday: np.ndarray
    future_closed: np.ndarray
    future_holiday: np.ndarray


def calendar(location, days: list[date], horizon: int, observed_total: np.ndarray) -> Calendar:
    """Closed days (the location's closures, weekdays without opening hours,
    and past days without a single visit in a salon that is usually busy) and
    public holidays of the location's country, for the history and the
    `horizon` days after it."""
    future = [days[-1] + timedelta(days=i + 1) for i in range(horizon)]
    everything = days + future
    closures = set(
        LocationClosure.objects.filter(
            location=location, date__gte=everything[0], date__lte=everything[-1]
        ).values_list("date", flat=True)
    )
    open_weekdays = set(
        OpeningHours.objects.filter(location=location).values_list("weekday", flat=True)
    )
    public: set[date] = set()
    with suppress(NotImplementedError, KeyError):  # a country the calendar does not know
        public = set(
            holiday_calendars.country_holidays(
                location.country, years=sorted({d.year for d in everything})
            )
        )
    closed = np.array(
        [
            d in closures or (bool(open_weekdays) and d.weekday() not in open_weekdays)
            for d in everything
        ]
    )
    holiday = np.array([d in public for d in everything])
    n = len(days)
    if observed_total.size and observed_total.mean() >= 3:
        closed[:n] |= observed_total == 0
    return Calendar(closed[:n], holiday[:n], closed[n:], holiday[n:])


def history_window(location, now: datetime) -> tuple[date, date] | None:
    """(first, last) local day of the history to learn from: up to yesterday."""
    first = first_visit_day(location)
    last = local_today(location, now) - timedelta(days=1)
    if first is None or first > last:
        return None
    return max(first, last - timedelta(days=HISTORY_DAYS - 1)), last


def service_panel(location, first: date, last: date, horizon: int, rows: list[Item]) -> Panel:
    """Bookings per service (active services, and any service booked in the
    window) per local day, with the median price paid that day."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    services = list(
        Service.objects.filter(is_active=True, group_capacity=1).values_list("pk", "price_amount")
    )
    current = dict(services)
    booked = sorted({r.service_id for r in rows} - set(current))
    keys = sorted(current) + booked
    index = {k: i for i, k in enumerate(keys)}
    y = np.zeros((len(keys), len(days)))
    paid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for r in rows:
        t = (r.starts.date() - first).days
        if 0 <= t < len(days):
            y[index[r.service_id], t] += 1
            paid[(index[r.service_id], t)].append(r.price)
    price = np.full(y.shape, np.nan)
    for (k, t), values in paid.items():
        price[k, t] = float(np.median(values))
    cal = calendar(location, days, horizon, y.sum(axis=0))
    future_price = np.array(
        [
            float(current[k])
            if k in current
            else (np.nanmedian(price[index[k]]) if (~np.isnan(price[index[k]])).any() else np.nan)
            for k in keys
        ]
    )
    return Panel(
        keys=keys,
        days=days,
        y=y,
        closed=cal.closed,
        holiday=cal.holiday,
        price=price,
        attributes=np.arange(len(keys)).reshape(-1, 1),
        future_closed=cal.future_closed,
        future_holiday=cal.future_holiday,
        future_price=future_price,
    )


def hours_of_work(rows: list[Item], first: date, n_days: int):
    """(category, day index, hour) → hours of masters' work in that local hour."""
    work: dict[tuple[int, int, int], float] = defaultdict(float)
    for r in rows:
        moment = r.starts
        while moment < r.ends:
            hour_end = moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
            piece_end = min(hour_end, r.ends)
            t = (moment.date() - first).days
            if 0 <= t < n_days:
                work[(r.category_id, t, moment.hour)] += (piece_end - moment).total_seconds() / 3600
            moment = piece_end
    return work


def hourly_panel(location, first: date, last: date, horizon: int, rows: list[Item]) -> Panel:
    """Hours of masters' work per (category, local hour) per local day: the
    keys are (category id, hour) for every hour that ever had work."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    work = hours_of_work(rows, first, len(days))
    keys = sorted({(c, h) for (c, _t, h) in work})
    index = {k: i for i, k in enumerate(keys)}
    y = np.zeros((len(keys), len(days)))
    for (c, t, h), value in work.items():
        y[index[(c, h)], t] = value
    categories = sorted({c for c, _h in keys})
    attributes = np.array([[categories.index(c), h] for c, h in keys]).reshape(-1, 2)
    cal = calendar(location, days, horizon, y.sum(axis=0))
    return Panel(
        keys=keys,
        days=days,
        y=y,
        closed=cal.closed,
        holiday=cal.holiday,
        attributes=attributes,
        future_closed=cal.future_closed,
        future_holiday=cal.future_holiday,
    )


def hour_groups(panel: Panel) -> np.ndarray:
    """Per key (category, hour) of an hourly panel, its hour: the location × hour
    cell its hours of work add up to."""
    return np.array([hour for _category, hour in panel.keys], dtype=int)
