"""Search's statement picks each business's promotion in SQL written by hand
(`promotions.running_sql`): it must pick what `running_promotions` picks."""

from datetime import timedelta

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from solibook.catalog.models import Category
from solibook.marketplace.models import Promotion, PromotionDay
from solibook.marketplace.promotions import running_promotions, running_sql
from solibook.testing.factories import BusinessFactory
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db

TODAY = NOW.date()


def _promotion(business, **values):
    fields = {"starts_on": TODAY, "ends_on": TODAY + timedelta(days=3), "price_amount": 500}
    fields.update(values)
    return Promotion.objects.create(business=business, **fields)


def _expected(city_slug: str, category) -> dict[int, int]:
    """The ORM's pick, as search's portable path makes it (per business)."""
    running = running_promotions(TODAY)
    if city_slug:
        running = running.filter(city_slug__in=["", city_slug])
    if category is not None:
        running = running.filter(category__isnull=True) | running.filter(category=category)
    else:
        running = running.filter(category__isnull=True)
    picked: dict[int, int] = {}
    for business_id, pk in running.order_by("-price_amount", "pk").values_list("business_id", "pk"):
        picked.setdefault(business_id, pk)
    return picked


def _found(city_slug: str, category) -> dict[int, int]:
    sql, params = running_sql(
        TODAY, city_slug=city_slug, category_id=category.pk if category is not None else None
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def test_running_sql_picks_the_promotion_running_promotions_picks():
    with scopes_disabled():
        haircut = Category.objects.get(slug="womens-haircut")
        colouring = Category.objects.get(slug="colouring")
        a, b, c, d, e = (BusinessFactory() for _ in range(5))
        # a: the dearer of two, one of them for haircuts only.
        _promotion(a, price_amount=300)
        _promotion(a, price_amount=900, category=haircut)
        # b: Paris only, and one that has not started.
        _promotion(b, city_slug="paris")
        _promotion(b, price_amount=5000, starts_on=TODAY + timedelta(days=1))
        # c: a daily budget spent for today (not shown), and a paused one.
        spent = _promotion(c, mode=Promotion.Mode.DAILY_BUDGET, daily_budget=1000)
        PromotionDay.objects.create(promotion=spent, day=TODAY, spent=600)
        _promotion(c, price_amount=9000, is_active=False)
        # d: a daily budget with room for one more client, colouring only.
        room = _promotion(
            d, mode=Promotion.Mode.DAILY_BUDGET, daily_budget=1000, category=colouring
        )
        PromotionDay.objects.create(promotion=room, day=TODAY, spent=500)
        # e: two at the same price (the first made wins), one ended yesterday.
        _promotion(e, price_amount=700)
        _promotion(e, price_amount=700)
        _promotion(
            e,
            price_amount=8000,
            starts_on=TODAY - timedelta(days=5),
            ends_on=TODAY - timedelta(days=1),
        )
        for city_slug in ("", "paris", "lyon"):
            for category in (None, haircut, colouring):
                expected = _expected(city_slug, category)
                assert _found(city_slug, category) == expected, (city_slug, category)
        # The cases above are not vacuous: each kind of pick happens somewhere.
        assert _found("", haircut)[a.pk] != _found("", None)[a.pk]
        assert b.pk in _found("paris", None) and b.pk not in _found("lyon", None)
        assert c.pk not in _found("", None)
        assert d.pk in _found("", colouring) and d.pk not in _found("", haircut)
