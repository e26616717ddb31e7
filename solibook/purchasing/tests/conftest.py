"""A small purchasing world: a salon with a location, a supplier who writes in
French, a dye counted in ml and a 1,000 ml bottle of it at 12.00 EUR."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from solibook.accounting.models import Supplier
from solibook.catalog.models import Business, Location
from solibook.core.tenancy import business_scope
from solibook.finance.models import Product
from solibook.purchasing import services
from solibook.purchasing.models import SupplierProduct
from solibook.testing.factories import BusinessFactory, LocationFactory


@dataclass
class Shop:
    business: Business
    location: Location
    supplier: Supplier
    dye: Product
    bottle: SupplierProduct


def make_shop(name: str = "Salon") -> Shop:
    business = BusinessFactory(name=name)
    location = LocationFactory(business=business)
    with scopes_disabled():
        supplier = Supplier.objects.create(
            business=business, name=f"Beauté Pro {name}", email="orders@beaute.example"
        )
        dye = Product.objects.create(
            business=business,
            name="Colour dye 6.0",
            price_amount=2500,
            currency="EUR",
            stock_unit="ml",
            kind="professional",
        )
    with business_scope(business):
        services.supplier_language_set(
            actor=None, business=business, supplier_id=supplier.pk, language="fr"
        )
        bottle = services.offer_create(
            actor=None,
            business=business,
            supplier_id=supplier.pk,
            product_id=dye.pk,
            pack_name="Flacon 1 L",
            pack_size=Decimal("1000"),
            price_amount=1200,
            lead_time_days=4,
            supplier_sku="BP-60",
        )
    return Shop(business, location, supplier, dye, bottle)


@pytest.fixture
def shop(db) -> Shop:
    return make_shop()


def sent_order(shop: Shop, packs: int = 10):
    """A sent order of `packs` bottles (the e-mail goes to Django's test outbox)."""
    with business_scope(shop.business):
        order = services.order_create(
            actor=None,
            business=shop.business,
            supplier_id=shop.supplier.pk,
            location_id=shop.location.pk,
        )
        services.order_line_set(
            actor=None,
            business=shop.business,
            order_id=order.pk,
            offer_id=shop.bottle.pk,
            packs=packs,
        )
        return services.order_send(actor=None, business=shop.business, order_id=order.pk)


@pytest.fixture
def scoped(shop):
    """The test body runs in the shop's business scope, as a page or the API does."""
    with business_scope(shop.business):
        yield shop
