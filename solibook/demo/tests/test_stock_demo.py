"""The demo's stock (issue #18): products with valid barcodes, stock at both
Atelier Lumière locations, the colouring's recipe, and one low-stock alert."""

import pytest
from django_scopes import scopes_disabled

from solibook.catalog.models import Business, Location
from solibook.core.tenancy import business_scope
from solibook.demo.catalogue_data import BATIGNOLLES
from solibook.inventory import selectors
from solibook.inventory.models import RecipeLine, StockMovement

pytestmark = pytest.mark.django_db


def test_the_demo_salon_has_stock_recipes_and_a_low_stock_alert(demo):
    with scopes_disabled():
        business = Business.objects.get(name="Atelier Lumière")
    with business_scope(business):
        batignolles = Location.objects.get(business=business, name=BATIGNOLLES)
        low = selectors.low_stock(business=business, location=batignolles)
        assert [row.product.name for row in low] == ["Developer 6 %"]
        assert RecipeLine.objects.filter(business=business).count() == 2
        assert StockMovement.objects.filter(business=business, kind="receipt").count() >= 9
        assert selectors.stock_value(business=business, location=batignolles) > 0
