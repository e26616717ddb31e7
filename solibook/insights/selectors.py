"""Staff performance per master over a period (reads only).

- revenue: the services the master performed, net of VAT after discounts,
  on the same base as their commission (`accounting.staff.sales_for`):
  services checked out at the till, plus completed visits not checked out
  yet at their booked price (`revenue_not_checked_out`, which the profit
  and loss, reading only the ledger, does not count); products apart;
- appointments: visits the master served or is booked for (not cancelled or expired);
- occupancy %: minutes the master was busy with clients (active segments,
  processing time excluded) over minutes scheduled to work (shifts minus
  breaks, date overrides, closures, time off) at the location;
- rebooking rate: completed visits after which the same client booked again
  with the same master within 7 days of the visit;
- no-show rate: no-shows over (completed + no-shows);
- average rating: from `reviews.selectors.master_rating_summary` when the
  reviews app is installed, else absent.

The period is [first day, last day] in the location's time zone.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db.models import Count, Q

from solibook.accounting.staff import sales_for
from solibook.booking.intervals import intersect, normalise, subtract
from solibook.booking.models import AppointmentItem, BookingSegment, Status
from solibook.booking.selectors import catalog_snapshot, to_minutes, working_time
from solibook.catalog.models import Location, Master, TimeOff
from solibook.core.time import local_day_bounds
from solibook.notifications.models import CalendarFeedToken

REBOOK_DAYS = 7
MAX_DAYS = 366
SERVED = (Status.CONFIRMED, Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED, Status.NO_SHOW)


@dataclass
class MasterPerformance:
    master: Master
    revenue: int
    appointments: int
    completed: int
    no_shows: int
    worked_minutes: int
    busy_minutes: int
    rebooked: int
    rating: float | None
    rating_count: int
    revenue_not_checked_out: int = 0

    @property
    def occupancy(self) -> float | None:
        return (
            round(100 * self.busy_minutes / self.worked_minutes, 1) if self.worked_minutes else None
        )

    @property
    def no_show_rate(self) -> float | None:
        seen = self.completed + self.no_shows
        return round(100 * self.no_shows / seen, 1) if seen else None

    @property
    def rebooking_rate(self) -> float | None:
        return round(100 * self.rebooked / self.completed, 1) if self.completed else None


def _ratings(master_ids: list[int]) -> dict[int, dict]:
    if not apps.is_installed("solibook.reviews"):
        return {}
    try:
        from solibook.reviews.selectors import master_rating_summary
    except ImportError:
        return {}
    return master_rating_summary(master_ids)


def staff_performance(
    *,
    business,
    location: Location,
    first_day: date,
    last_day: date,
    masters: list[Master] | None = None,
) -> list[MasterPerformance]:
    zone = ZoneInfo(location.time_zone)
    since = local_day_bounds(first_day, location.time_zone)[0]
    until = local_day_bounds(last_day, location.time_zone)[1]
    if masters is None:
        masters = list(
            Master.objects.filter(business=business, locations=location).order_by(
                "position", "display_name", "pk"
            )
        )
    ids = [m.pk for m in masters]
    items = AppointmentItem.objects.filter(
        master_id__in=ids,
        appointment__location=location,
        starts_at__gte=since,
        starts_at__lt=until,
    )
    per_master = {
        row["master_id"]: row
        for row in items.values("master_id")
        .annotate(
            appointments=Count(
                "appointment", filter=Q(appointment__status__in=SERVED), distinct=True
            ),
            completed=Count(
                "appointment", filter=Q(appointment__status=Status.COMPLETED), distinct=True
            ),
            no_shows=Count(
                "appointment", filter=Q(appointment__status=Status.NO_SHOW), distinct=True
            ),
        )
        .order_by()
    }
    # Busy minutes: the master's active segments of visits (not holds that expired).
    range_from, range_to = to_minutes(since), to_minutes(until)
    busy: dict[int, list] = {}
    for master_id, starts, ends in BookingSegment.objects.filter(
        master_id__in=ids,
        is_active=True,
        starts_at__lt=until,
        ends_at__gt=since,
        appointment__location=location,
        appointment__status__in=(
            Status.CONFIRMED,
            Status.ARRIVED,
            Status.IN_PROGRESS,
            Status.COMPLETED,
        ),
    ).values_list("master_id", "starts_at", "ends_at"):
        busy.setdefault(master_id, []).append(
            (max(to_minutes(starts), range_from), min(to_minutes(ends), range_to))
        )
    catalog = catalog_snapshot(location)
    working = working_time(location, catalog, ids, first_day, last_day, zone)
    away: dict[int, list] = {}
    for master_id, starts, ends in TimeOff.objects.filter(
        master_id__in=ids, starts_at__lt=until, ends_at__gt=since
    ).values_list("master_id", "starts_at", "ends_at"):
        away.setdefault(master_id, []).append((to_minutes(starts), to_minutes(ends)))
    rebooked = _rebooked(location, ids, since, until)
    revenue = _revenue(business, location, masters, first_day, last_day)
    ratings = _ratings(ids)
    out = []
    for master in masters:
        row = per_master.get(master.pk, {})
        work = subtract(working.get(master.pk, []), normalise(away.get(master.pk, [])))
        worked = sum(e - s for s, e in work)
        busy_in_work = intersect(normalise(busy.get(master.pk, [])), work)
        rating = ratings.get(master.pk) or {}
        out.append(
            MasterPerformance(
                master=master,
                revenue=revenue[master.pk][0],
                revenue_not_checked_out=revenue[master.pk][1],
                appointments=row.get("appointments", 0),
                completed=row.get("completed", 0),
                no_shows=row.get("no_shows", 0),
                worked_minutes=worked,
                busy_minutes=sum(e - s for s, e in busy_in_work),
                rebooked=rebooked.get(master.pk, 0),
                rating=rating.get("average"),
                rating_count=rating.get("count", 0),
            )
        )
    return out


def _revenue(business, location, masters, first_day, last_day) -> dict[int, tuple[int, int]]:
    """Per master: (services performed, of which not checked out), net of VAT."""
    out = {}
    for master in masters:
        services = [
            sale
            for sale in sales_for(
                business=business,
                master=master,
                start=first_day,
                end=last_day,
                location_id=location.pk,
            )
            if sale.kind == "service"
        ]
        out[master.pk] = (
            sum(s.amount for s in services),
            sum(s.amount for s in services if s.reference.startswith("appointment:")),
        )
    return out


def _rebooked(location: Location, ids: list[int], since, until) -> dict[int, int]:
    """Per master: completed visits in the period whose client booked another
    visit with that master, created within REBOOK_DAYS after the visit."""
    done = list(
        AppointmentItem.objects.filter(
            master_id__in=ids,
            appointment__location=location,
            appointment__status=Status.COMPLETED,
            appointment__client_card__isnull=False,
            starts_at__gte=since,
            starts_at__lt=until,
        )
        .values_list(
            "master_id", "appointment_id", "appointment__client_card_id", "appointment__ends_at"
        )
        .distinct()
    )
    if not done:
        return {}
    cards = {card for _m, _a, card, _e in done}
    later: dict[tuple[int, int], list] = {}
    for master_id, card, created, starts in AppointmentItem.objects.filter(
        master_id__in=ids,
        appointment__client_card_id__in=cards,
        appointment__status__in=SERVED,
    ).values_list(
        "master_id",
        "appointment__client_card_id",
        "appointment__created_at",
        "appointment__starts_at",
    ):
        later.setdefault((master_id, card), []).append((created, starts))
    counts: dict[int, int] = {}
    for master_id, _appointment_id, card, ended in done:
        window_end = ended + timedelta(days=REBOOK_DAYS)
        if any(
            starts > ended and created <= window_end
            for created, starts in later.get((master_id, card), [])
        ):
            counts[master_id] = counts.get(master_id, 0) + 1
    return counts


def feed_status(*, master: Master):
    """The master's live calendar feed token (None when there is none)."""
    return (
        CalendarFeedToken.objects.filter(master=master, revoked_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
