"""Supplier invoices: the bill for what was received on account, recorded
when it arrives and paid later. Paying posts debit `payables`, credit the
money account, so what the salon owes its supplier goes back to zero.

An order's invoices may not add up to more than what was received on account
(deliveries paid at once owe nothing)."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from solibook.core.audit import audit_log
from solibook.core.errors import Conflict
from solibook.core.money import format_money
from solibook.core.time import utcnow
from solibook.finance import accounts
from solibook.finance.ledger import Line, post
from solibook.purchasing.models import PaidFrom, Receipt, SupplierInvoice
from solibook.purchasing.services._common import check_amount, get, invalid
from solibook.purchasing.services.orders import order_get

EARLIEST = date(2000, 1, 1)
MONEY_ACCOUNT = {
    PaidFrom.CASH: accounts.CASH,
    PaidFrom.CARD: accounts.CARD,
    PaidFrom.BANK: accounts.BANK,
}


def order_on_account(order) -> int:
    """What the order's deliveries received on account are worth."""
    return (
        Receipt.objects.filter(order=order, paid_from=PaidFrom.ON_ACCOUNT).aggregate(
            total=Sum("amount")
        )["total"]
        or 0
    )


def order_invoiced(order) -> int:
    return SupplierInvoice.objects.filter(order=order).aggregate(total=Sum("amount"))["total"] or 0


def invoice_record(
    *, actor, business, order_id, number: str, issued_on: date, amount: int, due_on=None
) -> SupplierInvoice:
    number = (number or "").strip()
    if not number:
        invalid("number", _("Enter the supplier's invoice number."))
    if len(number) > 64:
        invalid("number", _("Keep the invoice number under 64 characters."))
    check_amount(amount, "amount")
    today = utcnow().date()
    if not isinstance(issued_on, date) or not EARLIEST <= issued_on <= today + timedelta(days=1):
        invalid("issued_on", _("The invoice's date cannot be in the future."))
    if due_on is not None and (not isinstance(due_on, date) or due_on < issued_on):
        invalid("due_on", _("The due date comes on or after the invoice's date."))
    with transaction.atomic():
        order = order_get(business=business, order_id=order_id, lock=True)
        open_amount = order_on_account(order) - order_invoiced(order)
        if amount > open_amount:
            message = (
                _(
                    "This order has %(amount)s received on account and not yet invoiced; "
                    "an invoice cannot be larger."
                )
                % {
                    "amount": format_money(
                        max(open_amount, 0), order.currency, get_language() or "en"
                    )
                }
                if open_amount > 0
                else _("Nothing received on account on this order is waiting for an invoice.")
            )
            raise Conflict(message, code="invoice_too_large", fields={"amount": [message]})
        try:
            with transaction.atomic():
                invoice = SupplierInvoice.objects.create(
                    business=business,
                    order=order,
                    supplier_id=order.supplier_id,
                    number=number,
                    issued_on=issued_on,
                    due_on=due_on,
                    amount=amount,
                    currency=order.currency,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:
            invalid("number", _("This supplier's invoice with this number is already recorded."))
        audit_log(
            action="purchasing.invoice_recorded",
            actor=actor,
            business=business,
            obj=invoice,
            data={"order": order.pk, "amount": amount},
        )
    return invoice


def invoice_pay(*, actor, business, invoice_id, paid_from: str) -> SupplierInvoice:
    if paid_from not in MONEY_ACCOUNT:
        invalid("paid_from", _("Choose the account the invoice is paid from."))
    with transaction.atomic():
        invoice = get(
            SupplierInvoice.objects.select_for_update().filter(business=business),
            invoice_id,
            _("No such invoice."),
        )
        if invoice.paid_at is not None:
            raise Conflict(_("This invoice is already paid."), code="invoice_paid")
        location = invoice.order.location
        invoice.paid_at = utcnow()
        invoice.paid_from = paid_from
        invoice.payment_transaction = post(
            business=business,
            kind="supplier_payment",
            memo=_("Invoice %(number)s of %(supplier)s paid")
            % {"number": invoice.number, "supplier": invoice.supplier.name},
            lines=[
                Line(accounts.PAYABLES, invoice.amount, invoice.currency, location=location),
                Line(
                    MONEY_ACCOUNT[PaidFrom(paid_from)],
                    -invoice.amount,
                    invoice.currency,
                    location=location,
                ),
            ],
            reference=f"purchasing.invoice:{invoice.pk}",
            idempotency_key=f"purchasing.invoice_paid:{invoice.pk}",
            occurred_at=invoice.paid_at,
        )
        invoice.save(update_fields=["paid_at", "paid_from", "payment_transaction"])
        audit_log(
            action="purchasing.invoice_paid",
            actor=actor,
            business=business,
            obj=invoice,
            data={"paid_from": paid_from, "amount": invoice.amount},
        )
    return invoice
