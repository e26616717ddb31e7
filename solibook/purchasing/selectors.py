"""Reads of purchasing: goods in transit, what is owed to suppliers, and the
reorder suggestions.

A suggestion, per location and product:
- on hand (inventory) + in transit (sent orders not yet received) is the
  position;
- the target is the minimum level set for the location (inventory's
  `StockLevel`, 0 when none) plus the expected consumption over the lead time
  of the preferred offer (inventory's `expected_consumption`: recipes × booked
  visits, plus a moving average for the rest; or, when the caller passes
  `expected_use` and it says more, the demand forecast's visits × recipes:
  the pages and the API pass forecasting's `expected_use`, which purchasing's
  domain does not import);
- when the position is below the target, order the difference rounded up to
  whole packs of the preferred offer (else the cheapest per stock unit).
A product below its minimum whose shortfall is already on order is shown as
an alert with nothing more to order.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import F, Sum
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solibook.catalog.models import Location
from solibook.core.time import utcnow
from solibook.finance.models import Product
from solibook.inventory.units import unit_label
from solibook.purchasing import stock
from solibook.purchasing.models import (
    PaidFrom,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    SupplierInvoice,
    SupplierProduct,
)

OPEN = (PurchaseOrder.Status.SENT, PurchaseOrder.Status.PARTLY_RECEIVED)


def quantity_text(value: Decimal, product=None) -> str:
    """3 ml, 1.5 g: a quantity without trailing zeros, with the stock unit in the
    reader's language."""
    number = Decimal(value)
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    text = formats.number_format(number, use_l10n=True)
    return f"{text} {unit_label(product.stock_unit)}".strip() if product is not None else text


def in_transit(*, business, location=None) -> dict[tuple[int, int], Decimal]:
    """(location id, product id) → stock units ordered and not yet received."""
    rows = PurchaseOrderLine.objects.filter(business=business, order__status__in=OPEN)
    if location is not None:
        rows = rows.filter(order__location=location)
    found: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for row in rows.values(
        "order__location_id", "product_id", "pack_size", "packs", "received_packs"
    ):
        outstanding = max(row["packs"] - row["received_packs"], 0)
        if outstanding:
            found[(row["order__location_id"], row["product_id"])] += row["pack_size"] * outstanding
    return dict(found)


def in_transit_lines(*, business):
    """Open orders' lines with something still to arrive, for the in-transit table."""
    return (
        PurchaseOrderLine.objects.filter(
            business=business, order__status__in=OPEN, received_packs__lt=F("packs")
        )
        .select_related("order", "order__supplier", "order__location", "product")
        .order_by("order__expected_on", "order__number", "id")
    )


def owed_by_supplier(*, business) -> dict[int, int]:
    """Supplier id → what the salon owes it: deliveries received on account
    minus the invoices paid."""
    received = (
        Receipt.objects.filter(business=business, paid_from=PaidFrom.ON_ACCOUNT)
        .values("order__supplier_id")
        .annotate(total=Sum("amount"))
    )
    paid = (
        SupplierInvoice.objects.filter(business=business, paid_at__isnull=False)
        .values("supplier_id")
        .annotate(total=Sum("amount"))
    )
    owed: dict[int, int] = defaultdict(int)
    for row in received:
        owed[row["order__supplier_id"]] += row["total"]
    for row in paid:
        owed[row["supplier_id"]] -= row["total"]
    return {k: v for k, v in owed.items() if v}


@dataclass
class Suggestion:
    location: Location
    product: Product
    offer: SupplierProduct | None
    on_hand: Decimal
    incoming: Decimal
    minimum: Decimal
    expected: Decimal
    packs: int
    reasons: list[str] = field(default_factory=list)

    @property
    def below_minimum(self) -> bool:
        return self.on_hand < self.minimum

    @property
    def key(self) -> str:
        return f"{self.location.pk}-{self.product.pk}"

    @property
    def amount(self) -> int:
        return self.packs * self.offer.price_amount if self.offer else 0


def _best_offers(business) -> dict[int, SupplierProduct]:
    """Product id → the offer to reorder from: the preferred one, else the
    cheapest per stock unit among active suppliers."""
    best: dict[int, SupplierProduct] = {}
    offers = SupplierProduct.objects.filter(
        business=business, is_active=True, supplier__is_active=True
    ).select_related("supplier")
    for offer in offers:
        current = best.get(offer.product_id)
        if current is None or (offer.is_preferred, -offer.price_amount / offer.pack_size) > (
            current.is_preferred,
            -current.price_amount / current.pack_size,
        ):
            best[offer.product_id] = offer
    return best


def reorder_suggestions(
    *, business, location=None, now=None, expected_use=None
) -> list[Suggestion]:
    """`expected_use(location, product, start, end)`, when given, returns the
    stock units the demand forecast expects the location to use (or None)."""
    now = now or utcnow()
    locations = Location.objects.filter(business=business).order_by("name")
    if location is not None:
        locations = locations.filter(pk=location.pk)
    minimums = stock.minimums(business=business)
    offers = _best_offers(business)
    transit = in_transit(business=business, location=location)
    product_ids = set(offers) | {product for (_loc, product) in minimums}
    products = {
        p.pk: p
        for p in Product.objects.filter(business=business, pk__in=product_ids, is_active=True)
    }
    found: list[Suggestion] = []
    for loc in locations:
        wanted = [
            products[pk] for pk in sorted(products) if pk in offers or (loc.pk, pk) in minimums
        ]
        if not wanted:
            continue
        on_hand = stock.on_hand_many(loc, wanted)
        for product in wanted:
            suggestion = _suggest(
                loc,
                product,
                offers.get(product.pk),
                on_hand=on_hand.get(product.pk, Decimal(0)),
                incoming=transit.get((loc.pk, product.pk), Decimal(0)),
                minimum=minimums.get((loc.pk, product.pk), Decimal(0)),
                now=now,
                expected_use=expected_use,
            )
            if suggestion is not None:
                found.append(suggestion)
    found.sort(key=lambda s: (not s.below_minimum, s.location.name, s.product.name))
    return found


def _suggest(
    loc, product, offer, *, on_hand, incoming, minimum, now, expected_use=None
) -> Suggestion | None:
    lead_days = offer.lead_time_days if offer else 0
    expected = (
        stock.expected_consumption(loc, product, now, now + timedelta(days=lead_days))
        if lead_days
        else Decimal(0)
    )
    forecast = (
        expected_use(loc, product, now, now + timedelta(days=lead_days))
        if expected_use is not None and lead_days
        else None
    )
    from_forecast = forecast is not None and forecast > expected
    if forecast is not None and from_forecast:
        expected = forecast
    position = on_hand + incoming
    target = minimum + expected
    below = on_hand < minimum
    if position >= target and not below:
        return None
    q = lambda value: quantity_text(value, product)  # noqa: E731
    reasons = []
    if below:
        reasons.append(
            _("Below its minimum: %(on_hand)s on hand, minimum %(minimum)s.")
            % {"on_hand": q(on_hand), "minimum": q(minimum)}
        )
    if expected:
        reasons.append(
            ngettext(
                "Expected use over the supplier's lead time of %(days)s day: %(expected)s.",
                "Expected use over the supplier's lead time of %(days)s days: %(expected)s.",
                lead_days,
            )
            % {"days": lead_days, "expected": q(expected)}
        )
        if from_forecast:
            reasons.append(_("From the demand forecast of the services whose recipes use it."))
    if incoming:
        reasons.append(_("Already on order: %(incoming)s.") % {"incoming": q(incoming)})
    packs = 0
    if position < target:
        if offer is None:
            reasons.append(_("No supplier offers this product yet: add an offer to order it."))
        else:
            packs = math.ceil((target - position) / offer.pack_size)
            reasons.append(
                _("Order %(packs)s × %(pack)s to reach %(target)s.")
                % {"packs": packs, "pack": offer.pack_name, "target": q(target)}
            )
    else:
        reasons.append(_("What is on order covers it: nothing more to order."))
    return Suggestion(
        location=loc,
        product=product,
        offer=offer,
        on_hand=on_hand,
        incoming=incoming,
        minimum=minimum,
        expected=expected,
        packs=packs,
        reasons=reasons,
    )
