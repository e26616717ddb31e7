"""One click from reorder suggestions to draft orders: one draft per supplier
and delivery location. A draft already open for that supplier and location
takes the lines instead of a second draft (a double click adds nothing)."""

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from solibook.catalog.models import Location
from solibook.core.errors import ValidationFailed
from solibook.purchasing.models import PurchaseOrder, SupplierProduct
from solibook.purchasing.services._common import check_packs, get
from solibook.purchasing.services.orders import order_create, order_line_set

MAX_ITEMS = 500


def orders_from_suggestions(*, actor, business, items: list[dict]) -> list[PurchaseOrder]:
    """`items`: [{"location_id", "offer_id", "packs"}] (from the suggestions)."""
    if not items:
        raise ValidationFailed(
            _("Tick at least one suggestion to order."), code="suggestions_empty"
        )
    if len(items) > MAX_ITEMS:
        raise ValidationFailed(_("Too many suggestions at once."), code="suggestions_too_many")
    groups: dict[tuple[int, int], list[tuple[SupplierProduct, int]]] = defaultdict(list)
    for item in items:
        location = get(
            Location.objects.filter(business=business),
            item.get("location_id"),
            _("No such location."),
            field="location_id",
        )
        offer = get(
            SupplierProduct.objects.filter(business=business, is_active=True),
            item.get("offer_id"),
            _("No such offer."),
            field="offer_id",
        )
        packs = check_packs(item.get("packs"))
        groups[(offer.supplier_id, location.pk)].append((offer, packs))
    orders = []
    with transaction.atomic():
        for (supplier_id, location_id), lines in sorted(groups.items()):
            order = (
                PurchaseOrder.objects.filter(
                    business=business,
                    supplier_id=supplier_id,
                    location_id=location_id,
                    status=PurchaseOrder.Status.DRAFT,
                )
                .order_by("number")
                .first()
            ) or order_create(
                actor=actor, business=business, supplier_id=supplier_id, location_id=location_id
            )
            for offer, packs in lines:
                order_line_set(
                    actor=actor,
                    business=business,
                    order_id=order.pk,
                    offer_id=offer.pk,
                    packs=packs,
                )
            orders.append(order)
    return orders
