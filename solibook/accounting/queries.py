"""Ledger reads the accounting reports need (finance's `balances` sums one
UTC window; a report needs each location's own calendar).

A period is a pair of local dates [start, end] (inclusive). Each location's
entries are cut at that location's midnights, so "July" in a Paris salon and
"July" in a Moscow salon start at different instants. Entries with no
location (a pay statement's payment, platform fees) follow the business's
first location's zone and appear only in whole-business reports.

Read-only over `finance.models.LedgerEntry`; nothing here writes.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, DateTimeField, Q, Sum, When
from django.db.models.functions import TruncMonth
from django_scopes import scopes_disabled

from solibook.catalog.models import Location
from solibook.core.time import local_day_bounds
from solibook.finance.models import LedgerEntry


@dataclass(frozen=True)
class Window:
    zone: str
    location_ids: tuple[int, ...]
    include_unlocated: bool
    start: datetime
    end: datetime


def business_zone(business) -> str:
    location = Location.objects.filter(business=business).order_by("pk").first()
    return location.time_zone if location else "UTC"


def windows(*, business, start: date, end: date, location_id: int | None = None) -> list[Window]:
    """One UTC window per time zone the report spans (one query for the locations)."""
    all_locations = list(
        Location.objects.filter(business=business).order_by("pk").values_list("pk", "time_zone")
    )
    default_zone = all_locations[0][1] if all_locations else "UTC"
    by_zone: dict[str, list[int]] = defaultdict(list)
    for pk, zone in all_locations:
        if location_id is None or pk == location_id:
            by_zone[zone].append(pk)
    if location_id is None and default_zone not in by_zone:
        by_zone[default_zone] = []
    result = []
    for zone, ids in by_zone.items():
        first = local_day_bounds(start, zone)[0]
        last = local_day_bounds(end, zone)[1]
        result.append(
            Window(zone, tuple(ids), location_id is None and zone == default_zone, first, last)
        )
    return result


def _window_q(window: Window, *, before_only: bool = False) -> Q:
    where = Q(location_id__in=window.location_ids) if window.location_ids else Q(pk__in=[])
    if window.include_unlocated:
        where |= Q(location_id__isnull=True)
    if before_only:
        return where & Q(occurred_at__lt=window.start)
    return where & Q(occurred_at__gte=window.start, occurred_at__lt=window.end)


def entries(*, business, currency: str):
    with scopes_disabled():
        return LedgerEntry.objects.filter(business_id=business.pk, currency=currency)


def _month_of(windows_: list[Window]):
    """The local month of an entry, by the zone of its location: one expression, one scan."""
    if len(windows_) == 1:
        return TruncMonth("occurred_at", tzinfo=ZoneInfo(windows_[0].zone))
    whens = [
        When(_window_q(w), then=TruncMonth("occurred_at", tzinfo=ZoneInfo(w.zone)))
        for w in windows_
    ]
    return Case(*whens, output_field=DateTimeField())


def sums_by_account_month(
    *,
    business,
    currency: str,
    start: date,
    end: date,
    location_id: int | None = None,
    accounts: Q | None = None,
) -> dict[tuple[str, date], int]:
    """{(account, first day of local month): debits − credits} over the period, in one query."""
    result: dict[tuple[str, date], int] = defaultdict(int)
    spans = windows(business=business, start=start, end=end, location_id=location_id)
    where = Q(pk__in=[])
    for window in spans:
        where |= _window_q(window)
    query = entries(business=business, currency=currency).filter(where)
    if accounts is not None:
        query = query.filter(accounts)
    rows = (
        query.annotate(month=_month_of(spans))
        .order_by()
        .values("account", "month")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        result[(row["account"], month.replace(day=1))] += int(row["total"])
    return dict(result)


def sums_before(
    *, business, currency: str, day: date, location_id: int | None = None, accounts: Q | None = None
) -> dict[str, int]:
    """Balances per account of everything before local `day` (opening balances)."""
    result: dict[str, int] = defaultdict(int)
    for window in windows(business=business, start=day, end=day, location_id=location_id):
        query = entries(business=business, currency=currency).filter(
            _window_q(window, before_only=True)
        )
        if accounts is not None:
            query = query.filter(accounts)
        for row in query.order_by().values("account").annotate(total=Sum("amount")):
            result[row["account"]] += int(row["total"])
    return dict(result)


def tips_by_location(
    *, business, master, currency: str, start: date, end: date
) -> dict[int | None, int]:
    """Tips the ledger holds for a master in the period (credits to `tips_payable`,
    net of tip refunds), leaving out pay statements' own postings."""
    result: dict[int | None, int] = defaultdict(int)
    for window in windows(business=business, start=start, end=end):
        rows = (
            entries(business=business, currency=currency)
            .filter(_window_q(window), account="tips_payable", master_id=master.pk)
            .exclude(transaction__reference__startswith="pay:")
            .order_by()
            .values("location_id")
            .annotate(total=Sum("amount"))
        )
        for row in rows:
            result[row["location_id"]] += -int(row["total"])
    return {k: v for k, v in result.items() if v}


def months_between(start: date, end: date) -> list[date]:
    months, cursor = [], start.replace(day=1)
    while cursor <= end:
        months.append(cursor)
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return months
