"""`{{ payment.tender|tender_label }}`: a way of paying as people read it, never its code."""

from django import template

from solibook.finance import selectors

register = template.Library()


@register.filter
def tender_label(code: str) -> str:
    return selectors.tender_label(code)
