"""Receipts in the client's language: HTML (a template) and PDF (fpdf2).

The PDF embeds DejaVu Sans (vendored in `fonts/`, with its licence), which
covers Latin, Cyrillic and Arabic; Arabic is shaped and laid out right to
left through HarfBuzz (`uharfbuzz`, a wheel: no system package).
"""

from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import segno
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from solibook.core.money import format_money
from solibook.finance.models import Checkout
from solibook.finance.selectors import tender_label

FONT = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"
RTL = {"ar"}

# Blocks other areas add to a receipt (compliance: the ZATCA QR, the 54-FZ
# fiscal attributes) without finance importing them: each is called with the
# checkout, in the receipt's language, and returns None or
# {"title": str, "lines": [str], "warning": str, "qr": text to encode or ""}.
RECEIPT_EXTRAS: list[Callable[[Checkout], dict | None]] = []


def register_receipt_extra(block: Callable[[Checkout], dict | None]) -> None:
    if block not in RECEIPT_EXTRAS:
        RECEIPT_EXTRAS.append(block)


def _extras(checkout: Checkout) -> list[dict]:
    out = []
    for block in RECEIPT_EXTRAS:
        extra = block(checkout)
        if extra:
            qr = extra.get("qr") or ""
            out.append(
                {**extra, "qr_svg": segno.make(qr, error="m").svg_data_uri(scale=3) if qr else ""}
            )
    return out


def receipt_rows(checkout: Checkout) -> dict:
    """What a receipt shows, already translated and formatted."""
    language = checkout.language or "en"
    with translation.override(language):
        money = lambda amount: format_money(amount, checkout.currency, language)  # noqa: E731
        location = checkout.location
        business = checkout.business
        return {
            "language": language,
            "rtl": language in RTL,
            "title": _("Receipt %(number)s") % {"number": checkout.number},
            "business": business.legal_name or business.name,
            "vat_number": business.vat_number,
            "address": f"{location.address}, {location.postal_code} {location.city}".replace(
                " ,", ","
            ),
            "date": checkout.created_at.astimezone(_zone(location)).strftime("%Y-%m-%d %H:%M"),
            "client": checkout.client_name,
            "lines": [
                {
                    "description": line.description,
                    "quantity": line.quantity,
                    "amount": money(line.gross_amount),
                    "discount": money(line.discount_amount) if line.discount_amount else "",
                    "tax": f"{line.tax_rate / 100:g}%" if line.tax_rate else "",
                }
                for line in checkout.lines.order_by("position")
            ],
            "labels": {
                "item": _("Item"),
                "qty": _("Qty"),
                "amount": _("Amount"),
                "discount": _("Discount"),
                "net": _("Net"),
                "tax": _("VAT"),
                "tips": _("Tips"),
                "total": _("Total"),
                "paid": _("Paid"),
                "refunded": _("Refunded"),
                "client": _("Client"),
                "vat_number": _("VAT number"),
                "prices": _("Prices include VAT")
                if checkout.prices_include_tax
                else _("VAT added to prices"),
            },
            "discount": money(checkout.discount_total) if checkout.discount_total else "",
            "discount_reason": checkout.discount_reason,
            "net": money(checkout.net_total),
            "tax": money(checkout.tax_total),
            "tips": money(checkout.tip_total) if checkout.tip_total else "",
            "total": money(checkout.total),
            "refunded": money(checkout.refunded_total) if checkout.refunded_total else "",
            "payments": [
                {"label": tender_label(p.tender), "amount": money(p.amount)}
                for p in checkout.payments.order_by("id")
            ],
            "footer": _footer(business),
            "extras": _extras(checkout),
        }


def _zone(location):
    from zoneinfo import ZoneInfo

    return ZoneInfo(location.time_zone)


def _footer(business) -> str:
    from solibook.finance.models import FinanceSettings

    return (
        FinanceSettings.objects.filter(business=business)
        .values_list("receipt_footer", flat=True)
        .first()
        or ""
    )


def receipt_pdf(checkout: Checkout) -> bytes:
    rows = receipt_rows(checkout)
    pdf = FPDF(format=(148, 210))  # A5 in millimetres
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=10)
    if rows["rtl"]:
        pdf.set_text_shaping(
            use_shaping_engine=True, direction="rtl", script="arab", language="ara"
        )
    else:
        pdf.set_text_shaping(use_shaping_engine=True)
    align = "R" if rows["rtl"] else "L"
    width = pdf.epw

    def line(text: str, size: int = 10) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.multi_cell(width, 6, text, align=align, new_x="LMARGIN", new_y="NEXT")

    line(rows["business"], 13)
    line(rows["address"])
    if rows["vat_number"]:
        line(f"{rows['labels']['vat_number']}: {rows['vat_number']}")
    pdf.ln(2)
    line(rows["title"], 12)
    line(rows["date"])
    if rows["client"]:
        line(f"{rows['labels']['client']}: {rows['client']}")
    pdf.ln(2)
    for item in rows["lines"]:
        extra = f"  (−{item['discount']})" if item["discount"] else ""
        tax = f"  {rows['labels']['tax']} {item['tax']}" if item["tax"] else ""
        line(f"{item['quantity']} × {item['description']}: {item['amount']}{extra}{tax}")
    pdf.ln(2)
    if rows["discount"]:
        line(f"{rows['labels']['discount']}: −{rows['discount']} {rows['discount_reason']}")
    line(f"{rows['labels']['net']}: {rows['net']}")
    line(f"{rows['labels']['tax']}: {rows['tax']}")
    if rows["tips"]:
        line(f"{rows['labels']['tips']}: {rows['tips']}")
    line(f"{rows['labels']['total']}: {rows['total']}", 12)
    line(rows["labels"]["prices"], 8)
    pdf.ln(2)
    for payment in rows["payments"]:
        line(f"{rows['labels']['paid']} — {payment['label']}: {payment['amount']}")
    if rows["refunded"]:
        line(f"{rows['labels']['refunded']}: {rows['refunded']}")
    for extra in rows["extras"]:
        pdf.ln(3)
        line(extra["title"], 10)
        for text in extra.get("lines", []):
            line(text, 9)
        if extra.get("warning"):
            line(extra["warning"], 9)
        if extra.get("qr"):
            png = BytesIO()
            segno.make(extra["qr"], error="m").save(png, kind="png", scale=4, border=2)
            png.seek(0)
            pdf.image(png, x=pdf.l_margin if not rows["rtl"] else pdf.w - pdf.r_margin - 35, w=35)
    if rows["footer"]:
        pdf.ln(3)
        line(rows["footer"], 8)
    return bytes(pdf.output())
