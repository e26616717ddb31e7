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


def running_sql(today: date, *, city_slug: str, category_id: int | None) -> tuple[str, list]:
    """SQL selecting (business_id, id) of the promotion search shows for each
    business, and its parameters: `running_promotions`, in any city or
    `city_slug` (when given), in any category or `category_id` (only those
    without a category when None), the dearest first. Raw SQL, so search's
    statement needs no ORM compiling; tests/test_promotion_sql.py checks it
    against `running_promotions`."""
    table, days = Promotion._meta.db_table, PromotionDay._meta.db_table
    sql = (
        f'SELECT DISTINCT ON (p."business_id") p."business_id", p."id" FROM {table} p '  # noqa: S608 - fixed names
        'WHERE p."starts_on" <= %s AND p."ends_on" >= %s AND p."is_active" '
        f'AND NOT (p."mode" = %s AND EXISTS (SELECT 1 FROM {days} d '
        'WHERE d."promotion_id" = p."id" AND d."day" = %s '
        'AND d."spent" > p."daily_budget" - p."price_amount"))'
    )
    params: list = [today, today, Promotion.Mode.DAILY_BUDGET.value, today]
    if city_slug:
        sql += ' AND (p."city_slug" = \'\' OR p."city_slug" = %s)'
        params.append(city_slug)
    if category_id is not None:
        sql += ' AND (p."category_id" IS NULL OR p."category_id" = %s)'
        params.append(category_id)
    else:
        sql += ' AND p."category_id" IS NULL'
    return sql + ' ORDER BY p."business_id", p."price_amount" DESC, p."id"', params


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
