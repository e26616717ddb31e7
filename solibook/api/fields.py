"""Serializer fields and checks that every area's API shares."""

from datetime import UTC

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from solibook.core.ids import MAX_DB_ID


class IdField(serializers.IntegerField):
    """A row's id in a body or a query: an integer in 1 .. 2**63 - 1 (the
    schema says so: int64, minimum 1). A larger number would overflow the
    database's bigint; the view answers 400 instead of 500."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_DB_ID)
        super().__init__(**kwargs)


@extend_schema_field(
    {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "09:00"}
)
class WallClockField(serializers.TimeField):
    """A local wall-clock time written "HH:MM" both ways (OpenAPI's "time"
    format would demand seconds and an offset)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M"], **kwargs)


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 instant that must carry its UTC offset; stored and shown in UTC.

    DRF would read a naive time in the server's zone, which is nobody's wall
    clock here, so a missing offset is refused instead.
    """

    default_error_messages = {
        "naive": gettext_lazy("Give the time with its UTC offset, e.g. 2026-05-04T09:00:00+02:00."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None  # the parent reports the format
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
        return super().to_internal_value(value)
