"""The platform's invoices to companies (corporate wellness), through billing.

A company is not a salon: it has no subscription or charges. Its monthly
invoice gathers what the caller (the corporate app) says it owes, as lines,
takes the next number of its own series from the same locked
`InvoiceCounter` as every platform invoice (gapless), and posts the platform's
books once, at issue: `receivables` against `credit_account` (what the caller
held until invoicing). No VAT is added: the lines pass on services the salons
have already invoiced with their own VAT (disbursements).
"""

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.billing.models import CompanyInvoice
from solibook.billing.services import PAYABLE_DAYS, _next_number
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, NotFound, ValidationFailed
from solibook.finance import accounts, ledger

COMPANY_SERIES = "CO"


def company_invoice_issue(
    *,
    customer_ref: str,
    customer_name: str,
    vat_number: str = "",
    country: str = "",
    language: str = "en",
    currency: str,
    period_start: date,
    period_end: date,
    closes_on: date,
    lines: list[tuple[str, int]],
    credit_account: str,
    actor=None,
    now: datetime | None = None,
) -> CompanyInvoice:
    """Issue the company's invoice for [period_start, period_end). `closes_on` is the
    customer's own local date today: a period that has not ended by then is refused
    (`period_open`), and so is a second invoice for one period (`already_invoiced`)."""
    now = now or timezone.now()
    if period_end > closes_on:
        message = _(
            "The month is still open until %(date)s: its invoice can be issued from then."
        ) % {"date": period_end.isoformat()}
        raise ValidationFailed(message, code="period_open", fields={"month": [message]})
    total = sum(amount for _description, amount in lines)
    if not lines or total <= 0:
        message = _("Nothing was spent in this month: there is nothing to invoice.")
        raise ValidationFailed(message, code="nothing_to_invoice", fields={"month": [message]})
    if not accounts.is_valid(credit_account, platform=True):
        raise ValueError(f"Unknown platform account {credit_account!r}")
    try:
        with transaction.atomic():
            series = f"{COMPANY_SERIES}-{now:%Y}"
            sequence = _next_number(series)  # row lock held to commit: no gap, no reuse
            invoice = CompanyInvoice.objects.create(
                customer_ref=customer_ref,
                customer_name=customer_name,
                vat_number=vat_number,
                series=series,
                sequence=sequence,
                number=f"{series}-{sequence:06d}",
                period_start=period_start,
                period_end=period_end,
                issued_at=now,
                due_at=now + timedelta(days=PAYABLE_DAYS),
                currency=currency,
                language=language,
                country=country,
                lines=[{"description": d, "amount": int(a)} for d, a in lines],
                total=total,
            )
            ledger.post(
                business=None,
                kind="company_invoice_issued",
                memo=invoice.number,
                reference=invoice.number,
                idempotency_key=f"billing-company-invoice:{invoice.pk}",
                lines=[
                    ledger.Line(accounts.RECEIVABLES, total, currency),
                    ledger.Line(credit_account, -total, currency),
                ],
                occurred_at=now,
            )
            audit_log(
                action="billing.company_invoice_issued",
                actor=actor,
                obj=invoice,
                data={"number": invoice.number, "total": total, "customer": customer_ref},
            )
    except IntegrityError:
        raise Conflict(_("This month is already invoiced."), code="already_invoiced") from None
    return invoice


def company_invoice_mark_paid(
    *, invoice_id: int, reference: str = "", actor=None, now: datetime | None = None
) -> CompanyInvoice:
    """The company's transfer arrived: the platform's bank against its receivable."""
    now = now or timezone.now()
    with transaction.atomic():
        invoice = CompanyInvoice.objects.select_for_update().filter(pk=invoice_id).first()
        if invoice is None:
            raise NotFound(_("No such invoice."))
        if invoice.status == CompanyInvoice.Status.PAID:
            return invoice
        invoice.status = CompanyInvoice.Status.PAID
        invoice.paid_at = now
        invoice.save(update_fields=["status", "paid_at"])
        ledger.post(
            business=None,
            kind="company_invoice_paid",
            memo=f"{invoice.number} {reference}".strip()[:300],
            reference=invoice.number,
            idempotency_key=f"billing-company-invoice-paid:{invoice.pk}",
            lines=[
                ledger.Line(accounts.PLATFORM_BANK, invoice.total, invoice.currency),
                ledger.Line(accounts.RECEIVABLES, -invoice.total, invoice.currency),
            ],
            occurred_at=now,
        )
        audit_log(action="billing.company_invoice_paid", actor=actor, obj=invoice)
    return invoice


__all__ = ["company_invoice_issue", "company_invoice_mark_paid"]
