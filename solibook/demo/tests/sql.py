"""Queries the demo tests share."""

from django.db import connection


def overlapping_active_segments() -> int:
    """Pairs of active segments of one master, or one resource unit, that overlap
    (as `booking/tests/test_concurrency.py` counts them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM booking_bookingsegment a JOIN booking_bookingsegment b
               ON a.id < b.id AND a.is_active AND b.is_active AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
               AND ((a.master_id = b.master_id) OR (a.resource_id = b.resource_id AND a.unit = b.unit))"""
        )
        return cursor.fetchone()[0]
