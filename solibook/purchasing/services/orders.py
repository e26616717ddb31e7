"""Purchase orders: a draft gets lines (whole packs of a supplier's offers),
is sent to the supplier (PDF and e-mail in the supplier's language), and
waits for its deliveries (`services.receiving`).

Every write locks the order's row first, so a line added while the order is
being sent, or two sends at once, see one consistent order."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from solibook.catalog.models import Business, Location
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, ValidationFailed
from solibook.core.money import format_money
from solibook.core.time import to_local, utcnow
from solibook.notifications.providers import (
    OutgoingMessage,
    PermanentFailure,
    check_email,
    provider_for,
)
from solibook.purchasing.models import PurchaseOrder, PurchaseOrderLine, SupplierProduct
from solibook.purchasing.pdf import order_pdf
from solibook.purchasing.services._common import check_packs, get, invalid
from solibook.purchasing.services.offers import supplier_get, supplier_language

log = logging.getLogger(__name__)
MAX_LINES = 200

Status = PurchaseOrder.Status


def order_get(*, business, order_id, lock: bool = False) -> PurchaseOrder:
    queryset = PurchaseOrder.objects.filter(business=business)
    if lock:
        queryset = queryset.select_for_update()
    return get(queryset, order_id, _("No such purchase order."))


def _next_number(business) -> int:
    # The business's row is the counter's lock: two drafts made at once get
    # consecutive numbers instead of one failing on the unique constraint.
    Business.objects.select_for_update().filter(pk=business.pk).first()
    last = (
        PurchaseOrder.objects.filter(business=business)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


def order_create(*, actor, business, supplier_id, location_id, note: str = "") -> PurchaseOrder:
    supplier = supplier_get(business=business, supplier_id=supplier_id)
    if not supplier.is_active:
        invalid("supplier_id", _("This supplier is inactive."))
    location = get(
        Location.objects.filter(business=business),
        location_id,
        _("No such location."),
        field="location_id",
    )
    with transaction.atomic():
        order = PurchaseOrder.objects.create(
            business=business,
            number=_next_number(business),
            supplier=supplier,
            location=location,
            currency=business.currency,
            language=supplier_language(supplier),
            note=(note or "").strip()[:2000],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_log(
            action="purchasing.order_created",
            actor=actor,
            business=business,
            obj=order,
            data={"supplier": supplier.pk, "location": location.pk},
        )
    return order


def _draft(business, order_id) -> PurchaseOrder:
    order = order_get(business=business, order_id=order_id, lock=True)
    if order.status != Status.DRAFT:
        raise Conflict(
            _("This order has been sent: its lines can no longer change."), code="order_not_draft"
        )
    return order


def order_line_set(*, actor, business, order_id, offer_id, packs: int) -> PurchaseOrderLine | None:
    """Put `packs` packs of an offer on a draft order (0 removes the line)."""
    packs = check_packs(packs, allow_zero=True)
    with transaction.atomic():
        order = _draft(business, order_id)
        offer = get(
            SupplierProduct.objects.filter(
                business=business, supplier_id=order.supplier_id, is_active=True
            ),
            offer_id,
            _("This supplier has no such offer."),
            field="offer_id",
        )
        line = PurchaseOrderLine.objects.filter(order=order, offer=offer).first()
        if packs == 0:
            if line is not None:
                line.delete()
            return None
        if line is None:
            if PurchaseOrderLine.objects.filter(order=order).count() >= MAX_LINES:
                invalid("offer_id", _("An order holds at most 200 lines."))
            line = PurchaseOrderLine(business=business, order=order, offer=offer)
        line.product_id = offer.product_id
        line.pack_name = offer.pack_name
        line.pack_size = offer.pack_size
        line.price_amount = offer.price_amount
        line.packs = packs
        line.save()
        audit_log(
            action="purchasing.order_line_set",
            actor=actor,
            business=business,
            obj=order,
            data={"offer": offer.pk, "packs": packs},
        )
    return line


def order_total(order: PurchaseOrder) -> int:
    return sum(line.amount for line in order.lines.all())


def order_message(order: PurchaseOrder) -> dict:
    """The e-mail to the supplier, in the order's language."""
    language = order.language or "en"
    business = order.business
    with translation.override(language):
        subject = _("Purchase order %(number)s from %(salon)s") % {
            "number": order.label,
            "salon": business.name,
        }
        lines = [
            _("Hello %(supplier)s,") % {"supplier": order.supplier.name},
            _("Please find attached our purchase order %(number)s, to deliver to %(address)s.")
            % {"number": order.label, "address": _address(order.location)},
        ]
        for line in order.lines.select_related("offer", "product"):
            lines.append(
                f"- {line.packs} × {line.pack_name} · {line.product.display_name}"
                + (f" ({line.offer.supplier_sku})" if line.offer.supplier_sku else "")
            )
        lines.append(
            _("Total before VAT: %(total)s")
            % {"total": format_money(order_total(order), order.currency, language)}
        )
        if order.note:
            lines.append(order.note)
        lines.append(_("Thank you. %(salon)s") % {"salon": business.name})
    return {"subject": subject, "text": "\n\n".join(lines), "language": language}


def _address(location: Location) -> str:
    return ", ".join(
        part
        for part in (location.address, f"{location.postal_code} {location.city}".strip())
        if part
    )


def order_send(*, actor, business, order_id) -> PurchaseOrder:
    """Draft → sent, then the e-mail with the PDF to the supplier. Refused: an
    empty order, an order already sent, a supplier without a valid e-mail."""
    with transaction.atomic():
        order = _draft(business, order_id)
        if not PurchaseOrderLine.objects.filter(order=order).exists():
            raise ValidationFailed(
                _("This order has no lines: add what you want to buy before sending it."),
                code="order_empty",
            )
        supplier = order.supplier
        try:
            check_email(supplier.email)
        except PermanentFailure:
            raise ValidationFailed(
                _("Give %(supplier)s an e-mail address (in Suppliers) before sending the order.")
                % {"supplier": supplier.name},
                code="supplier_no_email",
            ) from None
        lead = max(
            PurchaseOrderLine.objects.filter(order=order)
            .select_related("offer")
            .values_list("offer__lead_time_days", flat=True)
        )
        now = utcnow()
        order.status = Status.SENT
        order.sent_at = now
        order.sent_to = supplier.email
        order.language = supplier_language(supplier)
        order.expected_on = to_local(now, order.location.time_zone).date() + timedelta(days=lead)
        order.save(update_fields=["status", "sent_at", "sent_to", "language", "expected_on"])
        audit_log(
            action="purchasing.order_sent",
            actor=actor,
            business=business,
            obj=order,
            data={"to": supplier.email, "language": order.language},
        )
    order_email(business=business, order=order)
    return order


def order_email(*, business, order: PurchaseOrder) -> None:
    """E-mail a sent order to its supplier (again). Outside any transaction: a
    provider's trouble is a clear refusal, and the order stays sent."""
    if order.status == Status.DRAFT:
        raise Conflict(_("Send the order first."), code="order_not_sent")
    content = order_message(order)
    outgoing = OutgoingMessage(
        channel="email",
        to=order.sent_to or order.supplier.email,
        subject=content["subject"],
        text=content["text"],
        from_name=business.name,
        language=content["language"],
    )
    outgoing.attachments.append((f"{order.label}.pdf", order_pdf(order), "application/pdf"))
    try:
        provider_for("email").send(outgoing)
    except Exception as exc:  # the buyer may send again; never a 500 for a provider's trouble
        log.warning("purchase order %s not e-mailed: %s", order.pk, type(exc).__name__)
        raise ValidationFailed(
            _(
                "The order is marked as sent, but the e-mail could not be delivered. Try sending it again."
            ),
            code="order_not_emailed",
        ) from exc


def order_cancel(*, actor, business, order_id) -> PurchaseOrder:
    """A draft, or a sent order nothing of which has arrived, can be cancelled."""
    with transaction.atomic():
        order = order_get(business=business, order_id=order_id, lock=True)
        if order.status not in (Status.DRAFT, Status.SENT):
            raise Conflict(
                _("Only an order nothing of which was received can be cancelled."),
                code="order_not_cancellable",
            )
        order.status = Status.CANCELLED
        order.save(update_fields=["status"])
        audit_log(action="purchasing.order_cancelled", actor=actor, business=business, obj=order)
    return order
