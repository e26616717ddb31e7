"""The purchase order as a PDF (A4) in the supplier's language, with the same
embedded font and Arabic shaping as the receipts (`finance.receipts`)."""

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from solibook.core.money import format_money
from solibook.finance.receipts import FONT, RTL
from solibook.purchasing.models import PurchaseOrder


def _quantity(value) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def order_pdf(order: PurchaseOrder) -> bytes:
    business = order.business
    language = order.language or "en"
    lines = list(order.lines.select_related("offer", "product"))
    with translation.override(language):
        rtl = language in RTL
        money = lambda amount: format_money(amount, order.currency, language)  # noqa: E731
        pdf = FPDF(format="A4")
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_page()
        pdf.add_font("DejaVu", "", str(FONT))
        if rtl:
            pdf.set_text_shaping(
                use_shaping_engine=True, direction="rtl", script="arab", language="ara"
            )
        else:
            pdf.set_text_shaping(use_shaping_engine=True)
        align = "R" if rtl else "L"
        width = pdf.epw

        def text(value: str, size: int = 10, height: float = 6) -> None:
            pdf.set_font("DejaVu", size=size)
            pdf.multi_cell(width, height, value, align=align, new_x="LMARGIN", new_y="NEXT")

        text(_("Purchase order %(number)s") % {"number": order.label}, 16, 9)
        text(business.legal_name or business.name, 11)
        if business.vat_number:
            text(_("VAT number: %(number)s") % {"number": business.vat_number}, 9)
        location = order.location
        text(
            _("Deliver to: %(address)s")
            % {
                "address": ", ".join(
                    p
                    for p in (location.address, f"{location.postal_code} {location.city}".strip())
                    if p
                )
            },
            9,
        )
        if order.sent_at:
            text(_("Date: %(date)s") % {"date": order.sent_at.date().isoformat()}, 9)
        if order.expected_on:
            text(_("Expected by: %(date)s") % {"date": order.expected_on.isoformat()}, 9)
        text(_("Supplier: %(name)s") % {"name": order.supplier.name}, 9)
        pdf.ln(4)
        headings = [_("Product"), _("Pack"), _("Packs"), _("Price per pack"), _("Amount")]
        widths = [width * 0.34, width * 0.22, width * 0.1, width * 0.17, width * 0.17]
        rows = [
            [
                line.product.display_name
                + (f" ({line.offer.supplier_sku})" if line.offer.supplier_sku else ""),
                f"{line.pack_name} · {_quantity(line.pack_size)}",
                str(line.packs),
                money(line.price_amount),
                money(line.amount),
            ]
            for line in lines
        ]
        pdf.set_font("DejaVu", size=9)
        with pdf.table(
            col_widths=widths if not rtl else list(reversed(widths)),
            text_align=align,
            line_height=6,
            headings_style=FontFace(emphasis=None, fill_color=(243, 236, 240)),
        ) as table:
            for row in [headings, *rows]:
                cells = table.row()
                for value in row if not rtl else list(reversed(row)):
                    cells.cell(value)
        pdf.ln(3)
        text(_("Total before VAT: %(total)s") % {"total": money(sum(r.amount for r in lines))}, 11)
        if order.note:
            pdf.ln(2)
            text(order.note, 9)
        return bytes(pdf.output())
