"""Rating aggregates for the marketplace (read across salons on purpose).

Keep these signatures stable: the public pages and search call them.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count
from django_scopes import scopes_disabled

from solibook.reviews.models import ASPECTS, Review, ReviewStatus


def _empty() -> dict:
    return {"average": None, "count": 0, "distribution": dict.fromkeys(range(1, 6), 0)}


def _fill(summary: dict, rows: Iterable[tuple[int, int, int]]) -> dict:
    for key, rating, n in rows:
        if key in summary and 1 <= rating <= 5:
            summary[key]["distribution"][rating] += n
    for entry in summary.values():
        count = sum(entry["distribution"].values())
        entry["count"] = count
        if count:
            total = sum(star * n for star, n in entry["distribution"].items())
            entry["average"] = (Decimal(total) / Decimal(count)).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
    return summary


def rating_summary(business_ids: Iterable[int]) -> dict[int, dict]:
    """{business_id: {"average": Decimal("4.6") | None, "count": 12,
    "distribution": {1: 0, 2: 1, 3: 0, 4: 3, 5: 8}}} over published reviews.
    Every id asked for is in the answer (count 0, average None when unrated). One query."""
    ids = {int(i) for i in business_ids}
    summary = {i: _empty() for i in ids}
    if not ids:
        return summary
    with scopes_disabled():
        rows = (
            Review.objects.filter(business_id__in=ids, status=ReviewStatus.PUBLISHED)
            .values_list("business_id", "rating")
            .annotate(n=Count("id"))
            .order_by()
        )
        return _fill(summary, list(rows))


def master_rating_summary(master_ids: Iterable[int]) -> dict[int, dict]:
    """The same shape per master: a review counts for every master who served
    an item of the reviewed visit (once per master). One query."""
    ids = {int(i) for i in master_ids}
    summary = {i: _empty() for i in ids}
    if not ids:
        return summary
    with scopes_disabled():
        rows = (
            Review.objects.filter(
                status=ReviewStatus.PUBLISHED, appointment__items__master_id__in=ids
            )
            .values_list("appointment__items__master_id", "rating")
            .annotate(n=Count("id", distinct=True))
            .order_by()
        )
        return _fill(summary, list(rows))


def aspect_summary(*, business_id: int) -> list[tuple[str, float, int]]:
    """[(aspect, average rounded to 0.1, how many reviews rated it)] over a
    salon's published reviews, in the order of ASPECTS; aspects nobody rated
    are left out. One query."""
    with scopes_disabled():
        row = Review.objects.filter(
            business_id=business_id, status=ReviewStatus.PUBLISHED
        ).aggregate(
            **{f"{a}_avg": Avg(a) for a in ASPECTS}, **{f"{a}_n": Count(a) for a in ASPECTS}
        )
    return [
        (
            a,
            float(Decimal(str(row[f"{a}_avg"])).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)),
            row[f"{a}_n"],
        )
        for a in ASPECTS
        if row[f"{a}_n"]
    ]


def reviews_for_business(*, business_id: int, limit: int = 20, offset: int = 0) -> list[Review]:
    """Published reviews of a salon, newest first, for its public page."""
    with scopes_disabled():
        return list(
            Review.objects.filter(business_id=business_id, status=ReviewStatus.PUBLISHED)
            .select_related("location")
            .order_by("-created_at", "-id")[offset : offset + limit]
        )


def reviews_for_master(*, master_id: int, limit: int = 20) -> list[Review]:
    with scopes_disabled():
        return list(
            Review.objects.filter(
                status=ReviewStatus.PUBLISHED, appointment__items__master_id=master_id
            )
            .distinct()
            .order_by("-created_at", "-id")[:limit]
        )
