"""User text: escaped by default (Django templates), sanitised where HTML is allowed.

Reviews, salon descriptions and notes are plain text: templates escape them
and `|linebreaksbr` is enough. Where a feature accepts formatting (a salon's
rich description, a reply), store what `sanitize_html` returns and render it
with `|safe` only then; or call `{{ text|rich_text }}` (core template tag) at
render time.
"""

import nh3

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "a", "h3", "h4"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = frozenset({"https", "http", "mailto", "tel"})
MAX_LENGTH = 20_000


def sanitize_html(value: str | None) -> str:
    """Keep a small set of formatting tags; drop scripts, styles, event
    handlers, javascript: URLs and anything else. Links get rel=noopener."""
    if not value:
        return ""
    return nh3.clean(
        str(value)[:MAX_LENGTH],
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_text(value: str | None) -> str:
    """Every tag removed (for previews, e-mails, SMS)."""
    if not value:
        return ""
    return nh3.clean(str(value)[:MAX_LENGTH], tags=set(), strip_comments=True)
