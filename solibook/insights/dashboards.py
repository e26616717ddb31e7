"""The owner's dashboards (issue #20, point 1): one location over a period of
local days, with the same figures for the period just before (reads only).

What each figure counts (docs/insights.md says the same for the owner):
- revenue: services and products net of VAT after discounts, less refunds:
  the till's checkout lines (by the checkout's day), plus completed visits
  not checked out yet at their booked price, VAT out at the service rate
  (the overview's and staff performance's base);
- bookings: visits starting in the period, not cancelled or expired (holds
  excluded); completed, no-shows; cancellations (and late ones) apart;
- no-show rate: no-shows / (completed + no-shows); cancellation rate:
  cancellations / (bookings + cancellations);
- average ticket: checked-out revenue / checkouts with a service or product;
- new clients: cards whose first completed visit at the business falls in the
  period; returning: the other cards with a completed visit in it;
- occupancy: the masters' busy minutes (active segments of visits, processing
  time excluded) over their working minutes (shifts minus breaks, overrides,
  closures and time off), per master and per hour of the week (local time);
- retention cohorts: clients by the month of their first completed visit (the
  12 months up to the period's end), the share back in each later month;
- client lifetime value: revenue to date per client seen in the period
  (average and median), and their visits;
- sources: bookings per source, with the platform's marketplace commission
  on the period's visits (net of reversals);
- retail: products sold (units and revenue); the stock's value and the
  products under their minimum at the location.
A period without any visit, checkout or working time says so (`is_empty`):
the pages show a plain note instead of zeros that look like figures.
"""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Min, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractMonth, ExtractYear, TruncDate
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from solibook.booking.intervals import intersect, normalise, subtract
from solibook.booking.models import Appointment, AppointmentItem, BookingSegment, Source, Status
from solibook.booking.selectors import (
    catalog_snapshot,
    from_minutes,
    minutes_sql,
    to_minutes,
    working_time,
)
from solibook.catalog.models import Location, Master, TimeOff
from solibook.commissions.models import CommissionLine
from solibook.core.errors import ValidationFailed
from solibook.core.time import local_day_bounds
from solibook.finance import taxes
from solibook.finance.models import Checkout, CheckoutLine
from solibook.finance.services.common import finance_settings
from solibook.inventory.selectors import low_stock, stock_value

MAX_DAYS = 366
EARLIEST = date(2000, 1, 1)
LATEST = date(2200, 1, 1)
BOOKED = (
    Status.CONFIRMED,
    Status.AWAITING_DEPOSIT,
    Status.ARRIVED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.NO_SHOW,
)
BUSY = (Status.CONFIRMED, Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED)
SOLD = (CheckoutLine.Kind.SERVICE, CheckoutLine.Kind.PRODUCT)
COHORT_MONTHS = 12
COHORT_OFFSETS = 6


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))


def period_check(start: date | None, end: date | None) -> Period:
    """The period asked for, or a ValidationFailed with a translated message."""
    message = _("Choose a period of 1 to %(n)d days, ending after it starts.") % {"n": MAX_DAYS}
    if start is None or end is None:
        raise ValidationFailed(message, fields={"start" if start is None else "end": [message]})
    if not 0 <= (end - start).days < MAX_DAYS:
        raise ValidationFailed(message, fields={"end": [message]})
    if start < EARLIEST or end > LATEST:
        raise ValidationFailed(message, fields={"start": [message]})
    return Period(start, end)


@dataclass
class Figures:
    revenue: int = 0
    service_revenue: int = 0
    retail_revenue: int = 0
    revenue_not_checked_out: int = 0
    checked_out_revenue: int = 0
    checkouts: int = 0
    bookings: int = 0
    completed: int = 0
    no_shows: int = 0
    cancellations: int = 0
    late_cancellations: int = 0
    new_clients: int = 0
    returning_clients: int = 0
    worked_minutes: int = 0
    busy_minutes: int = 0
    commissions: int = 0

    @property
    def average_ticket(self) -> int | None:
        return round(self.checked_out_revenue / self.checkouts) if self.checkouts else None

    @property
    def no_show_rate(self) -> float | None:
        seen = self.completed + self.no_shows
        return round(100 * self.no_shows / seen, 1) if seen else None

    @property
    def cancellation_rate(self) -> float | None:
        asked = self.bookings + self.cancellations
        return round(100 * self.cancellations / asked, 1) if asked else None

    @property
    def occupancy(self) -> float | None:
        if not self.worked_minutes:
            return None
        return round(100 * self.busy_minutes / self.worked_minutes, 1)

    @property
    def is_empty(self) -> bool:
        return not (self.bookings or self.cancellations or self.checkouts or self.revenue)


@dataclass
class Point:
    label: date  # first day of the bucket
    bookings: int = 0
    no_shows: int = 0
    revenue: int = 0


@dataclass
class MasterRow:
    master_id: int
    name: str
    worked_minutes: int
    busy_minutes: int

    @property
    def occupancy(self) -> float | None:
        if not self.worked_minutes:
            return None
        return round(100 * self.busy_minutes / self.worked_minutes, 1)


@dataclass
class SourceRow:
    source: str
    label: str
    bookings: int
    share: float
    commissions: int


@dataclass
class Cohort:
    month: date
    clients: int
    retained: list[float | None]  # percent back in month +1..+COHORT_OFFSETS (None: not yet)


@dataclass
class Lifetime:
    clients: int = 0
    average: int | None = None
    median: int | None = None
    visits: float | None = None  # completed visits per client to date


@dataclass
class ProductRow:
    product_id: int
    name: str
    units: int
    revenue: int


@dataclass
class Dashboard:
    location: Location
    currency: str
    period: Period
    previous_period: Period
    current: Figures
    previous: Figures
    grain: str  # day, week or month
    series: list[Point] = field(default_factory=list)
    masters: list[MasterRow] = field(default_factory=list)
    hours: list[int] = field(default_factory=list)
    heatmap: list[list[float | None]] = field(default_factory=list)  # [weekday][hour] percent
    sources: list[SourceRow] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)
    lifetime: Lifetime = field(default_factory=Lifetime)
    products: list[ProductRow] = field(default_factory=list)
    stock_value: int = 0
    low_stock: int = 0

    @property
    def is_empty(self) -> bool:
        return self.current.is_empty and self.previous.is_empty

    def change(self, name: str) -> float | None:
        """Percent change of a figure against the previous period (None: nothing to compare)."""
        now, before = getattr(self.current, name), getattr(self.previous, name)
        if now is None or before in (None, 0):
            return None
        return round(100 * (now - before) / before, 1)


class _Bounds:
    def __init__(self, location: Location, period: Period):
        self.zone = ZoneInfo(location.time_zone)
        self.since = local_day_bounds(period.start, location.time_zone)[0]
        self.until = local_day_bounds(period.end, location.time_zone)[1]


def _service_rate(business) -> tuple[int, bool]:
    row = finance_settings(business)
    return taxes.service_rate(row, business), row.prices_include_tax


def _lines(location: Location, currency: str, bounds: _Bounds):
    return CheckoutLine.objects.filter(
        kind__in=SOLD,
        checkout__location=location,
        checkout__currency=currency,
        checkout__created_at__gte=bounds.since,
        checkout__created_at__lt=bounds.until,
    )


def _refunded_share(location, currency, bounds) -> int:
    """The part of the period's sold lines that refunds gave back (net), in proportion."""
    out = 0
    for checkout in Checkout.objects.filter(
        location=location,
        currency=currency,
        created_at__gte=bounds.since,
        created_at__lt=bounds.until,
        refunded_total__gt=0,
    ).prefetch_related("lines"):
        sold = sum(line.net_amount for line in checkout.lines.all() if line.kind in SOLD)
        if checkout.total:
            out += round(sold * checkout.refunded_total / checkout.total)
    return out


def _not_checked_out(location, bounds):
    return AppointmentItem.objects.filter(
        appointment__location=location,
        appointment__status=Status.COMPLETED,
        starts_at__gte=bounds.since,
        starts_at__lt=bounds.until,
        appointment__checkouts__isnull=True,
    )


def _net(amount: int, rate: int, inclusive: bool) -> int:
    return taxes.split(amount, rate, inclusive=inclusive)[0] if amount else 0


def figures(
    *, business, location: Location, period: Period, masters: "list[MasterRow] | None" = None
) -> Figures:
    """The headline numbers of one period (see the module's docstring); `masters`:
    the period's occupancy rows when the caller computed them already."""
    bounds = _Bounds(location, period)
    currency = business.currency
    out = Figures()
    sold = _lines(location, currency, bounds).aggregate(
        services=Sum("net_amount", filter=Q(kind=CheckoutLine.Kind.SERVICE)),
        products=Sum("net_amount", filter=Q(kind=CheckoutLine.Kind.PRODUCT)),
        checkouts=Count("checkout", distinct=True),
    )
    refunded = _refunded_share(location, currency, bounds)
    rate, inclusive = _service_rate(business)
    pending = _net(
        _not_checked_out(location, bounds).aggregate(s=Sum("price_amount"))["s"] or 0,
        rate,
        inclusive,
    )
    out.service_revenue = (sold["services"] or 0) + pending
    out.retail_revenue = sold["products"] or 0
    out.checked_out_revenue = (sold["services"] or 0) + (sold["products"] or 0) - refunded
    out.revenue_not_checked_out = pending
    out.revenue = out.checked_out_revenue + pending
    out.checkouts = sold["checkouts"] or 0
    visits = Appointment.objects.filter(
        location=location, starts_at__gte=bounds.since, starts_at__lt=bounds.until
    ).aggregate(
        bookings=Count("pk", filter=Q(status__in=BOOKED)),
        completed=Count("pk", filter=Q(status=Status.COMPLETED)),
        no_shows=Count("pk", filter=Q(status=Status.NO_SHOW)),
        cancellations=Count("pk", filter=Q(status=Status.CANCELLED)),
        late=Count("pk", filter=Q(status=Status.CANCELLED, late_cancellation=True)),
    )
    out.bookings = visits["bookings"]
    out.completed = visits["completed"]
    out.no_shows = visits["no_shows"]
    out.cancellations = visits["cancellations"]
    out.late_cancellations = visits["late"]
    out.new_clients, out.returning_clients = _new_and_returning(business, location, bounds)
    rows = masters if masters is not None else _occupancy(business, location, period, bounds)[0]
    out.worked_minutes = sum(r.worked_minutes for r in rows)
    out.busy_minutes = sum(r.busy_minutes for r in rows)
    out.commissions = (
        CommissionLine.objects.filter(
            appointment__location=location,
            appointment__starts_at__gte=bounds.since,
            appointment__starts_at__lt=bounds.until,
        ).aggregate(s=Sum(F("amount") - F("reversed_amount")))["s"]
        or 0
    )
    return out


def _completed_cards(location, bounds):
    return Appointment.objects.filter(
        location=location,
        status=Status.COMPLETED,
        client_card__isnull=False,
        starts_at__gte=bounds.since,
        starts_at__lt=bounds.until,
    ).values("client_card")


def _new_and_returning(business, location, bounds) -> tuple[int, int]:
    firsts = (
        Appointment.objects.filter(
            business=business,
            status=Status.COMPLETED,
            client_card__in=_completed_cards(location, bounds),
        )
        .values("client_card")
        .annotate(first=Min("starts_at"))
        .values_list("first", flat=True)
    )
    new = returning = 0
    for first in firsts:
        if first >= bounds.since:
            new += 1
        else:
            returning += 1
    return new, returning


def _masters(business, location) -> list[Master]:
    return list(
        Master.objects.filter(business=business, locations=location).order_by(
            "position", "display_name", "pk"
        )
    )


def _occupancy(business, location, period, bounds, *, heat: bool = False):
    """Per master (worked, busy) minutes, and with `heat` the hour-of-week grid."""
    masters = _masters(business, location)
    ids = [m.pk for m in masters]
    working = working_time(
        location, catalog_snapshot(location), ids, period.start, period.end, bounds.zone
    )
    away: dict[int, list] = defaultdict(list)
    for master_id, starts, ends in TimeOff.objects.filter(
        master_id__in=ids, starts_at__lt=bounds.until, ends_at__gt=bounds.since
    ).values_list("master_id", "starts_at", "ends_at"):
        away[master_id].append((to_minutes(starts), to_minutes(ends)))
    busy: dict[int, list] = defaultdict(list)
    # Epoch minutes computed by the database: no datetime objects for a year of segments.
    for master_id, starts, ends in (
        BookingSegment.objects.filter(
            master_id__in=ids,
            is_active=True,
            starts_at__lt=bounds.until,
            ends_at__gt=bounds.since,
            appointment__location=location,
            appointment__status__in=BUSY,
        )
        .annotate(
            # Constant SQL from booking's helper, no input in it.
            s=RawSQL(minutes_sql('"booking_bookingsegment"."starts_at"'), ()),  # noqa: S611
            e=RawSQL(minutes_sql('"booking_bookingsegment"."ends_at"', ceil=True), ()),  # noqa: S611
        )
        .values_list("master_id", "s", "e")
    ):
        busy[master_id].append((int(starts), int(ends)))
    rows = []
    worked_cells: Counter = Counter()
    busy_cells: Counter = Counter()
    for master in masters:
        work = subtract(working.get(master.pk, []), normalise(away.get(master.pk, [])))
        taken = intersect(normalise(busy.get(master.pk, [])), work)
        rows.append(
            MasterRow(
                master_id=master.pk,
                name=master.display_name,
                worked_minutes=sum(e - s for s, e in work),
                busy_minutes=sum(e - s for s, e in taken),
            )
        )
        if heat:
            _into_cells(work, bounds.zone, worked_cells)
            _into_cells(taken, bounds.zone, busy_cells)
    return rows, worked_cells, busy_cells


def _into_cells(intervals, zone, cells: Counter) -> None:
    """Add each interval's minutes to its (local weekday, local hour) cells.

    Integer arithmetic on the interval's local offset (1970-01-01 was a
    Thursday); an interval never spans a change of offset in practice (they
    happen at night), and one that does is read at its start's offset."""
    for start, end in intervals:
        offset = int(from_minutes(start).astimezone(zone).utcoffset().total_seconds() // 60)
        cursor = start + offset
        stop = end + offset
        while cursor < stop:
            step = min(60 - cursor % 60, stop - cursor)
            cells[((cursor // 1440 + 3) % 7, cursor % 1440 // 60)] += step
            cursor += step


def _grain(period: Period) -> str:
    if period.days <= 62:
        return "day"
    if period.days <= 190:
        return "week"
    return "month"


def _bucket(day: date, grain: str) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def _series(business, location, period, bounds, grain) -> list[Point]:
    points: dict[date, Point] = {}
    day = period.start
    while day <= period.end:
        key = _bucket(day, grain)
        points.setdefault(key, Point(label=key))
        day += timedelta(days=1)
    for day, bookings, no_shows in (
        Appointment.objects.filter(
            location=location,
            starts_at__gte=bounds.since,
            starts_at__lt=bounds.until,
            status__in=BOOKED,
        )
        .annotate(day=TruncDate("starts_at", tzinfo=bounds.zone))
        .values("day")
        .annotate(n=Count("pk"), missed=Count("pk", filter=Q(status=Status.NO_SHOW)))
        .values_list("day", "n", "missed")
    ):
        point = points[_bucket(day, grain)]
        point.bookings += bookings
        point.no_shows += no_shows
    for day, net in (
        _lines(location, business.currency, bounds)
        .annotate(day=TruncDate("checkout__created_at", tzinfo=bounds.zone))
        .values("day")
        .annotate(net=Sum("net_amount"))
        .values_list("day", "net")
    ):
        points[_bucket(day, grain)].revenue += net or 0
    rate, inclusive = _service_rate(business)
    for day, price in (
        _not_checked_out(location, bounds)
        .annotate(day=TruncDate("starts_at", tzinfo=bounds.zone))
        .values("day")
        .annotate(price=Sum("price_amount"))
        .values_list("day", "price")
    ):
        points[_bucket(day, grain)].revenue += _net(price or 0, rate, inclusive)
    return [points[k] for k in sorted(points)]


def _sources(location, bounds) -> list[SourceRow]:
    counts = dict(
        Appointment.objects.filter(
            location=location,
            starts_at__gte=bounds.since,
            starts_at__lt=bounds.until,
            status__in=BOOKED,
        )
        .values("source")
        .annotate(n=Count("pk"))
        .values_list("source", "n")
    )
    commissions = dict(
        CommissionLine.objects.filter(
            appointment__location=location,
            appointment__starts_at__gte=bounds.since,
            appointment__starts_at__lt=bounds.until,
        )
        .values("appointment__source")
        .annotate(s=Sum(F("amount") - F("reversed_amount")))
        .values_list("appointment__source", "s")
    )
    total = sum(counts.values())
    labels = dict(Source.choices)
    return [
        SourceRow(
            source=source,
            label=str(labels.get(source, source)),
            bookings=counts.get(source, 0),
            share=round(100 * counts.get(source, 0) / total, 1) if total else 0.0,
            commissions=commissions.get(source) or 0,
        )
        for source in sorted(set(counts) | set(commissions), key=lambda s: -counts.get(s, 0))
    ]


def _month(moment: datetime, zone) -> date:
    return moment.astimezone(zone).date().replace(day=1)


def _add_months(month: date, n: int) -> date:
    total = month.year * 12 + month.month - 1 + n
    return date(total // 12, total % 12 + 1, 1)


def _cohorts(business, location, period, zone) -> list[Cohort]:
    last = period.end.replace(day=1)
    first = _add_months(last, -(COHORT_MONTHS - 1))
    since = local_day_bounds(first, location.time_zone)[0]
    until = local_day_bounds(period.end, location.time_zone)[1]
    starts = dict(
        Appointment.objects.filter(
            business=business, status=Status.COMPLETED, client_card__isnull=False
        )
        .filter(client_card__in=Appointment.objects.filter(location=location).values("client_card"))
        .values("client_card")
        .annotate(first=Min("starts_at"))
        .filter(first__gte=since, first__lt=until)
        .values_list("client_card", "first")
    )
    if not starts:
        return []
    months: dict[int, set[date]] = defaultdict(set)
    # Months as numbers computed by the database in the location's zone (no datetimes to build).
    for card, year, month in (
        Appointment.objects.filter(
            location=location,
            status=Status.COMPLETED,
            client_card__isnull=False,
            starts_at__gte=since,
            starts_at__lt=until,
        )
        .annotate(y=ExtractYear("starts_at", tzinfo=zone), m=ExtractMonth("starts_at", tzinfo=zone))
        .values_list("client_card", "y", "m")
        .order_by()  # no default ordering in the DISTINCT
        .distinct()
    ):
        if card in starts:
            months[card].add(date(year, month, 1))
    by_cohort: dict[date, list[int]] = defaultdict(list)
    for card, moment in starts.items():
        by_cohort[_month(moment, zone)].append(card)
    out = []
    for month in sorted(by_cohort):
        cards = by_cohort[month]
        retained: list[float | None] = []
        for k in range(1, COHORT_OFFSETS + 1):
            later = _add_months(month, k)
            if later > last:
                retained.append(None)
                continue
            back = sum(1 for c in cards if later in months[c])
            retained.append(round(100 * back / len(cards), 1))
        out.append(Cohort(month=month, clients=len(cards), retained=retained))
    return out


def _lifetime(location, currency, bounds) -> Lifetime:
    seen = _completed_cards(location, bounds)
    revenue = dict(
        CheckoutLine.objects.filter(
            kind__in=SOLD,
            checkout__location=location,
            checkout__currency=currency,
            checkout__appointment__client_card__in=seen,
        )
        .values("checkout__appointment__client_card")
        .annotate(s=Sum("net_amount"))
        .values_list("checkout__appointment__client_card", "s")
    )
    visits = dict(
        Appointment.objects.filter(
            location=location,
            status=Status.COMPLETED,
            client_card__in=seen,
            starts_at__lt=bounds.until,
        )
        .values("client_card")
        .annotate(n=Count("pk"))
        .values_list("client_card", "n")
    )
    if not visits:
        return Lifetime()
    values = [revenue.get(card) or 0 for card in visits]
    return Lifetime(
        clients=len(visits),
        average=round(sum(values) / len(values)),
        median=round(statistics.median(values)),
        visits=round(sum(visits.values()) / len(visits), 1),
    )


def _products(location, currency, bounds) -> list[ProductRow]:
    rows = (
        _lines(location, currency, bounds)
        .filter(kind=CheckoutLine.Kind.PRODUCT, product__isnull=False)
        .values(
            "product_id",
            "product__name",
            "product__name_fr",
            "product__name_ru",
            "product__name_ar",
        )
        .annotate(units=Sum(F("quantity") - F("refunded_quantity")), revenue=Sum("net_amount"))
        .order_by("-revenue", "product__name")
    )
    language = (get_language() or "en")[:2]
    return [
        ProductRow(
            product_id=r["product_id"],
            name=r.get(f"product__name_{language}") or r["product__name"],
            units=r["units"] or 0,
            revenue=r["revenue"] or 0,
        )
        for r in rows
    ]


def dashboard(*, business, location: Location, period: Period) -> Dashboard:
    """Everything the dashboards show for one location and period, with the
    previous period's figures to compare with."""
    bounds = _Bounds(location, period)
    grain = _grain(period)
    rows, worked, busy = _occupancy(business, location, period, bounds, heat=True)
    current = figures(business=business, location=location, period=period, masters=rows)
    previous = figures(business=business, location=location, period=period.previous())
    hours = sorted({h for _w, h in worked})
    heatmap = [
        [
            round(100 * busy[(weekday, h)] / worked[(weekday, h)], 1)
            if worked[(weekday, h)]
            else None
            for h in hours
        ]
        for weekday in range(7)
    ]
    return Dashboard(
        location=location,
        currency=business.currency,
        period=period,
        previous_period=period.previous(),
        current=current,
        previous=previous,
        grain=grain,
        series=_series(business, location, period, bounds, grain),
        masters=rows,
        hours=hours,
        heatmap=heatmap,
        sources=_sources(location, bounds),
        cohorts=_cohorts(business, location, period, bounds.zone),
        lifetime=_lifetime(location, business.currency, bounds),
        products=_products(location, business.currency, bounds),
        stock_value=stock_value(business=business, location=location),
        low_stock=len(low_stock(business=business, location=location)),
    )
