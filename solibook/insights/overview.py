"""The owner's overview (issue #15, point 9): a location's day and its last
30 days, in the location's time zone (reads only).

- bookings: visits starting that day, not cancelled or expired (holds excluded);
- arrived: of those, the clients who came (arrived, in progress, completed);
- no-shows: visits marked no-show;
- occupancy: the masters' busy time over their scheduled time
  (`staff_performance`, the same figure as the staff performance page);
- revenue: services and products performed, net of VAT after discounts (the
  commission base): checked out at the till that day, plus completed visits
  not checked out yet at their booked price. The profit and loss counts only
  the first part (it reads the ledger).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from solibook.accounting.staff import item_bases, not_checked_out, sold_base
from solibook.booking.models import Appointment, Status
from solibook.catalog.models import Location
from solibook.core.time import local_day_bounds, to_local
from solibook.finance.models import CheckoutLine
from solibook.insights.selectors import staff_performance

DAYS = 30
BOOKED = (
    Status.CONFIRMED,
    Status.AWAITING_DEPOSIT,
    Status.ARRIVED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.NO_SHOW,
)
CAME = (Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED)


@dataclass
class Day:
    day: date
    bookings: int = 0
    arrived: int = 0
    no_shows: int = 0
    revenue: int = 0
    revenue_not_checked_out: int = 0
    worked_minutes: int = 0
    busy_minutes: int = 0

    @property
    def occupancy(self) -> float | None:
        if not self.worked_minutes:
            return None
        return round(100 * self.busy_minutes / self.worked_minutes, 1)


@dataclass
class Overview:
    location: Location
    currency: str
    today: Day
    days: list[Day] = field(default_factory=list)

    def chart(self) -> dict:
        return {
            "currency": self.currency,
            "labels": [d.day.isoformat() for d in self.days],
            "bookings": [d.bookings for d in self.days],
            "no_shows": [d.no_shows for d in self.days],
            "revenue": [d.revenue for d in self.days],
        }

    @property
    def period_bookings(self) -> int:
        return sum(d.bookings for d in self.days)

    @property
    def period_revenue(self) -> int:
        return sum(d.revenue for d in self.days)

    @property
    def period_no_shows(self) -> int:
        return sum(d.no_shows for d in self.days)


def owner_overview(*, business, location: Location, now: datetime, days: int = DAYS) -> Overview:
    zone = location.time_zone
    today = to_local(now, zone).date()
    first = today - timedelta(days=days - 1)
    since = local_day_bounds(first, zone)[0]
    until = local_day_bounds(today, zone)[1]
    by_day = {first + timedelta(days=i): Day(first + timedelta(days=i)) for i in range(days)}

    def local(moment: datetime) -> date:
        return to_local(moment, zone).date()

    visits = Appointment.objects.filter(
        location=location, starts_at__gte=since, starts_at__lt=until, status__in=BOOKED
    ).values_list("starts_at", "status")
    for starts_at, status in visits:
        row = by_day.get(local(starts_at))
        if row is None:
            continue
        row.bookings += 1
        row.arrived += status in CAME
        row.no_shows += status == Status.NO_SHOW

    lines = CheckoutLine.objects.filter(
        kind__in=(CheckoutLine.Kind.SERVICE, CheckoutLine.Kind.PRODUCT),
        checkout__location=location,
        checkout__currency=business.currency,
        checkout__created_at__gte=since,
        checkout__created_at__lt=until,
    ).select_related("checkout")
    for line in lines:
        row = by_day.get(local(line.checkout.created_at))
        if row is not None:
            row.revenue += sold_base(line).net
    items = list(not_checked_out(location_id=location.pk, since=since, until=until))
    starts = {i.pk: i.starts_at for i in items}
    for item_id, base in item_bases(items, business=business).items():
        row = by_day.get(local(starts[item_id]))
        if row is not None:
            row.revenue += base.net
            row.revenue_not_checked_out += base.net

    # Occupancy of today (the staff performance page's figure for one day).
    rows = staff_performance(business=business, location=location, first_day=today, last_day=today)
    by_day[today].worked_minutes = sum(r.worked_minutes for r in rows)
    by_day[today].busy_minutes = sum(r.busy_minutes for r in rows)
    ordered = [by_day[d] for d in sorted(by_day)]
    return Overview(
        location=location, currency=business.currency, today=by_day[today], days=ordered
    )
