"""Recipes: a completed visit writes its materials off at its location, the
master's actual use corrects it, leaving "completed" gives them back; the till
sells products and a refund by line puts them back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from solibook.booking.models import AppointmentItem, Status
from solibook.booking.selectors import ItemSpec
from solibook.catalog.models import ServiceVariant
from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance import services as finance
from solibook.finance.models import LedgerEntry, Product
from solibook.finance.services import LineIn, RefundLineIn, TenderIn
from solibook.inventory import selectors, services
from solibook.inventory.models import Kind, RecipeLine, StockMovement
from solibook.testing.booking import book, complete
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def developer(salon):
    with scopes_disabled():
        return Product.objects.create(
            business=salon.business,
            name="Developer 6%",
            kind=Product.Kind.PROFESSIONAL,
            stock_unit=Product.Unit.ML,
            price_amount=0,
            currency=salon.business.currency,
        )


@pytest.fixture
def long_hair(salon):
    with scopes_disabled():
        return ServiceVariant.objects.create(
            business=salon.business, service=salon.colour, name="Long hair", price_amount=11000
        )


@pytest.fixture
def stocked(salon, dye, developer, long_hair):
    with business_scope(salon.business):
        for product in (dye, developer):
            services.movement_record(
                business=salon.business,
                location=salon.location,
                product=product,
                kind="receipt",
                quantity=1000,
                unit_cost="0.8",
            )
        services.recipe_set(
            business=salon.business,
            service_id=salon.colour.pk,
            lines=[(dye, 60, "ml"), (developer, 60, "ml")],
        )
        services.recipe_set(
            business=salon.business,
            service_id=salon.colour.pk,
            variant_id=long_hair.pk,
            lines=[(dye, 90, None), (developer, "0.09", "l")],
        )
    return salon


def colouring(salon, variant=None, hour=10):
    return book(
        salon,
        specs=[
            ItemSpec(
                salon.colour.pk, variant_id=variant.pk if variant else None, master_id=salon.lea.pk
            )
        ],
        hour=hour,
    )


def on_hand(salon, product):
    with business_scope(salon.business):
        return selectors.on_hand(salon.location, product)


def test_completing_a_colouring_writes_off_its_recipe(stocked, dye, developer):
    salon = stocked
    visit = colouring(salon)
    assert on_hand(salon, dye) == 1000  # booked, not yet done
    complete(salon, visit)
    assert on_hand(salon, dye) == 940
    assert on_hand(salon, developer) == 940
    with scopes_disabled():
        moves = StockMovement.objects.filter(kind=Kind.CONSUMPTION, product=dye)
        assert [m.source for m in moves] == [f"booking.appointment:{visit.pk}"]
        materials = sum(e.amount for e in LedgerEntry.objects.filter(account="materials_used"))
    assert materials == 96  # 2 × 60 ml at 0.8 cent


def test_a_variant_uses_its_own_recipe(stocked, dye, developer, long_hair):
    salon = stocked
    complete(salon, colouring(salon, long_hair))
    assert on_hand(salon, dye) == 910
    assert on_hand(salon, developer) == 910


def test_syncing_twice_writes_nothing_more(stocked, dye):
    salon = stocked
    visit = colouring(salon)
    complete(salon, visit)
    with business_scope(salon.business):
        visit.refresh_from_db()
        assert services.visit_sync(appointment=visit) == []
        assert services.visit_sync(appointment=visit) == []
    assert on_hand(salon, dye) == 940


def test_the_master_records_actual_use(stocked, dye):
    salon = stocked
    visit = colouring(salon)
    complete(salon, visit)
    with business_scope(salon.business):
        services.visit_usage_record(
            business=salon.business, appointment_id=visit.pk, product_id=dye.pk, quantity=75
        )
    assert on_hand(salon, dye) == 925
    with business_scope(salon.business), pytest.raises(ValidationFailed) as refused:
        services.visit_usage_record(
            business=salon.business,
            appointment_id=visit.pk,
            product_id=dye.pk,
            quantity=1,
            unit="g",
        )
    assert refused.value.code == "unit_mismatch"
    assert on_hand(salon, dye) == 925


def test_leaving_completed_gives_the_materials_back(stocked, dye):
    salon = stocked
    visit = colouring(salon)
    complete(salon, visit)
    with business_scope(salon.business):
        visit.refresh_from_db()
        visit.status = Status.CANCELLED
        visit.save(update_fields=["status"])
        services.visit_sync(appointment=visit)
        services.visit_sync(appointment=visit)
    assert on_hand(salon, dye) == 1000


def test_a_completed_visit_is_written_off_even_when_the_shelf_is_empty(salon, dye):
    with business_scope(salon.business):
        services.recipe_set(
            business=salon.business, service_id=salon.colour.pk, lines=[(dye, 60, "ml")]
        )
    complete(salon, colouring(salon))
    assert on_hand(salon, dye) == -60


def test_a_recipe_in_a_unit_that_does_not_convert_is_refused(salon, dye):
    with business_scope(salon.business), pytest.raises(ValidationFailed) as refused:
        services.recipe_set(
            business=salon.business, service_id=salon.colour.pk, lines=[(dye, 60, "piece")]
        )
    assert refused.value.code == "unit_mismatch"
    with scopes_disabled():
        assert not RecipeLine.objects.exists()


def test_expected_consumption_counts_booked_visits(stocked, dye, long_hair):
    salon = stocked
    visit = colouring(salon, hour=10)
    colouring(salon, long_hair, hour=14)
    with business_scope(salon.business):
        start = visit.starts_at - timedelta(hours=5)
        expected = selectors.expected_consumption(
            salon.location, dye, start, start + timedelta(days=1)
        )
    assert expected == Decimal(60 + 90)


def test_margin_of_a_service_counts_its_materials(stocked):
    salon = stocked
    with business_scope(salon.business):
        margin = selectors.service_margin(service=salon.colour)
    assert margin == {"price": 8000, "materials": 96, "margin": 7904, "percent": 99}


def till_sale(salon, product, quantity):
    visit = book(salon, hour=16)
    with scopes_disabled():
        item = AppointmentItem.objects.get(appointment=visit)
    total = 4500 + product.price_amount * quantity
    with business_scope(salon.business):
        return finance.checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            appointment_id=visit.pk,
            lines=[
                LineIn("service", appointment_item_id=item.pk),
                LineIn("product", product_id=product.pk, quantity=quantity),
            ],
            shown_total=total,
            currency="EUR",
            tenders=[TenderIn("cash", total)],
            now=NOW,
        )


def test_the_till_sells_and_a_refund_by_line_restocks(salon, shampoo):
    with business_scope(salon.business):
        services.movement_record(
            business=salon.business,
            location=salon.location,
            product=shampoo,
            kind="receipt",
            quantity=5,
            unit_cost=900,
        )
    checkout = till_sale(salon, shampoo, 2)
    assert on_hand(salon, shampoo) == 3
    with scopes_disabled():
        line = checkout.lines.get(kind="product")
        cogs = sum(e.amount for e in LedgerEntry.objects.filter(account="cost_of_goods_sold"))
    assert cogs == 1800
    with business_scope(salon.business):
        finance.refund_by_lines(
            business=salon.business,
            checkout_id=checkout.pk,
            lines=[RefundLineIn(line.pk, 1)],
            reason="client_request",
            now=NOW + timedelta(hours=1),
        )
    assert on_hand(salon, shampoo) == 4
    with scopes_disabled():
        cogs = sum(e.amount for e in LedgerEntry.objects.filter(account="cost_of_goods_sold"))
        kinds = sorted(StockMovement.objects.values_list("kind", flat=True))
    assert cogs == 900
    assert kinds == ["receipt", "return", "sale"]


def test_the_profit_and_loss_shows_retail_sales_their_cost_and_margin(salon, shampoo):
    from solibook.accounting.reports import profit_and_loss

    with business_scope(salon.business):
        services.movement_record(
            business=salon.business,
            location=salon.location,
            product=shampoo,
            kind="receipt",
            quantity=5,
            unit_cost=900,
        )
    till_sale(salon, shampoo, 2)
    with business_scope(salon.business):
        pnl = profit_and_loss(
            business=salon.business, start=NOW.date(), end=NOW.date() + timedelta(days=30)
        )
    assert pnl.retail_sales == 3000  # 2 × 18.00 with 20 % VAT included
    assert pnl.retail_cost == 1800
    assert pnl.retail_margin == 1200
    assert "cost_of_goods_sold" in [row.account for row in pnl.expenses]


def test_a_sale_of_several_lines_keeps_running_balances_and_posts_its_cost_once(salon, shampoo):
    with business_scope(salon.business):
        services.movement_record(
            business=salon.business,
            location=salon.location,
            product=shampoo,
            kind="receipt",
            quantity=5,
            unit_cost=900,
        )
        comb = Product.objects.create(
            business=salon.business, name="Comb", price_amount=500, currency="EUR"
        )
    visit = book(salon, hour=16)
    with scopes_disabled():
        item = AppointmentItem.objects.get(appointment=visit)
    total = 4500 + 1800 * 3 + 500
    with business_scope(salon.business):
        checkout = finance.checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            appointment_id=visit.pk,
            lines=[
                LineIn("service", appointment_item_id=item.pk),
                LineIn("product", product_id=shampoo.pk, quantity=2),
                LineIn("product", product_id=comb.pk),
                LineIn("product", product_id=shampoo.pk),
            ],
            shown_total=total,
            currency="EUR",
            tenders=[TenderIn("cash", total)],
            now=NOW,
        )
        # A replay (the signal heard twice) writes nothing more.
        assert services.checkout_sold(checkout=checkout) == []
    with scopes_disabled():
        sales = list(
            StockMovement.objects.filter(kind=Kind.SALE)
            .order_by("id")
            .values_list("product_id", "quantity", "balance_after")
        )
        stock_posts = list(
            LedgerEntry.objects.filter(account="cost_of_goods_sold").values_list(
                "transaction_id", "amount"
            )
        )
    assert sales == [
        (shampoo.pk, Decimal(-2), Decimal(3)),
        (comb.pk, Decimal(-1), Decimal(-1)),  # none on the shelf: written all the same
        (shampoo.pk, Decimal(-1), Decimal(2)),
    ]
    assert on_hand(salon, shampoo) == 2
    assert on_hand(salon, comb) == -1
    assert [amount for _tx, amount in stock_posts] == [2700]  # 3 × 9.00 (the comb costs 0)
