"""Invoices and credit notes as PDF, in the salon's language and currency (fpdf2 with
DejaVu Sans as `finance.receipts`: Latin, Cyrillic, and Arabic shaped right to left)."""

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from solibook.billing.models import CompanyInvoice, Invoice
from solibook.core.money import format_money
from solibook.finance.receipts import FONT

RTL = {"ar"}
ISSUER = "Solibook SAS"


def invoice_title(invoice: Invoice) -> str:
    if invoice.kind == Invoice.Kind.CREDIT_NOTE:
        return _("Credit note %(number)s") % {"number": invoice.number}
    return _("Invoice %(number)s") % {"number": invoice.number}


def invoice_rows(invoice: Invoice) -> dict:
    language = invoice.language or "en"
    with translation.override(language):
        money = lambda amount: format_money(amount, invoice.currency, language)  # noqa: E731
        business = invoice.business
        rows = {
            "rtl": language in RTL,
            "title": invoice_title(invoice),
            "issuer": ISSUER,
            "customer": business.legal_name or business.name,
            "vat_number": business.vat_number,
            "issued": _("Issued on %(date)s") % {"date": invoice.issued_at.date().isoformat()},
            "due": _("Due by %(date)s") % {"date": invoice.due_at.date().isoformat()},
            "lines": [(line.description, money(line.amount)) for line in invoice.lines.all()],
            "net": f"{_('Total excluding VAT')}: {money(invoice.net_total)}",
            "tax": f"{_('VAT')} {invoice.vat_rate_bp / 100:g}%: {money(invoice.tax_total)}",
            "deducted": (
                f"{_('Credit notes deducted (VAT included)')}: "
                f"{money(invoice.total - invoice.net_total - invoice.tax_total)}"
                if invoice.total != invoice.net_total + invoice.tax_total
                else ""
            ),
            "total": f"{_('Total')}: {money(invoice.total)}",
            "status": str(invoice.get_status_display()),
            "refers": (
                _("Corrects invoice %(number)s") % {"number": invoice.credit_note_of.number}
                if invoice.credit_note_of_id
                else ""
            ),
            "transfer": _("Bank transfer: quote %(number)s as the reference.")
            % {"number": invoice.number},
        }
    return rows


def invoice_pdf(invoice: Invoice) -> bytes:
    return _pdf(invoice_rows(invoice), invoice.number)


def company_invoice_rows(invoice: CompanyInvoice) -> dict:
    """A company's invoice (corporate wellness) in the same layout; no VAT line: its
    lines pass on services the salons invoiced with their VAT."""
    language = invoice.language or "en"
    with translation.override(language):
        money = lambda amount: format_money(amount, invoice.currency, language)  # noqa: E731
        return {
            "rtl": language in RTL,
            "title": _("Invoice %(number)s") % {"number": invoice.number},
            "issuer": ISSUER,
            "customer": invoice.customer_name,
            "vat_number": invoice.vat_number,
            "issued": _("Issued on %(date)s") % {"date": invoice.issued_at.date().isoformat()},
            "due": _("Due by %(date)s") % {"date": invoice.due_at.date().isoformat()},
            "lines": [(line["description"], money(line["amount"])) for line in invoice.lines],
            "net": "",
            "tax": "",
            "deducted": "",
            "total": f"{_('Total')}: {money(invoice.total)}",
            "status": str(invoice.get_status_display()),
            "refers": "",
            "transfer": _("Bank transfer: quote %(number)s as the reference.")
            % {"number": invoice.number},
        }


def company_invoice_pdf(invoice: CompanyInvoice) -> bytes:
    return _pdf(company_invoice_rows(invoice), invoice.number)


def _pdf(rows: dict, number: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(rows["title"])
    pdf.set_subject(number)  # ASCII: the number reads in the file's metadata
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(FONT))
    if rows["rtl"]:
        pdf.set_text_shaping(
            use_shaping_engine=True, direction="rtl", script="arab", language="ara"
        )
    else:
        pdf.set_text_shaping(use_shaping_engine=True)
    align = "R" if rows["rtl"] else "L"

    def line(text: str, size: int = 10) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.multi_cell(pdf.epw, 6, text, align=align, new_x="LMARGIN", new_y="NEXT")

    line(rows["issuer"], 14)
    pdf.ln(2)
    line(rows["title"], 13)
    line(rows["issued"])
    line(rows["due"])
    if rows["refers"]:
        line(rows["refers"])
    pdf.ln(2)
    line(rows["customer"], 11)
    if rows["vat_number"]:
        line(rows["vat_number"])
    pdf.ln(3)
    for description, amount in rows["lines"]:
        line(f"{description}: {amount}")
    pdf.ln(3)
    if rows["net"]:
        line(rows["net"])
    if rows["tax"]:
        line(rows["tax"])
    if rows["deducted"]:
        line(rows["deducted"])
    line(rows["total"], 12)
    pdf.ln(3)
    line(rows["transfer"], 8)
    return bytes(pdf.output())
