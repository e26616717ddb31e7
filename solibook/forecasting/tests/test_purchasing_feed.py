"""The demand forecast feeds purchasing's reorder suggestions: forecast visits
of the services whose recipes use a product × the recipe, over the supplier's
lead time, when that says more than the visits already booked."""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from solibook.forecasting.selectors import expected_use
from solibook.forecasting.tests.stored import store
from solibook.inventory.models import RecipeLine
from solibook.purchasing import selectors
from solibook.purchasing.tests.conftest import make_shop
from solibook.testing.factories import make_service

pytestmark = pytest.mark.django_db


def test_forecast_visits_times_the_recipe_over_the_lead_time_are_ordered():
    shop = make_shop()
    colour = make_service(shop.business, name="Colour", category_slug="colouring")
    with scopes_disabled():
        RecipeLine.objects.create(
            business=shop.business, service=colour, product=shop.dye, quantity=Decimal("60")
        )
    with scope(business=shop.business):
        now = timezone.now()
        today = now.astimezone(ZoneInfo(shop.location.time_zone)).date()
        store(shop.location, first=today, daily={colour.pk: lambda d: 5.0})
        use = expected_use(business=shop.business)
        # The lead time is 4 days: 4 local days of 5 colours × 60 ml.
        assert use(shop.location, shop.dye, now, now + timedelta(days=4)) == Decimal("1200.000")
        without = selectors.reorder_suggestions(business=shop.business, now=now)
        with_forecast = selectors.reorder_suggestions(
            business=shop.business, now=now, expected_use=use
        )
    assert without == []  # nothing booked, nothing used lately, no minimum
    (suggestion,) = with_forecast
    assert suggestion.expected == Decimal("1200.000")
    assert suggestion.packs == 2  # 1,200 ml in bottles of 1,000 ml
    assert any("demand forecast" in reason for reason in suggestion.reasons)


def test_another_salons_forecast_does_not_reach_this_one():
    shop, other = make_shop("A"), make_shop("B")
    colour = make_service(other.business, name="Colour", category_slug="colouring")
    with scopes_disabled():
        RecipeLine.objects.create(
            business=other.business, service=colour, product=other.dye, quantity=Decimal("60")
        )
    now = timezone.now()
    store(other.location, first=now.date() - timedelta(days=1), daily={colour.pk: lambda d: 5.0})
    with scope(business=shop.business):
        use = expected_use(business=shop.business)
        assert use(shop.location, shop.dye, now, now + timedelta(days=4)) is None
        assert use(other.location, other.dye, now, now + timedelta(days=4)) is None
