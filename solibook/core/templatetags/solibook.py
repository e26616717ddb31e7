from django import template
from django.utils.translation import get_language

from solibook.core.money import format_money

register = template.Library()


@register.simple_tag
def money(amount: int, currency: str) -> str:
    """{% money price currency %} in the page's language: 1 500,00 € / ١٥٫٠٠ ر.س."""
    if amount is None:
        return ""
    return format_money(amount, currency, get_language() or "en")
