from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from solibook.core.money import format_money
from solibook.core.text import sanitize_html

register = template.Library()


@register.simple_tag
def money(amount: int, currency: str) -> str:
    """{% money price currency %} in the page's language: 1 500,00 € / ١٥٫٠٠ ر.س."""
    if amount is None:
        return ""
    return format_money(amount, currency, get_language() or "en")


@register.filter(is_safe=True)
def rich_text(value) -> str:
    """{{ text|rich_text }}: user HTML through nh3's allow-list (core.text)."""
    return mark_safe(sanitize_html(value))  # noqa: S308 - sanitised by nh3 just above
