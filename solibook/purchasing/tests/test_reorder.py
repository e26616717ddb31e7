"""Low-stock alerts and reorder suggestions, and one click to draft orders."""

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from solibook.core.errors import NotFound, ValidationFailed
from solibook.finance.models import Product
from solibook.inventory import services as inventory
from solibook.purchasing import selectors, services
from solibook.purchasing.models import PurchaseOrder
from solibook.purchasing.tests.conftest import make_shop, sent_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scoped")]


def stock(shop, quantity, minimum):
    inventory.minimum_set(
        business=shop.business, location=shop.location, product=shop.dye, minimum=minimum
    )
    if quantity:
        inventory.movement_record(
            business=shop.business,
            location=shop.location,
            product=shop.dye,
            kind="receipt",
            quantity=quantity,
            unit_cost=1,
        )


def only(shop):
    found = selectors.reorder_suggestions(business=shop.business)
    assert len(found) == 1, found
    return found[0]


def test_nothing_is_suggested_above_the_minimum_without_expected_use(shop):
    stock(shop, 3000, 2000)
    assert selectors.reorder_suggestions(business=shop.business) == []


def test_below_the_minimum_suggests_whole_packs_and_says_why(shop):
    stock(shop, 500, 2000)
    s = only(shop)
    assert s.below_minimum and s.offer == shop.bottle
    # 1,500 ml short, in 1,000 ml bottles: 2 bottles.
    assert s.packs == 2
    assert any("Below its minimum: 500 ml on hand, minimum 2000 ml." in r for r in s.reasons)


def test_recent_use_over_the_lead_time_is_covered_too(shop):
    stock(shop, 2500, 2000)
    # 280 ml used in the last 28 days: 10 ml a day, 40 ml over the 4-day lead time.
    inventory.movement_record(
        business=shop.business,
        location=shop.location,
        product=shop.dye,
        kind="consumption",
        quantity=-Decimal(600),
    )
    s = only(shop)
    assert s.expected > 0 and s.packs >= 1
    assert any("lead time" in r for r in s.reasons)


def test_what_is_in_transit_counts_and_is_shown(shop):
    stock(shop, 500, 2000)
    sent_order(shop, packs=1)
    s = only(shop)
    assert s.incoming == Decimal("1000") and s.packs == 1
    sent_order(shop, packs=1)
    s = only(shop)
    assert s.packs == 0 and s.below_minimum  # still an alert: the shelf is low
    assert any("nothing more to order" in r for r in s.reasons)
    transit = selectors.in_transit(business=shop.business)
    assert transit == {(shop.location.pk, shop.dye.pk): Decimal("2000")}


def test_one_click_makes_one_draft_per_supplier_and_a_second_click_adds_nothing(shop):
    stock(shop, 500, 2000)
    with scopes_disabled():
        from solibook.accounting.models import Supplier

        second = Supplier.objects.create(business=shop.business, name="Second", email="s@x.test")
        shampoo = Product.objects.create(
            business=shop.business, name="Shampoo", price_amount=900, currency="EUR"
        )
    box = services.offer_create(
        actor=None,
        business=shop.business,
        supplier_id=second.pk,
        product_id=shampoo.pk,
        pack_name="Box of 6",
        pack_size=6,
        price_amount=3000,
        lead_time_days=2,
    )
    inventory.minimum_set(
        business=shop.business, location=shop.location, product=shampoo, minimum=4
    )
    found = selectors.reorder_suggestions(business=shop.business)
    assert {s.product.pk for s in found} == {shop.dye.pk, shampoo.pk}
    items = [
        {"location_id": s.location.pk, "offer_id": s.offer.pk, "packs": s.packs} for s in found
    ]
    orders = services.orders_from_suggestions(actor=None, business=shop.business, items=items)
    assert sorted(o.supplier_id for o in orders) == sorted([shop.supplier.pk, second.pk])
    again = services.orders_from_suggestions(actor=None, business=shop.business, items=items)
    assert {o.pk for o in again} == {o.pk for o in orders}
    assert PurchaseOrder.objects.filter(status="draft").count() == 2
    shampoo_order = next(o for o in orders if o.supplier_id == second.pk)
    line = shampoo_order.lines.get()
    assert line.offer == box and line.packs == 1


def test_suggestions_refuse_another_salons_offer_or_location_and_nothing(shop):
    other = make_shop("Other")
    with pytest.raises(ValidationFailed):
        services.orders_from_suggestions(actor=None, business=shop.business, items=[])
    for item in (
        {"location_id": shop.location.pk, "offer_id": other.bottle.pk, "packs": 1},
        {"location_id": other.location.pk, "offer_id": shop.bottle.pk, "packs": 1},
    ):
        with pytest.raises(NotFound):
            services.orders_from_suggestions(actor=None, business=shop.business, items=[item])
    assert not PurchaseOrder.objects.exists()
