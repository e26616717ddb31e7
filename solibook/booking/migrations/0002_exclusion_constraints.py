"""No double booking, enforced by PostgreSQL itself.

Two active segments of one master, or of one resource unit, may not overlap.
Ranges are half-open [starts_at, ends_at), so back-to-back visits are fine.
SQLite has no exclusion constraints: there the booking service serialises
writers with IMMEDIATE transactions and re-checks under that lock.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE booking_bookingsegment ADD CONSTRAINT segment_no_master_overlap
       EXCLUDE USING gist (master_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
       WHERE (is_active AND master_id IS NOT NULL)""",
    """ALTER TABLE booking_bookingsegment ADD CONSTRAINT segment_no_unit_overlap
       EXCLUDE USING gist (resource_id WITH =, unit WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
       WHERE (is_active AND resource_id IS NOT NULL)""",
]
BACKWARD = [
    "ALTER TABLE booking_bookingsegment DROP CONSTRAINT IF EXISTS segment_no_unit_overlap",
    "ALTER TABLE booking_bookingsegment DROP CONSTRAINT IF EXISTS segment_no_master_overlap",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
