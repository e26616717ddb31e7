"""The demo's purchasing (issue #18): suppliers with offers in their language,
an order in transit to the Marais, one partly received at the Batignolles, and
the Batignolles developer's alert left for the reorder suggestions."""

import pytest
from django_scopes import scopes_disabled

from solibook.catalog.models import Business
from solibook.core.tenancy import business_scope
from solibook.purchasing import selectors
from solibook.purchasing.models import PurchaseOrder, SupplierProduct, SupplierProfile

pytestmark = pytest.mark.django_db


def test_the_demo_salon_buys_from_suppliers(demo):
    with scopes_disabled():
        business = Business.objects.get(name="Atelier Lumière")
    with business_scope(business):
        assert SupplierProduct.objects.filter(business=business).count() == 5
        assert set(SupplierProfile.objects.values_list("language", flat=True)) == {"fr", "ru"}
        statuses = sorted(PurchaseOrder.objects.values_list("status", flat=True))
        assert statuses == ["partly_received", "sent"]
        assert selectors.in_transit(business=business)
        developer = [
            s
            for s in selectors.reorder_suggestions(business=business)
            if s.product.name == "Developer 6 %"
        ]
        assert developer and developer[0].below_minimum and developer[0].packs >= 1
