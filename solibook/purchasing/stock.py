"""Purchasing's door to the inventory app (issue #18's contract): receipts are
inventory movements; on hand, minimum levels and expected consumption are
inventory's reads. Quantities cross this door as Decimals in stock units."""

from datetime import datetime
from decimal import Decimal

from solibook.inventory import selectors as inventory_selectors
from solibook.inventory import services as inventory_services
from solibook.inventory.models import StockLevel


def record_receipt(
    *,
    business,
    location,
    product,
    quantity: Decimal,
    unit_cost: Decimal,
    actor,
    reason: str,
    source,
) -> int:
    """One receipt movement; inventory updates the weighted-average cost. The
    ledger is purchasing's to post (no `counter_account` here), and `source`'s
    key makes a replay write nothing more."""
    movement = inventory_services.movement_record(
        business=business,
        location=location,
        product=product,
        kind="receipt",
        quantity=quantity,
        unit_cost=unit_cost,
        reason=reason,
        actor=actor,
        source=source,
        key=f"purchasing.receipt_line:{source.pk}",
    )
    return movement.pk


def on_hand_many(location, products) -> dict[int, Decimal]:
    found = inventory_selectors.on_hand_many(location, products)
    return {_pk(key): Decimal(value) for key, value in found.items()}


def minimums(*, business) -> dict[tuple[int, int], Decimal]:
    """(location id, product id) → the minimum level set for it."""
    return {
        (row.location_id, row.product_id): Decimal(row.minimum_quantity)
        for row in StockLevel.objects.filter(business=business)
    }


def expected_consumption(location, product, start: datetime, end: datetime) -> Decimal:
    return Decimal(inventory_selectors.expected_consumption(location, product, start, end))


def _pk(value) -> int:
    return getattr(value, "pk", value)
