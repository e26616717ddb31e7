"""Promoted placements: which promotion a search shows (running, within its
day's budget) and its figures per day (impressions and clicks counted with
one upsert each; bookings and spend change only in `commissions.promotion`)."""

from datetime import date

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from solibook.marketplace.models import Promotion, PromotionDay


def running_promotions(today: date) -> QuerySet[Promotion]:
    """Promotions shown today: in their dates, not paused, and (daily budget)
    with room left for one more new client."""
    spent = PromotionDay.objects.filter(
        promotion_id=OuterRef("pk"),
        day=today,
        spent__gt=F("promotion__daily_budget") - F("promotion__price_amount"),
    )
    return Promotion.objects.filter(
        starts_on__lte=today, ends_on__gte=today, is_active=True
    ).exclude(Q(mode=Promotion.Mode.DAILY_BUDGET) & Exists(spent))


def count(promotion_ids, day: date, column: str) -> None:
    """Add one impression or click to each promotion's figures of `day`."""
    if column not in ("impressions", "clicks"):
        raise ValueError(column)
    ids = sorted({int(i) for i in promotion_ids if i})
    if not ids:
        return
    table = PromotionDay._meta.db_table
    first = "(%s, %s, 1, 0, 0, 0)" if column == "impressions" else "(%s, %s, 0, 1, 0, 0)"
    values = ", ".join([first] * len(ids))
    params = [p for i in ids for p in (i, day)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (promotion_id, day, impressions, clicks, bookings, spent) "  # noqa: S608 - fixed names
            f"VALUES {values} ON CONFLICT (promotion_id, day) "
            f"DO UPDATE SET {column} = {table}.{column} + 1",
            params,
        )
