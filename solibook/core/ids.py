"""Database ids: what one looks like, in a URL, a query string or a form.

Every table's primary key is a PostgreSQL ``bigint`` counted from 1, so an id
is an integer in ``1 .. 2**63 - 1``. A larger number would not even reach the
database (it overflows the parameter); a smaller one names nothing. Routes
take ``<id:name>`` (``IdConverter``: anything else is a 404), the API's
serializers take ``solibook.api.fields.IdField``, and an id that arrives any
other way (a query string, a hidden input, a JSON value read by hand) goes
through ``as_db_id`` or ``is_db_id`` once.
"""

import re

MAX_DB_ID = 2**63 - 1

_DIGITS = re.compile(r"[1-9][0-9]{0,18}")


def as_db_id(value) -> int | None:
    """The id `value` names (an int, or a string of ASCII digits), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_DB_ID else None
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
        return number if number <= MAX_DB_ID else None
    return None


def is_db_id(value) -> bool:
    """True when `value` (an int or a string of ASCII digits) can be a row's id."""
    return as_db_id(value) is not None


class IdConverter:
    """``<id:name>`` in a route: a row's id, an ``int``. Zero, leading zeros,
    signs and numbers past ``2**63 - 1`` do not match, so Django answers 404."""

    regex = _DIGITS.pattern

    def to_python(self, value: str) -> int:
        number = as_db_id(value)
        if number is None:
            raise ValueError("not a database id")
        return number

    def to_url(self, value) -> str:
        return str(value)
