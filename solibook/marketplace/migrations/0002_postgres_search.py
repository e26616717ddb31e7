"""PostgreSQL only: pg_trgm and unaccent, a trigram index and a full-text
index on the listings' normalised text. SQLite searches with LIKE instead."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE INDEX IF NOT EXISTS mkt_salon_search_trgm ON marketplace_salonlisting USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS mkt_salon_search_fts ON marketplace_salonlisting USING gin (to_tsvector('simple', search_text))",
]
BACKWARD = ["DROP INDEX IF EXISTS mkt_salon_search_fts", "DROP INDEX IF EXISTS mkt_salon_search_trgm"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
