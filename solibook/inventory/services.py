"""Every write about stock: products' stock fields, movements, transfers,
recipes and what visits used, stock-takes.

Rule for taking more than is on hand: a movement someone records by hand
(consumption, write-off, adjustment, transfer out) is REFUSED when it would
take the location below zero. What already happened physically is never
refused: a sale at the till and the materials of a completed visit are written
even when the books say the shelf is empty; the balance goes negative and the
stock page shows it in red with a warning, until a receipt or a stock-take
corrects it.

Concurrency: each movement locks its product's row (the weighted-average cost
is computed under it) and then the (product, location) balance row, and
writes the movement and the new balance in one transaction, so concurrent
movements never lose an update and a refused one writes nothing.

Valuation: weighted-average cost per business (all locations together). A
receipt with a unit cost sets the average to (stock × average + quantity ×
cost) ÷ (stock + quantity); every other movement leaves it and is valued at it.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import ean

from solibook.booking.models import Appointment, AppointmentItem, Status
from solibook.catalog.models import Location, Service, ServiceVariant
from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, ValidationFailed, refuse
from solibook.core.images import photo_sanitize
from solibook.finance import accounts, ledger
from solibook.finance.models import Product
from solibook.inventory.models import (
    SIGNS,
    ZERO,
    Kind,
    RecipeLine,
    StockBalance,
    StockLevel,
    StockMovement,
    StockTake,
    StockTakeLine,
    StockTransfer,
    VisitUsage,
    WriteOffReason,
)
from solibook.inventory.units import as_quantity, convert, unit_label

REDUCING = {Kind.SALE, Kind.CONSUMPTION, Kind.ADJUSTMENT, Kind.TRANSFER_OUT, Kind.WRITE_OFF}
COST_PLACES = Decimal("0.0001")
# The ledger account each kind's value moves to (against `inventory`).
EXPENSE_OF_KIND: dict[str, str] = {
    Kind.SALE: accounts.COST_OF_GOODS_SOLD,
    Kind.RETURN: accounts.COST_OF_GOODS_SOLD,
    Kind.CONSUMPTION: accounts.MATERIALS_USED,
    Kind.ADJUSTMENT: accounts.STOCK_LOSSES,
    Kind.WRITE_OFF: accounts.STOCK_LOSSES,
}
RECEIPT_COUNTER_ACCOUNTS = (accounts.PAYABLES, accounts.CASH, accounts.BANK, accounts.EQUITY)


def _actor(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _source(source) -> str:
    if source is None:
        return ""
    if isinstance(source, str):
        return source[:120]
    return f"{source._meta.label_lower}:{source.pk}"[:120]


def _location(business, location) -> Location:
    pk = getattr(location, "pk", location)
    found = Location.objects.filter(business=business, pk=pk).first() if pk else None
    if found is None:
        raise NotFound(_("No such location."), fields={"location": [_("No such location.")]})
    return found


def _product(business, product, *, lock: bool = False) -> Product:
    pk = getattr(product, "pk", product)
    rows = Product.objects.filter(business=business, pk=pk)
    if lock:
        rows = rows.select_for_update()
    found = rows.first() if pk else None
    if found is None:
        raise NotFound(_("No such product."), fields={"product": [_("No such product.")]})
    return found


def _value(quantity: Decimal, cost: Decimal) -> int:
    return int((abs(quantity) * cost).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _fmt(quantity: Decimal) -> str:
    text = f"{quantity.normalize():f}"
    return text


# --- movements --------------------------------------------------------------------------


def movement_record(
    *,
    business,
    location,
    product,
    kind: str,
    quantity,
    unit_cost=None,
    reason: str = "",
    actor=None,
    source=None,
    transfer: StockTransfer | None = None,
    unit: str | None = None,
    key: str | None = None,
    allow_negative: bool = False,
    counter_account: str | None = None,
    occurred_at: datetime | None = None,
) -> StockMovement:
    """Record one movement of stock and return it.

    `quantity` is in the product's stock unit (or in `unit`, converted); kinds
    that only take away (sale, transfer out, write-off) or only add (receipt,
    return, transfer in) may be given unsigned; consumption and adjustment are
    signed. `unit_cost` (minor units per stock unit) is for receipts. `key`
    makes a replay write nothing (the first movement is returned). Refused
    below zero unless `allow_negative` (see the module's rule). Ledger: stock
    leaving is valued at the average cost against cost of goods sold,
    materials used or stock losses; a receipt posts against `counter_account`
    only when one is given (purchasing posts its own receipts)."""
    if kind not in SIGNS:
        refuse(_("Unknown kind of movement."), "kind", code="invalid_kind")
    if reason and len(reason) > 300:
        refuse(_("Keep the reason under 300 characters."), "reason")
    if counter_account is not None and counter_account not in RECEIPT_COUNTER_ACCOUNTS:
        refuse(_("Unknown ledger account %(account)s.") % {"account": counter_account})
    location = _location(business, location)
    pk = getattr(product, "pk", product)
    qty = as_quantity(quantity)
    sign = SIGNS[kind]
    if sign is not None:
        qty = abs(qty) * sign
    if qty == 0:
        refuse(_("Enter a quantity other than zero."), "quantity", code="invalid_quantity")
    if kind in (Kind.TRANSFER_IN, Kind.TRANSFER_OUT) and transfer is None:
        refuse(_("A transfer movement belongs to a transfer."), "kind")
    if kind == Kind.ADJUSTMENT and not reason.strip():
        refuse(_("Say why the stock is adjusted."), "reason", code="reason_required")
    cost_in = None
    if unit_cost is not None:
        try:
            cost_in = Decimal(str(unit_cost))
        except Exception:  # noqa: BLE001
            refuse(_("Enter a number."), "unit_cost")
        if not cost_in.is_finite() or cost_in < 0 or cost_in >= Decimal(10**12):
            refuse(_("Enter a cost of zero or more."), "unit_cost")
        cost_in = cost_in.quantize(COST_PLACES)
    occurred_at = occurred_at or timezone.now()
    with transaction.atomic():
        item = _product(business, pk, lock=True)  # serialises the product's movements
        if key:
            done = StockMovement.objects.filter(business=business, key=key).first()
            if done is not None:
                return done
        if unit:
            qty = convert(qty, unit, item.stock_unit)
        balance = _balance_locked(business, location, item)
        after = balance.quantity + qty
        if qty < 0 and after < 0 and not allow_negative:
            message = _(
                "Only %(on_hand)s %(unit)s of %(product)s are on hand at %(location)s: "
                "%(quantity)s %(unit)s cannot be taken."
            ) % {
                "on_hand": _fmt(balance.quantity),
                "unit": unit_label(item.stock_unit),
                "product": item.name,
                "location": location.name,
                "quantity": _fmt(-qty),
            }
            raise ValidationFailed(message, code="not_enough_stock", fields={"quantity": [message]})
        average = item.cost_price
        if kind == Kind.RECEIPT and cost_in is not None:
            held = StockBalance.objects.filter(business=business, product=item).aggregate(
                s=Sum("quantity")
            )["s"] or Decimal(0)
            if held <= 0:
                average = cost_in
            else:
                average = ((held * item.cost_price + qty * cost_in) / (held + qty)).quantize(
                    COST_PLACES
                )
            if average != item.cost_price:
                Product.objects.filter(pk=item.pk).update(cost_price=average)
                item.cost_price = average
        movement = StockMovement.objects.create(
            business=business,
            location=location,
            product=item,
            kind=kind,
            quantity=qty,
            unit_cost=cost_in if cost_in is not None else average,
            average_cost=average,
            balance_after=after,
            reason=reason.strip(),
            source=_source(source),
            key=key or None,
            transfer=transfer,
            actor=_actor(actor),
            occurred_at=occurred_at,
        )
        StockBalance.objects.filter(pk=balance.pk).update(quantity=after)
        _post(business, movement, item, counter_account)
    return movement


def _balance_locked(business, location, product) -> StockBalance:
    StockBalance.objects.bulk_create(
        [StockBalance(business=business, location=location, product=product)],
        ignore_conflicts=True,
    )
    return StockBalance.objects.select_for_update().get(
        business=business, location=location, product=product
    )


def _post(business, movement: StockMovement, product: Product, counter: str | None) -> None:
    value = _value(movement.quantity, movement.unit_cost)
    if value == 0:
        return
    signed = value if movement.quantity > 0 else -value
    if movement.kind == Kind.RECEIPT:
        if counter is None:
            return
        other = counter
    elif movement.kind in EXPENSE_OF_KIND:
        other = EXPENSE_OF_KIND[movement.kind]
    else:
        return  # transfers move value between locations of the same books
    ledger.post(
        business=business,
        kind="stock",
        memo=f"Stock {movement.kind} of {product.name}"[:300],
        lines=[
            ledger.Line(
                accounts.INVENTORY, signed, product.currency, location=movement.location_id
            ),
            ledger.Line(other, -signed, product.currency, location=movement.location_id),
        ],
        reference=f"stock:{movement.pk}",
        idempotency_key=f"stock:{movement.pk}",
        occurred_at=movement.occurred_at,
    )


def write_off(
    *, business, location, product, quantity, reason: str, note: str = "", actor=None, unit=None
) -> StockMovement:
    """Damaged or expired goods leave the shelf (refused beyond what is on hand)."""
    if reason not in WriteOffReason.values:
        refuse(_("Choose why the goods are written off."), "reason", code="reason_required")
    label = str(WriteOffReason(reason).label)
    return movement_record(
        business=business,
        location=location,
        product=product,
        kind=Kind.WRITE_OFF,
        quantity=quantity,
        unit=unit,
        reason=f"{label}: {note.strip()}" if note.strip() else label,
        actor=actor,
    )


# --- transfers --------------------------------------------------------------------------


def transfer_send(
    *, business, from_location, to_location, items: Iterable[tuple], note: str = "", actor=None
) -> StockTransfer:
    """Send goods to another location: they leave now and are in transit until
    received. `items` are (product, quantity) pairs. All or nothing."""
    source, target = _location(business, from_location), _location(business, to_location)
    if source.pk == target.pk:
        refuse(
            _("Choose another location to send the goods to."),
            "to_location",
            code="same_location",
        )
    items = list(items)
    if not items:
        refuse(_("Add at least one product."), "items", code="empty")
    with transaction.atomic():
        transfer = StockTransfer.objects.create(
            business=business,
            from_location=source,
            to_location=target,
            note=note.strip()[:300],
            sent_by=_actor(actor),
            sent_at=timezone.now(),
        )
        for product, quantity in items:
            movement_record(
                business=business,
                location=source,
                product=product,
                kind=Kind.TRANSFER_OUT,
                quantity=quantity,
                transfer=transfer,
                source=transfer,
                actor=actor,
            )
        audit_log(action="inventory.transfer_sent", actor=actor, business=business, obj=transfer)
    return transfer


def transfer_receive(*, business, transfer_id: int, actor=None) -> StockTransfer:
    """The goods arrived: what left the other location enters this one."""
    with transaction.atomic():
        transfer = (
            StockTransfer.objects.select_for_update()
            .filter(business=business, pk=transfer_id)
            .first()
        )
        if transfer is None:
            raise NotFound(_("No such transfer."))
        if transfer.status == StockTransfer.Status.RECEIVED:
            return transfer
        for out in transfer.movements.filter(kind=Kind.TRANSFER_OUT).order_by("id"):
            movement_record(
                business=business,
                location=transfer.to_location_id,
                product=out.product_id,
                kind=Kind.TRANSFER_IN,
                quantity=-out.quantity,
                transfer=transfer,
                source=transfer,
                actor=actor,
                key=f"transfer_in:{out.pk}",
            )
        transfer.status = StockTransfer.Status.RECEIVED
        transfer.received_by = _actor(actor)
        transfer.received_at = timezone.now()
        transfer.save(update_fields=["status", "received_by", "received_at"])
        audit_log(
            action="inventory.transfer_received", actor=actor, business=business, obj=transfer
        )
    return transfer


# --- products ---------------------------------------------------------------------------


@dataclass
class ProductIn:
    name: str
    price_amount: int
    kind: str = Product.Kind.RETAIL
    stock_unit: str = Product.Unit.PIECE
    barcode: str = ""
    category: str = ""
    sku: str = ""
    tax_rate: int | None = None
    name_fr: str = ""
    name_ru: str = ""
    name_ar: str = ""
    is_active: bool = True


def barcode_clean(business, barcode: str, *, exclude_id: int | None = None) -> str:
    code = (barcode or "").strip().replace(" ", "")
    if not code:
        return ""
    if len(code) != 13 or not ean.is_valid(code):
        refuse(
            _("This is not a valid EAN-13 barcode (13 digits, the last one a check digit)."),
            "barcode",
            code="barcode_invalid",
        )
    taken = Product.objects.filter(business=business, barcode=code)
    if exclude_id:
        taken = taken.exclude(pk=exclude_id)
    other = taken.first()
    if other is not None:
        refuse(
            _("This barcode is already used by %(product)s.") % {"product": other.name},
            "barcode",
            code="barcode_taken",
        )
    return code


def _product_check(business, data: ProductIn, exclude_id: int | None = None) -> dict:
    fields: dict[str, list[str]] = {}
    name = " ".join((data.name or "").split())
    if not name:
        fields["name"] = [_("Enter a name.")]
    if data.kind not in Product.Kind.values:
        fields["kind"] = [_("Choose a kind.")]
    if data.stock_unit not in Product.Unit.values:
        fields["stock_unit"] = [_("Choose a unit.")]
    if not isinstance(data.price_amount, int) or not 0 <= data.price_amount <= 10**8:
        fields["price_amount"] = [_("Enter a price of zero or more.")]
    if data.tax_rate is not None and not 0 <= data.tax_rate <= 10000:
        fields["tax_rate"] = [_("Between 0 and 10000.")]
    if fields:
        message = next(iter(fields.values()))[0] if len(fields) == 1 else None
        raise ValidationFailed(message or _("Please correct the errors below."), fields=fields)
    return {
        "name": name[:200],
        "name_fr": data.name_fr.strip()[:200],
        "name_ru": data.name_ru.strip()[:200],
        "name_ar": data.name_ar.strip()[:200],
        "kind": data.kind,
        "stock_unit": data.stock_unit,
        "barcode": barcode_clean(business, data.barcode, exclude_id=exclude_id),
        "category": " ".join(data.category.split())[:80],
        "sku": data.sku.strip()[:64],
        "price_amount": data.price_amount,
        "tax_rate": data.tax_rate,
        "is_active": data.is_active,
    }


def product_create(*, business, data: ProductIn, photo=None, actor=None) -> Product:
    values = _product_check(business, data)
    clean_photo = photo_sanitize(photo, field="photo") if photo else None
    with transaction.atomic():
        product = Product(business=business, currency=business.currency, **values)
        if clean_photo is not None:
            product.photo.save(clean_photo.name or "product.jpg", clean_photo, save=False)
        product.save()
        audit_log(action="inventory.product_created", actor=actor, business=business, obj=product)
    return product


def product_update(
    *, business, product_id: int, data: ProductIn, photo=None, actor=None
) -> Product:
    product = _product(business, product_id)
    values = _product_check(business, data, exclude_id=product.pk)
    if (
        values["stock_unit"] != product.stock_unit
        and StockMovement.objects.filter(business=business, product=product).exists()
    ):
        refuse(
            _("This product already has stock movements: its unit cannot change."),
            "stock_unit",
            code="unit_locked",
        )
    clean_photo = photo_sanitize(photo, field="photo") if photo else None
    with transaction.atomic():
        product = _product(business, product_id, lock=True)
        for name, value in values.items():
            setattr(product, name, value)
        if clean_photo is not None:
            product.photo.save(clean_photo.name or "product.jpg", clean_photo, save=False)
        product.save()
        audit_log(action="inventory.product_updated", actor=actor, business=business, obj=product)
    return product


def minimum_set(*, business, location, product, minimum, actor=None) -> StockLevel:
    """The minimum to keep of a product at a location (0 turns the alert off)."""
    location = _location(business, location)
    item = _product(business, product)
    value = as_quantity(minimum, "minimum")
    if value < 0:
        refuse(_("Enter a minimum of zero or more."), "minimum")
    level, _created = StockLevel.objects.update_or_create(
        business=business, location=location, product=item, defaults={"minimum_quantity": value}
    )
    audit_log(
        action="inventory.minimum_set",
        actor=actor,
        business=business,
        obj=level,
        data={"minimum": str(value)},
    )
    return level


# --- recipes and visits -----------------------------------------------------------------


def recipe_set(
    *, business, service_id: int, variant_id: int | None = None, lines: Iterable[tuple], actor=None
) -> list[RecipeLine]:
    """Replace what a service (or one variant) uses: (product, quantity, unit)
    triples; a unit that does not convert to the product's is refused."""
    service = Service.objects.filter(business=business, pk=service_id).first()
    if service is None:
        raise NotFound(_("No such service."))
    variant = None
    if variant_id:
        variant = ServiceVariant.objects.filter(
            business=business, service=service, pk=variant_id
        ).first()
        if variant is None:
            raise NotFound(_("No such variant."))
    wanted: dict[int, Decimal] = {}
    for index, (product, quantity, unit) in enumerate(lines):
        item = _product(business, product)
        qty = as_quantity(quantity, f"lines.{index}.quantity")
        if qty <= 0:
            refuse(_("Enter a quantity above zero."), f"lines.{index}.quantity")
        qty = convert(qty, unit or item.stock_unit, item.stock_unit, f"lines.{index}.unit")
        wanted[item.pk] = wanted.get(item.pk, ZERO) + qty
    with transaction.atomic():
        RecipeLine.objects.filter(business=business, service=service, variant=variant).delete()
        made = RecipeLine.objects.bulk_create(
            [
                RecipeLine(
                    business=business, service=service, variant=variant, product_id=pk, quantity=q
                )
                for pk, q in wanted.items()
            ]
        )
        audit_log(
            action="inventory.recipe_set",
            actor=actor,
            business=business,
            obj=variant or service,
            data={str(pk): str(q) for pk, q in wanted.items()},
        )
    return made


def _decimal(value) -> Decimal:
    # PostgreSQL gives numeric columns as Decimal; SQLite as float or int.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _visit_stock_reads(appointment, *, planned: bool) -> tuple[list, dict, dict]:
    """(recipe lines of the visit's services, what the master recorded, the
    consumption already written), each {product: quantity} but the lines;
    the first two only when `planned`. One statement, not three: every
    completed visit (each checkout) runs this, and the ORM took several times
    longer to build the three queries than the database took to answer them.
    Values are bound, table names are the models'; every part is scoped to
    the visit's business."""
    business_id = appointment.business_id
    recipe, usage, item, movement = (
        m._meta.db_table for m in (RecipeLine, VisitUsage, AppointmentItem, StockMovement)
    )
    parts: list[str] = []
    params: list = []
    if planned:
        parts += [
            f'SELECT 1, r."service_id", r."variant_id", r."product_id", r."quantity" FROM "{recipe}" r '  # noqa: S608
            f'WHERE r."business_id" = %s AND r."service_id" IN '
            f'(SELECT i."service_id" FROM "{item}" i WHERE i."appointment_id" = %s)',
            f'SELECT 2, NULL, NULL, "product_id", "quantity" FROM "{usage}" '  # noqa: S608
            'WHERE "business_id" = %s AND "appointment_id" = %s',
        ]
        params += [business_id, appointment.pk, business_id, appointment.pk]
    parts.append(
        f'SELECT 3, NULL, NULL, "product_id", "quantity" FROM "{movement}" '  # noqa: S608
        'WHERE "business_id" = %s AND "kind" = %s AND "source" = %s'
    )
    params += [business_id, Kind.CONSUMPTION, f"booking.appointment:{appointment.pk}"]
    lines: list[dict] = []
    recorded: dict[int, Decimal] = {}
    written: dict[int, Decimal] = defaultdict(lambda: ZERO)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for part, service_id, variant_id, product_id, quantity in cursor.fetchall():
            if part == 1:
                lines.append(
                    {
                        "service_id": service_id,
                        "variant_id": variant_id,
                        "product_id": product_id,
                        "quantity": _decimal(quantity),
                    }
                )
            elif part == 2:
                recorded[product_id] = _decimal(quantity)
            else:
                written[product_id] += _decimal(quantity)
    return lines, recorded, dict(written)


def _planned_use(appointment, lines: list[dict], recorded: dict[int, Decimal]) -> dict:
    # Most services have no recipe: then the items themselves need no reading.
    items = (
        list(
            AppointmentItem.objects.filter(appointment=appointment).values(
                "service_id", "variant_id"
            )
        )
        if lines
        else []
    )
    by_key: dict[tuple, list] = defaultdict(list)
    for line in lines:
        by_key[(line["service_id"], line["variant_id"])].append(line)
    use: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for item in items:
        chosen = (
            by_key.get((item["service_id"], item["variant_id"])) if item["variant_id"] else None
        )
        for line in chosen or by_key.get((item["service_id"], None), []):
            use[line["product_id"]] += line["quantity"]
    use.update(recorded)
    return {pk: q for pk, q in use.items() if q}


def visit_planned_use(appointment) -> dict[int, Decimal]:
    """Product id -> quantity a visit uses by its services' recipes, replaced
    per product by what the master recorded (`VisitUsage`)."""
    lines, recorded, _written = _visit_stock_reads(appointment, planned=True)
    return _planned_use(appointment, lines, recorded)


def visit_sync(*, appointment, actor=None) -> list[StockMovement]:
    """Make the stock agree with the visit: a completed visit has its materials
    written off at its location; any other status has them given back. Writes
    only the difference from what is already written, so running it twice (or
    after the master corrects the use) is safe. Call it inside a transaction
    holding the appointment's row lock (booking's does)."""
    business = appointment.business
    completed = appointment.status == Status.COMPLETED
    lines, recorded, written = _visit_stock_reads(appointment, planned=completed)
    target = _planned_use(appointment, lines, recorded) if completed else {}
    source = f"booking.appointment:{appointment.pk}"
    made = []
    for product_id in sorted(set(target) | set(written)):
        difference = -target.get(product_id, ZERO) - written.get(product_id, ZERO)
        if difference == 0:
            continue
        made.append(
            movement_record(
                business=business,
                location=appointment.location_id,
                product=product_id,
                kind=Kind.CONSUMPTION,
                quantity=difference,
                reason=_("Visit #%(id)s") % {"id": appointment.pk},
                source=source,
                actor=actor,
                allow_negative=True,
            )
        )
    return made


def visit_usage_record(
    *, business, appointment_id: int, product_id: int, quantity, unit=None, actor=None
) -> VisitUsage:
    """The master used another quantity than the recipe says; a completed
    visit's write-off is corrected at once."""
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update()
            .filter(business=business, pk=appointment_id)
            .first()
        )
        if appointment is None:
            raise NotFound(_("No such appointment."))
        product = _product(business, product_id)
        qty = as_quantity(quantity)
        if qty < 0:
            refuse(_("Enter a quantity of zero or more."), "quantity", code="invalid_quantity")
        qty = convert(qty, unit or product.stock_unit, product.stock_unit)
        usage, _created = VisitUsage.objects.update_or_create(
            business=business,
            appointment=appointment,
            product=product,
            defaults={"quantity": qty, "recorded_by": _actor(actor), "recorded_at": timezone.now()},
        )
        visit_sync(appointment=appointment, actor=actor)
        audit_log(
            action="inventory.visit_usage",
            actor=actor,
            business=business,
            obj=usage,
            data={"quantity": str(qty)},
        )
    return usage


# --- sales and returns ------------------------------------------------------------------


def checkout_sold(*, checkout, lines=None) -> list[StockMovement]:
    """Products sold at the till leave the checkout's location (once per line).

    `lines`: the checkout's lines when the caller holds them (the sale that has
    just written them), else they are read. A sale is written for all its lines
    at once, keeping `movement_record`'s rules (never refused for lack of stock;
    the products' rows locked, then their balance rows; a line's key makes a
    replay write nothing): one read locks the products, one finds the lines
    already written, one statement moves every balance, one inserts the
    movements, and their value goes to the ledger as one balanced transaction.
    """
    if lines is None:
        lines = checkout.lines.filter(kind="product", product__isnull=False)
    sold = [line for line in lines if line.kind == "product" and line.product_id is not None]
    if not sold:
        return []
    business = checkout.business
    # Inside the sale's transaction no savepoint of its own; alone, its own transaction.
    with transaction.atomic(savepoint=False):
        product_ids = sorted({line.product_id for line in sold})
        # Locked in id order, as one movement at a time would (no deadlock between sales).
        products = {
            p.pk: p
            for p in Product.objects.select_for_update()
            .filter(business=business, pk__in=product_ids)
            .order_by("pk")
        }
        keys = {f"checkout_line:{line.pk}": line for line in sold}
        done = set(
            StockMovement.objects.filter(business=business, key__in=list(keys)).values_list(
                "key", flat=True
            )
        )
        todo = [(key, line) for key, line in keys.items() if key not in done]
        if not todo:
            return []
        taken: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for _key, line in todo:
            taken[line.product_id] -= abs(as_quantity(line.quantity))
        after = _balances_move(business, checkout.location_id, taken)
        running = {pk: after[pk] - taken[pk] for pk in taken}
        movements = []
        for key, line in todo:
            product = products[line.product_id]
            qty = -abs(as_quantity(line.quantity))
            running[line.product_id] += qty
            movements.append(
                StockMovement(
                    business=business,
                    location_id=checkout.location_id,
                    product=product,
                    kind=Kind.SALE,
                    quantity=qty,
                    unit_cost=product.cost_price,
                    average_cost=product.cost_price,
                    balance_after=running[line.product_id],
                    reason=checkout.number[:300],
                    source=f"finance.checkout:{checkout.pk}",
                    key=key,
                    actor=_actor(checkout.created_by),
                    occurred_at=checkout.created_at,
                )
            )
        made = StockMovement.objects.bulk_create(movements)
        _post_sale(business, checkout, made, products)
    return made


def _balances_move(business, location_id: int, deltas: dict[int, Decimal]) -> dict[int, Decimal]:
    """Add each product's delta to its balance at the location (the row made
    when missing) in one statement, which also locks the rows; the new
    quantities by product id."""
    table = StockBalance._meta.db_table
    rows = sorted(deltas.items())
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    params: list = []
    for product_id, delta in rows:
        params += [business.pk, location_id, product_id, delta]
    # Django's upserts set a column to the new row's value; adding to it needs
    # the statement written out (the table name is the model's, values are bound).
    sql = (
        f'INSERT INTO "{table}" ("business_id", "location_id", "product_id", "quantity") '  # noqa: S608
        f'VALUES {values} ON CONFLICT ("product_id", "location_id") '
        f'DO UPDATE SET "quantity" = "{table}"."quantity" + EXCLUDED."quantity" '
        'RETURNING "product_id", "quantity"'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: Decimal(str(quantity)) for pk, quantity in cursor.fetchall()}


def _post_sale(business, checkout, movements: list[StockMovement], products) -> None:
    """The sale's stock value, inventory against cost of goods sold, as one
    balanced transaction per currency (not one per line)."""
    by_currency: dict[str, int] = defaultdict(int)
    for movement in movements:
        by_currency[products[movement.product_id].currency] += _value(
            movement.quantity, movement.unit_cost
        )
    lines = []
    for currency, value in sorted(by_currency.items()):
        if value:
            lines += [
                ledger.Line(accounts.INVENTORY, -value, currency, location=checkout.location_id),
                ledger.Line(
                    accounts.COST_OF_GOODS_SOLD, value, currency, location=checkout.location_id
                ),
            ]
    if not lines:
        return
    ledger.post(
        business=business,
        kind="stock",
        memo=f"Stock sale, checkout {checkout.number}"[:300],
        lines=lines,
        # Unkeyed: it commits with the movements it values, whose keys keep a
        # replay from writing either twice.
        reference=f"stock:checkout:{checkout.pk}",
        occurred_at=checkout.created_at,
    )


def lines_returned(*, line_refund) -> list[StockMovement]:
    """Products refunded by line come back to the shelf (once per refunded item)."""
    made = []
    for item in line_refund.items.select_related("line", "line__checkout").filter(
        line__kind="product", line__product__isnull=False
    ):
        line = item.line
        made.append(
            movement_record(
                business=line_refund.business,
                location=line.checkout.location_id,
                product=line.product_id,
                kind=Kind.RETURN,
                quantity=item.quantity,
                source=f"finance.linerefund:{line_refund.pk}",
                key=f"line_refund_item:{item.pk}",
                reason=line.checkout.number,
                actor=line_refund.created_by,
                occurred_at=line_refund.created_at,
            )
        )
    return made


# --- stock-takes ------------------------------------------------------------------------


def stocktake_start(*, business, location, actor=None) -> StockTake:
    location = _location(business, location)
    with transaction.atomic():
        Location.objects.select_for_update().filter(pk=location.pk).first()
        open_one = StockTake.objects.filter(
            business=business, location=location, status=StockTake.Status.OPEN
        ).first()
        if open_one is not None:
            return open_one
        take = StockTake.objects.create(
            business=business,
            location=location,
            started_by=_actor(actor),
            started_at=timezone.now(),
        )
        audit_log(action="inventory.stocktake_started", actor=actor, business=business, obj=take)
    return take


def _open_take(business, stock_take_id: int) -> StockTake:
    take = StockTake.objects.select_for_update().filter(business=business, pk=stock_take_id).first()
    if take is None:
        raise NotFound(_("No such stock-take."))
    if take.status != StockTake.Status.OPEN:
        refuse(_("This stock-take is already booked."), code="stocktake_booked")
    return take


def stocktake_count(
    *,
    business,
    stock_take_id: int,
    product_id: int | None = None,
    barcode: str = "",
    counted=None,
    actor=None,
) -> StockTakeLine:
    """Count a product: by id or by its barcode (a scanner types it and Enter).
    With `counted` the line is set to it; without, one more piece is counted."""
    with transaction.atomic():
        take = _open_take(business, stock_take_id)
        if barcode.strip():
            code = barcode.strip()
            product = Product.objects.filter(business=business, barcode=code).first()
            if product is None:
                refuse(
                    _("No product has the barcode %(code)s.") % {"code": code[:20]},
                    "barcode",
                    code="barcode_unknown",
                )
        else:
            product = _product(business, product_id)
        line = StockTakeLine.objects.filter(stock_take=take, product=product).first()
        if counted is None:
            value = (line.counted if line else ZERO) + 1
        else:
            value = as_quantity(counted, "counted")
        if value < 0:
            refuse(_("Enter a count of zero or more."), "counted", code="invalid_quantity")
        if line is None:
            line = StockTakeLine(business=business, stock_take=take, product=product)
        line.counted = value
        line.counted_by = _actor(actor)
        line.counted_at = timezone.now()
        line.save()
    return line


def stocktake_book(*, business, stock_take_id: int, actor=None) -> list[StockMovement]:
    """Book the count: every difference from the books becomes an adjustment
    (who booked it and when on the movement). Products not counted are left alone."""
    made = []
    with transaction.atomic():
        take = _open_take(business, stock_take_id)
        now = timezone.now()
        for line in take.lines.select_related("product").order_by("product_id"):
            _product(business, line.product_id, lock=True)  # product, then balance
            balance = _balance_locked(business, take.location, line.product)
            line.expected = balance.quantity
            line.save(update_fields=["expected"])
            difference = line.counted - balance.quantity
            if difference:
                made.append(
                    movement_record(
                        business=business,
                        location=take.location_id,
                        product=line.product_id,
                        kind=Kind.ADJUSTMENT,
                        quantity=difference,
                        reason=_("Stock-take #%(id)s") % {"id": take.pk},
                        source=take,
                        actor=actor,
                        allow_negative=True,
                        occurred_at=now,
                    )
                )
        take.status = StockTake.Status.BOOKED
        take.booked_by = _actor(actor)
        take.booked_at = now
        take.save(update_fields=["status", "booked_by", "booked_at"])
        audit_log(
            action="inventory.stocktake_booked",
            actor=actor,
            business=business,
            obj=take,
            data={"adjustments": len(made)},
        )
    return made
