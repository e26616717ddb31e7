"""Receiving a delivery against a sent order.

One transaction: lock the order's row (two receipts of the same order queue
here, so the second one sees what the first received), check each line
against what is still outstanding, write one inventory movement of kind
`receipt` per line (inventory updates the weighted-average cost from its unit
cost), post the ledger (debit `inventory`, credit `payables` when the
supplier is paid later, or the money account when paid at once), and move the
order to partly received or received.

The rule for a delivery larger than the order: refused, line by line, with
what remains to receive; the extra goes on a new order (or a new line).
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, ValidationFailed
from solibook.core.time import utcnow
from solibook.finance import accounts
from solibook.finance.ledger import Line, post
from solibook.purchasing import stock
from solibook.purchasing.models import (
    PaidFrom,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
)
from solibook.purchasing.services._common import check_packs, invalid
from solibook.purchasing.services.orders import order_get

Status = PurchaseOrder.Status
CREDIT_ACCOUNT = {
    PaidFrom.ON_ACCOUNT: accounts.PAYABLES,
    PaidFrom.CASH: accounts.CASH,
    PaidFrom.CARD: accounts.CARD,
    PaidFrom.BANK: accounts.BANK,
}


def unit_cost(line: PurchaseOrderLine) -> Decimal:
    """Minor units per stock unit: the pack's price over its size (a 1,000 ml
    bottle at 12.00 EUR costs 1.2 cents a ml), kept to four decimals."""
    return (Decimal(line.price_amount) / line.pack_size).quantize(Decimal("0.0001"))


def order_receive(
    *,
    actor,
    business,
    order_id,
    packs: dict,
    paid_from: str = PaidFrom.ON_ACCOUNT,
    note: str = "",
) -> Receipt:
    """Receive `packs` ({line id: packs arrived}) of a sent order at its location."""
    if paid_from not in CREDIT_ACCOUNT:
        invalid("paid_from", _("Choose how this delivery is paid."))
    if not isinstance(packs, dict) or not packs:
        raise ValidationFailed(
            _("Enter how many packs arrived on at least one line."), code="receipt_empty"
        )
    with transaction.atomic():
        order = order_get(business=business, order_id=order_id, lock=True)
        if order.status not in (Status.SENT, Status.PARTLY_RECEIVED):
            raise Conflict(
                _("Only a sent order can be received (this one is %(status)s).")
                % {"status": order.get_status_display()},
                code="order_not_open",
            )
        lines = {
            line.pk: line
            for line in PurchaseOrderLine.objects.select_for_update()
            .filter(order=order)
            .select_related("product")
            .order_by("pk")
        }
        wanted = _check_packs(packs, lines)
        receipt = Receipt.objects.create(
            business=business,
            order=order,
            received_at=utcnow(),
            paid_from=paid_from,
            amount=sum(lines[pk].price_amount * n for pk, n in wanted.items()),
            currency=order.currency,
            note=(note or "").strip()[:300],
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for pk, count in wanted.items():
            line = lines[pk]
            quantity = line.pack_size * count
            received = ReceiptLine.objects.create(
                business=business,
                receipt=receipt,
                line=line,
                packs=count,
                quantity=quantity,
                amount=line.price_amount * count,
            )
            received.movement_id = stock.record_receipt(
                business=business,
                location=order.location,
                product=line.product,
                quantity=quantity,
                unit_cost=unit_cost(line),
                actor=actor,
                reason=order.label,
                source=received,
            )
            received.save(update_fields=["movement_id"])
            PurchaseOrderLine.objects.filter(pk=pk).update(
                received_packs=F("received_packs") + count
            )
        receipt.ledger_transaction = post(
            business=business,
            kind="stock_receipt",
            memo=_("Delivery of %(number)s from %(supplier)s")
            % {"number": order.label, "supplier": order.supplier.name},
            lines=[
                Line(accounts.INVENTORY, receipt.amount, order.currency, location=order.location),
                Line(
                    CREDIT_ACCOUNT[PaidFrom(paid_from)],
                    -receipt.amount,
                    order.currency,
                    location=order.location,
                ),
            ],
            reference=f"purchasing.receipt:{receipt.pk}",
            idempotency_key=f"purchasing.receipt:{receipt.pk}",
            occurred_at=receipt.received_at,
        )
        receipt.save(update_fields=["ledger_transaction"])
        complete = all(
            line.received_packs + wanted.get(pk, 0) >= line.packs for pk, line in lines.items()
        )
        order.status = Status.RECEIVED if complete else Status.PARTLY_RECEIVED
        order.received_at = receipt.received_at if complete else None
        order.save(update_fields=["status", "received_at"])
        audit_log(
            action="purchasing.order_received",
            actor=actor,
            business=business,
            obj=order,
            data={
                "receipt": receipt.pk,
                "packs": {str(k): v for k, v in wanted.items()},
                "paid_from": paid_from,
            },
        )
    return receipt


def _check_packs(packs: dict, lines: dict[int, PurchaseOrderLine]) -> dict[int, int]:
    wanted: dict[int, int] = {}
    errors: dict[str, list[str]] = {}
    for key, value in packs.items():
        try:
            pk = int(key)
        except (TypeError, ValueError):
            pk = 0
        line = lines.get(pk)
        if line is None:
            raise ValidationFailed(_("This order has no such line."), code="receipt_line_unknown")
        field = f"lines.{pk}"
        try:
            count = check_packs(value, field, allow_zero=True)
        except ValidationFailed as exc:
            errors.update(exc.fields)
            continue
        if count > line.outstanding_packs:
            left = line.outstanding_packs
            errors[field] = [
                ngettext(
                    "%(product)s: %(count)s arrived, but only %(left)s pack remains to receive "
                    "on this order. Receive at most %(left)s; put the extra on a new order.",
                    "%(product)s: %(count)s arrived, but only %(left)s packs remain to receive "
                    "on this order. Receive at most %(left)s; put the extra on a new order.",
                    left,
                )
                % {"product": line.product.display_name, "count": count, "left": left}
            ]
        elif count:
            wanted[pk] = count
    if errors:
        message = (
            next(iter(errors.values()))[0]
            if len(errors) == 1
            else _("Please correct the errors below.")
        )
        raise ValidationFailed(message, code="receipt_over_ordered", fields=errors)
    if not wanted:
        raise ValidationFailed(
            _("Enter how many packs arrived on at least one line."), code="receipt_empty"
        )
    return wanted
