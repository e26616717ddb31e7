"""JSON request bodies, within limits.

DRF's stock parser reads a body of any size and lets Python's recursive JSON
decoder meet a body nested thousands of levels deep: a `RecursionError`, so a
500, from one anonymous request. This one refuses, with a 400 in the one error
format, before decoding:

- a body larger than `API_MAX_BODY_BYTES` (code `too_large`);
- a body nested deeper than `API_MAX_JSON_DEPTH` arrays/objects (code
  `too_deep`), measured by a linear scan of the brackets outside strings,
  without recursion, and only then handed to `json.loads`;
- text that is not valid in the request's charset, or not JSON (`parse_error`).
"""

import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_MAX_JSON_DEPTH = 64

# A JSON string, escapes included (unrolled: no backtracking blow-up).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def max_body_bytes() -> int:
    return int(getattr(settings, "API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def max_json_depth() -> int:
    return int(getattr(settings, "API_MAX_JSON_DEPTH", DEFAULT_MAX_JSON_DEPTH))


def json_depth_within(text: str, limit: int) -> bool:
    """Whether no array/object in `text` is nested deeper than `limit`.

    Brackets inside strings do not count. Malformed text is judged on its
    brackets only; the decoder refuses it afterwards anyway."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            if depth > limit:
                return False
        else:
            depth -= 1
    return True


def too_large_error() -> ParseError:
    return ParseError(
        _("The request body is too large (at most %(limit)s bytes).") % {"limit": max_body_bytes()},
        code="too_large",
    )


def too_deep_error() -> ParseError:
    return ParseError(
        _("The request body is nested too deeply (at most %(limit)s levels).")
        % {"limit": max_json_depth()},
        code="too_deep",
    )


def _declared_length(parser_context: dict) -> int:
    request = parser_context.get("request")
    meta = getattr(request, "META", None) or {}
    try:
        return int(meta.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return 0


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a size and a nesting limit (see the module)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = max_body_bytes()
        if _declared_length(parser_context) > limit:
            raise too_large_error()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise too_large_error()
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(
                _("The request body is not valid %(charset)s text.") % {"charset": encoding}
            ) from None
        if not json_depth_within(text, max_json_depth()):
            raise too_deep_error()
        try:
            parse_constant = json.strict_constant if self.strict else None
            return json.loads(text, parse_constant=parse_constant)
        except RecursionError:  # a limit set above what the interpreter allows
            raise too_deep_error() from None
        except ValueError as exc:
            lineno, colno = getattr(exc, "lineno", None), getattr(exc, "colno", None)
            if lineno is None:
                message = _("The request body is not valid JSON.")
            else:
                message = _(
                    "The request body is not valid JSON (line %(line)s, column %(column)s)."
                ) % {"line": lineno, "column": colno}
            raise ParseError(message) from None
