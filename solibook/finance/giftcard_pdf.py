"""The gift card as a PDF (A6, landscape), in the recipient's language, with
the same embedded font and shaping as the receipts (`finance.receipts`). Made
only with the full code in hand: the sale page and the message to the recipient."""

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from solibook.core.money import format_money
from solibook.finance.models import GiftCard
from solibook.finance.receipts import FONT, RTL


def gift_card_pdf(card: GiftCard, code: str, *, language: str = "en") -> bytes:
    business = card.business
    with translation.override(language):
        rtl = language in RTL
        pdf = FPDF(orientation="L", format=(105, 148))  # A6 landscape, millimetres
        pdf.set_auto_page_break(auto=False)
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

        def line(text: str, size: int = 11, height: float = 7, centre: bool = False) -> None:
            pdf.set_font("DejaVu", size=size)
            pdf.multi_cell(
                width, height, text, align="C" if centre else align, new_x="LMARGIN", new_y="NEXT"
            )

        pdf.set_draw_color(122, 46, 90)
        pdf.rect(5, 5, 138, 95)
        pdf.set_y(12)
        line(business.name, 16, 9)
        line(_("Gift card"), 12)
        pdf.ln(3)
        line(format_money(card.balance, card.currency, language), 22, 11, centre=True)
        pdf.ln(2)
        line(_("Code"), 9, 5, centre=True)
        # The code is Latin letters and digits whatever the language: left to right.
        pdf.set_text_shaping(use_shaping_engine=True)
        line(code, 18, 10, centre=True)
        if rtl:
            pdf.set_text_shaping(
                use_shaping_engine=True, direction="rtl", script="arab", language="ara"
            )
        pdf.ln(3)
        if card.recipient_name:
            line(_("For %(name)s") % {"name": card.recipient_name}, 10, 6)
        line(
            _("Valid until %(date)s. Give the code at the till to pay with it.")
            % {"date": card.expires_at.date().isoformat()},
            9,
            5,
        )
        return bytes(pdf.output())
