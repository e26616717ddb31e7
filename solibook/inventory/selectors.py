"""Reads of stock: on hand (from the running balance, or summed), average cost,
value per location and date, alerts, goods in transit, expected consumption,
the margin of a service with its materials."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone

from solibook.booking.models import AppointmentItem, Status
from solibook.finance.models import Product
from solibook.inventory.models import (
    ZERO,
    Kind,
    RecipeLine,
    StockBalance,
    StockLevel,
    StockMovement,
    StockTransfer,
)

BOOKED = (Status.CONFIRMED, Status.ARRIVED, Status.IN_PROGRESS, Status.AWAITING_DEPOSIT)
PACE_DAYS = 28


def _pk(value):
    return getattr(value, "pk", value)


def on_hand(location, product) -> Decimal:
    """The quantity of `product` at `location`, in its stock unit."""
    row = (
        StockBalance.objects.filter(location_id=_pk(location), product_id=_pk(product))
        .values_list("quantity", flat=True)
        .first()
    )
    return row if row is not None else ZERO


def on_hand_many(location, products) -> dict[int, Decimal]:
    """Product id -> quantity at `location` (0 for products never moved)."""
    ids = [_pk(p) for p in products]
    rows = StockBalance.objects.filter(location_id=_pk(location))
    if len(ids) <= 200:  # many products: the location's rows, without a long IN list
        rows = rows.filter(product_id__in=ids)
    found = dict(rows.values_list("product_id", "quantity"))
    return {pk: found.get(pk, ZERO) for pk in ids}


def on_hand_summed(location, products, *, at: datetime | None = None) -> dict[int, Decimal]:
    """The same as `on_hand_many`, summed from the movements (optionally up to
    `at`): the definition the running balance must always agree with."""
    ids = [_pk(p) for p in products]
    rows = StockMovement.objects.filter(location_id=_pk(location), product_id__in=ids)
    if at is not None:
        rows = rows.filter(occurred_at__lte=at)
    found = dict(rows.order_by().values_list("product_id").annotate(total=Sum("quantity")))
    return {pk: found.get(pk, ZERO) for pk in ids}


def average_cost(business, product) -> Decimal:
    """Weighted-average cost, minor units per stock unit (all locations)."""
    value = (
        Product.objects.filter(business=business, pk=_pk(product))
        .values_list("cost_price", flat=True)
        .first()
    )
    return value if value is not None else ZERO


@dataclass
class StockRow:
    product: Product
    on_hand: Decimal
    minimum: Decimal
    value: int

    @property
    def is_low(self) -> bool:
        return self.minimum > 0 and self.on_hand < self.minimum

    @property
    def is_negative(self) -> bool:
        return self.on_hand < 0


def _money(quantity: Decimal, cost: Decimal) -> int:
    return int((quantity * cost).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def stock_at(*, business, location, at: datetime | None = None, products=None) -> list[StockRow]:
    """Every active product at a location: on hand, minimum, value. With `at`,
    as it stood then (summed up to that moment, valued at the average cost of
    the last movement before it); without, now."""
    items = list(products if products is not None else Product.objects.filter(business=business))
    if at is None:
        quantities = on_hand_many(location, items)
        costs = {p.pk: p.cost_price for p in items}
    else:
        quantities = on_hand_summed(location, items, at=at)
        last = (
            StockMovement.objects.filter(
                business=business, product=OuterRef("pk"), occurred_at__lte=at
            )
            .order_by("-occurred_at", "-id")
            .values("average_cost")[:1]
        )
        costs = dict(
            Product.objects.filter(pk__in=[p.pk for p in items])
            .annotate(cost=Subquery(last))
            .values_list("pk", "cost")
        )
    minimums = dict(
        StockLevel.objects.filter(business=business, location_id=_pk(location)).values_list(
            "product_id", "minimum_quantity"
        )
    )
    rows = []
    for product in items:
        quantity = quantities.get(product.pk, ZERO)
        if not product.is_active and not quantity:
            continue
        rows.append(
            StockRow(
                product,
                quantity,
                minimums.get(product.pk, ZERO),
                _money(quantity, costs.get(product.pk) or ZERO),
            )
        )
    return rows


def stock_value(*, business, location, at: datetime | None = None) -> int:
    """What the stock at a location is worth (minor units, average cost)."""
    return sum(row.value for row in stock_at(business=business, location=location, at=at))


def low_stock(*, business, location) -> list[StockRow]:
    return [r for r in stock_at(business=business, location=location) if r.is_low]


def in_transit(*, business):
    """Transfers sent and not yet received, with their movements."""
    return (
        StockTransfer.objects.filter(business=business, status=StockTransfer.Status.IN_TRANSIT)
        .select_related("from_location", "to_location")
        .prefetch_related("movements__product")
    )


def recipe_of(*, service, variant=None) -> list[RecipeLine]:
    """The lines a service (or a variant) uses: the variant's own when it has any."""
    if variant is not None:
        own = list(
            RecipeLine.objects.filter(service=service, variant=variant).select_related("product")
        )
        if own:
            return own
    return list(
        RecipeLine.objects.filter(service=service, variant__isnull=True).select_related("product")
    )


def materials_cost(*, service, variant=None) -> int:
    """What a service's materials cost at today's average costs (minor units)."""
    return sum(
        _money(line.quantity, line.product.cost_price)
        for line in recipe_of(service=service, variant=variant)
    )


def service_margin(*, service, variant=None) -> dict:
    price = variant.price_amount if variant is not None else service.price_amount
    cost = materials_cost(service=service, variant=variant)
    return {
        "price": price,
        "materials": cost,
        "margin": price - cost,
        "percent": round(100 * (price - cost) / price) if price else None,
    }


def expected_consumption(location, product, start: datetime, end: datetime) -> Decimal:
    """How much of `product` the location will use between `start` and `end`:
    recipes × the visits booked then, or, when more, the recent pace (the
    average daily use of the last 28 days × the days) for visits not yet
    booked. Read by purchasing's reorder suggestions."""
    product_id = _pk(product)
    items = AppointmentItem.objects.filter(
        appointment__location_id=_pk(location),
        appointment__status__in=BOOKED,
        appointment__starts_at__gte=start,
        appointment__starts_at__lt=end,
    ).values_list("service_id", "variant_id")
    counts: dict[tuple, int] = defaultdict(int)
    for key in items:
        counts[key] += 1
    booked = ZERO
    if counts:
        lines = RecipeLine.objects.filter(service_id__in={s for s, _v in counts}).values_list(
            "service_id", "variant_id", "product_id", "quantity"
        )
        recipes: dict[tuple, dict[int, Decimal]] = defaultdict(dict)
        for service_id, variant_id, pid, quantity in lines:
            recipes[(service_id, variant_id)][pid] = quantity
        for (service_id, variant_id), n in counts.items():
            recipe = (variant_id and recipes.get((service_id, variant_id))) or recipes.get(
                (service_id, None), {}
            )
            booked += recipe.get(product_id, ZERO) * n
    now = timezone.now()
    used = (
        StockMovement.objects.filter(
            location_id=_pk(location),
            product_id=product_id,
            kind__in=(Kind.CONSUMPTION, Kind.SALE),
            occurred_at__gte=now - timedelta(days=PACE_DAYS),
            occurred_at__lt=now,
        ).aggregate(s=Sum("quantity"))["s"]
        or ZERO
    )
    days = Decimal((end - start).total_seconds()) / Decimal(86400)
    pace = (-used / PACE_DAYS * days).quantize(Decimal("0.001"))
    return max(booked, pace, ZERO)


def movements(*, business, location=None, product=None):
    rows = StockMovement.objects.filter(business=business).select_related(
        "product", "location", "actor"
    )
    if location is not None:
        rows = rows.filter(location_id=_pk(location))
    if product is not None:
        rows = rows.filter(product_id=_pk(product))
    return rows
