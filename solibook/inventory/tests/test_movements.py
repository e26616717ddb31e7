"""Movements: on hand is their sum, refusals write nothing, averages, transfers,
concurrency on PostgreSQL."""

from decimal import Decimal

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from solibook.catalog.models import Location
from solibook.core.errors import DomainError, NotFound, ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance.models import LedgerEntry, Product
from solibook.inventory import selectors, services
from solibook.inventory.models import StockBalance, StockMovement, StockTransfer
from solibook.testing.factories import BusinessFactory, LocationFactory
from solibook.testing.races import outcome, race

D = Decimal


def receive(salon, product, qty, cost=None, location=None):
    return services.movement_record(
        business=salon.business,
        location=location or salon.location,
        product=product,
        kind="receipt",
        quantity=qty,
        unit_cost=cost,
    )


def test_on_hand_is_the_sum_of_movements(scoped, dye):
    salon = scoped
    receive(salon, dye, "1000", cost="0.8")
    services.movement_record(
        business=salon.business,
        location=salon.location,
        product=dye,
        kind="consumption",
        quantity="-60",
    )
    services.movement_record(
        business=salon.business,
        location=salon.location,
        product=dye,
        kind="adjustment",
        quantity="-5.5",
        reason="spilt",
    )
    assert selectors.on_hand(salon.location, dye) == D("934.5")
    assert selectors.on_hand_summed(salon.location, [dye]) == {dye.pk: D("934.5")}
    last = StockMovement.objects.filter(product=dye).order_by("-id").first()
    assert last.balance_after == D("934.5")


def test_taking_more_than_on_hand_by_hand_is_refused_and_writes_nothing(scoped, dye):
    salon = scoped
    receive(salon, dye, 50)
    with pytest.raises(ValidationFailed) as refused:
        services.movement_record(
            business=salon.business,
            location=salon.location,
            product=dye,
            kind="write_off",
            quantity=60,
            reason="damaged",
        )
    assert refused.value.code == "not_enough_stock"
    assert "50" in refused.value.message and "60" in refused.value.message
    assert StockMovement.objects.filter(product=dye).count() == 1
    assert selectors.on_hand(salon.location, dye) == 50


def test_what_happened_physically_may_go_negative(scoped, shampoo):
    salon = scoped
    services.movement_record(
        business=salon.business,
        location=salon.location,
        product=shampoo,
        kind="sale",
        quantity=2,
        allow_negative=True,
    )
    assert selectors.on_hand(salon.location, shampoo) == -2
    (row,) = [
        r
        for r in selectors.stock_at(business=salon.business, location=salon.location)
        if r.product == shampoo
    ]
    assert row.is_negative


def test_bad_input_is_refused(scoped, dye):
    salon = scoped
    bad = [
        {"kind": "receipt", "quantity": "0"},
        {"kind": "receipt", "quantity": "1.0001"},
        {"kind": "receipt", "quantity": "abc"},
        {"kind": "teleport", "quantity": "1"},
        {"kind": "adjustment", "quantity": "1"},  # no reason
        {"kind": "receipt", "quantity": "1", "unit_cost": "-1"},
        {"kind": "receipt", "quantity": "1", "unit": "g"},  # ml product
        {"kind": "transfer_out", "quantity": "1"},  # no transfer
    ]
    for values in bad:
        with pytest.raises(ValidationFailed):
            services.movement_record(
                business=salon.business, location=salon.location, product=dye, **values
            )
    assert not StockMovement.objects.exists()


def test_a_unit_of_the_same_dimension_converts(scoped, dye):
    salon = scoped
    services.movement_record(
        business=salon.business,
        location=salon.location,
        product=dye,
        kind="receipt",
        quantity="1.5",
        unit="l",
    )
    assert selectors.on_hand(salon.location, dye) == 1500


def test_another_salons_product_or_location_is_not_found(scoped, dye):
    salon = scoped
    with scopes_disabled():
        other = BusinessFactory()
        their_location = LocationFactory(business=other)
        their_product = Product.objects.create(
            business=other, name="X", price_amount=1, currency=other.currency
        )
    with pytest.raises(NotFound):
        receive(salon, their_product, 1)
    with pytest.raises(NotFound):
        receive(salon, dye, 1, location=their_location)


def test_weighted_average_cost(scoped, dye):
    salon = scoped
    receive(salon, dye, 1000, cost="0.8")
    assert selectors.average_cost(salon.business, dye) == D("0.8")
    receive(salon, dye, 1000, cost="1.0")
    assert selectors.average_cost(salon.business, dye) == D("0.9")
    services.movement_record(
        business=salon.business,
        location=salon.location,
        product=dye,
        kind="consumption",
        quantity=-500,
    )
    assert selectors.average_cost(salon.business, dye) == D("0.9")  # use leaves it
    receive(salon, dye, 500, cost="1.5")  # 1500 at 0.9 + 500 at 1.5
    assert selectors.average_cost(salon.business, dye) == D("1.05")
    assert selectors.stock_value(business=salon.business, location=salon.location) == 2100


def test_consumption_posts_materials_against_the_stock_asset(scoped, dye):
    salon = scoped
    receive(salon, dye, 1000, cost="0.8")
    services.movement_record(
        business=salon.business,
        location=salon.location,
        product=dye,
        kind="consumption",
        quantity=-60,
    )
    entries = {e.account: e.amount for e in LedgerEntry.objects.filter(business=salon.business)}
    assert entries == {"inventory": -48, "materials_used": 48}


def test_a_replayed_key_writes_nothing(scoped, dye):
    salon = scoped
    for _ in range(2):
        services.movement_record(
            business=salon.business,
            location=salon.location,
            product=dye,
            kind="receipt",
            quantity=10,
            key="po:1",
        )
    assert selectors.on_hand(salon.location, dye) == 10


def test_transfer_is_in_transit_until_received(scoped, dye):
    salon = scoped
    with scopes_disabled():
        annex = LocationFactory(business=salon.business, name="Annex")
    receive(salon, dye, 100)
    transfer = services.transfer_send(
        business=salon.business,
        from_location=salon.location,
        to_location=annex,
        items=[(dye, 40)],
    )
    assert selectors.on_hand(salon.location, dye) == 60
    assert selectors.on_hand(annex, dye) == 0
    assert list(selectors.in_transit(business=salon.business)) == [transfer]
    services.transfer_receive(business=salon.business, transfer_id=transfer.pk)
    services.transfer_receive(business=salon.business, transfer_id=transfer.pk)  # twice: once
    assert selectors.on_hand(annex, dye) == 40
    assert not selectors.in_transit(business=salon.business).exists()


def test_transfer_to_the_same_location_or_beyond_stock_writes_nothing(scoped, dye, shampoo):
    salon = scoped
    with scopes_disabled():
        annex = LocationFactory(business=salon.business, name="Annex")
    receive(salon, dye, 100)
    with pytest.raises(ValidationFailed) as same:
        services.transfer_send(
            business=salon.business,
            from_location=salon.location,
            to_location=salon.location,
            items=[(dye, 1)],
        )
    assert same.value.code == "same_location"
    with pytest.raises(ValidationFailed) as short:
        services.transfer_send(
            business=salon.business,
            from_location=salon.location,
            to_location=annex,
            items=[(dye, 10), (shampoo, 1)],  # the second line fails
        )
    assert short.value.code == "not_enough_stock"
    assert not StockTransfer.objects.exists()
    assert selectors.on_hand(salon.location, dye) == 100


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_movements_never_lose_an_update_nor_go_below_zero(salon, dye):
    with business_scope(salon.business):
        receive(salon, dye, 100)

    def take(i):
        with business_scope(salon.business):
            return services.movement_record(
                business=salon.business,
                location=salon.location,
                product=dye,
                kind="consumption",
                quantity=-7,
            ).pk

    results = [outcome(r) for r in race(20, take)]
    taken = [r for r in results if isinstance(r, int)]
    assert len(taken) == 14  # 14 × 7 = 98 of 100
    assert set(results) - set(taken) == {"not_enough_stock"}
    assert connection.vendor == "postgresql"
    with business_scope(salon.business):
        assert selectors.on_hand(salon.location, dye) == 2
        assert selectors.on_hand_summed(salon.location, [dye]) == {dye.pk: 2}


def test_the_running_balance_always_equals_the_sum(scoped, dye, shampoo):
    salon = scoped
    with scopes_disabled():
        annex = LocationFactory(business=salon.business, name="Annex")
    receive(salon, dye, 500, cost=1)
    receive(salon, shampoo, 10, cost=900)
    transfer = services.transfer_send(
        business=salon.business,
        from_location=salon.location,
        to_location=annex,
        items=[(dye, 120), (shampoo, 3)],
    )
    services.transfer_receive(business=salon.business, transfer_id=transfer.pk)
    services.write_off(
        business=salon.business, location=annex, product=shampoo, quantity=1, reason="expired"
    )
    for location in Location.objects.filter(business=salon.business):
        summed = selectors.on_hand_summed(location, [dye, shampoo])
        assert selectors.on_hand_many(location, [dye, shampoo]) == summed
    assert StockBalance.objects.count() == 4


def test_errors_are_domain_errors(scoped, dye):
    with pytest.raises(DomainError):
        services.write_off(
            business=scoped.business, location=scoped.location, product=dye, quantity=1, reason="x"
        )


def test_many_products_read_from_the_location_agree_with_the_sum(scoped, dye):
    salon = scoped
    with scopes_disabled():
        many = Product.objects.bulk_create(
            [
                Product(business=salon.business, name=f"P{i}", price_amount=1, currency="EUR")
                for i in range(250)
            ]
        )
    for product in many[::50]:
        receive(salon, product, 3)
    receive(salon, dye, 7)
    read = selectors.on_hand_many(salon.location, [*many, dye])  # more than 200: no IN list
    assert read == selectors.on_hand_summed(salon.location, [*many, dye])
    assert sum(read.values()) == 5 * 3 + 7
    assert len(read) == 251
