"""Filters of the forecasting pages: changes and shares as percentages."""

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def signed_percent(value) -> str:
    """0.034 → "+3%", -0.1 → "−10%" (in the reader's number format)."""
    if value is None:
        return "—"
    number = round(float(value) * 100)
    sign = "+" if number > 0 else ("−" if number < 0 else "±")
    return f"{sign}{formats.number_format(abs(number))}%"


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    return f"{formats.number_format(round(float(value) * 100))}%"


@register.filter
def decimal1(value) -> str:
    if value is None:
        return "—"
    return formats.number_format(round(float(value), 1), decimal_pos=1, use_l10n=True)
