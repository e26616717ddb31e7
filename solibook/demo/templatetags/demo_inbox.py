"""The demo inbox shows a message's text with its links clickable and its
one-time codes picked out."""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

URL = re.compile(r"(https?://[^\s<>\"']+)")
CODE = re.compile(r"(?<![\d+])\d{6}(?!\d)")  # the six-digit codes; not inside a phone number
TRAILING = ".,;:!?)»"


def _link(url: str) -> str:
    trail = ""
    while url and url[-1] in TRAILING:
        url, trail = url[:-1], url[-1] + trail
    return format_html('<a href="{}" rel="noopener">{}</a>', url, url) + escape(trail)


@register.filter
def inbox_text(text: str) -> SafeString:
    parts = []
    for i, piece in enumerate(URL.split(text or "")):
        if i % 2:
            parts.append(_link(piece))
        else:
            marked = CODE.sub(r'<strong class="inbox-code">\g<0></strong>', escape(piece))
            parts.append(marked.replace("\n", "<br>"))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above
