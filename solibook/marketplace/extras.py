"""Reads from the optional reviews and offers apps.

The marketplace works without them (ratings and offers are then absent);
when they are installed it calls their public selectors, one query each.
"""

from collections.abc import Iterable
from datetime import date
from importlib import import_module

from django.apps import apps


def _selectors(app: str):
    if not apps.is_installed(f"solibook.{app}"):
        return None
    try:
        return import_module(f"solibook.{app}.selectors")
    except ImportError:
        return None


def ratings(business_ids: Iterable[int]) -> dict[int, dict]:
    """{business id: {"average": Decimal | None, "count": n, "distribution": {1..5: n}}}."""
    ids = list(business_ids)
    module = _selectors("reviews")
    if module is None or not ids:
        return {}
    return module.rating_summary(ids)


def master_ratings(master_ids: Iterable[int]) -> dict[int, dict]:
    ids = list(master_ids)
    module = _selectors("reviews")
    if module is None or not ids or not hasattr(module, "master_rating_summary"):
        return {}
    return module.master_rating_summary(ids)


def aspects(business_id: int) -> list[tuple[str, float, int]]:
    """[(aspect, average, reviews that rated it)] of a salon's published reviews."""
    module = _selectors("reviews")
    if module is None or not hasattr(module, "aspect_summary"):
        return []
    return module.aspect_summary(business_id=business_id)


def reviews(business_id: int, limit: int = 10) -> list:
    module = _selectors("reviews")
    if module is None or not hasattr(module, "reviews_for_business"):
        return []
    return list(module.reviews_for_business(business_id=business_id, limit=limit))


def offer_badges(business_ids: Iterable[int], day: date | None = None) -> dict[int, list[str]]:
    ids = list(business_ids)
    module = _selectors("offers")
    if module is None or not ids:
        return {}
    return module.offer_badges(ids, day=day)


def rating_average(summary: dict | None) -> float | None:
    if not summary or summary.get("average") is None:
        return None
    return float(summary["average"])
