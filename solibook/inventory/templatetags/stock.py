from decimal import Decimal

from django import template
from django.utils import formats

from solibook.inventory.units import unit_label

register = template.Library()


@register.filter
def qty(value) -> str:
    """{{ quantity|qty }}: 940, 12.5 (12,5 in French), no trailing zeros."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return formats.number_format(number, use_l10n=True)


@register.filter
def unit(code: str) -> str:
    """{{ product.stock_unit|unit }}: pieces, ml, g in the page's language."""
    return unit_label(code)
