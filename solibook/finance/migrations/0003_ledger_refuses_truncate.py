"""The ledger refuses TRUNCATE too (0002 refuses UPDATE and DELETE, which are
row events; TRUNCATE is not). A session that really means to empty the
ledger says so first: `SET solibook.ledger_truncate = 'allow'` (the test
suite's settings do, since its teardown truncates every table)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION finance_ledger_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('solibook.ledger_truncate', true), '') = 'allow' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'ledger rows are append-only (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = '23000';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER finance_ledgerentry_no_truncate BEFORE TRUNCATE ON finance_ledgerentry
    FOR EACH STATEMENT EXECUTE FUNCTION finance_ledger_no_truncate();
CREATE TRIGGER finance_ledgertransaction_no_truncate BEFORE TRUNCATE ON finance_ledgertransaction
    FOR EACH STATEMENT EXECUTE FUNCTION finance_ledger_no_truncate();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS finance_ledgerentry_no_truncate ON finance_ledgerentry;
DROP TRIGGER IF EXISTS finance_ledgertransaction_no_truncate ON finance_ledgertransaction;
DROP FUNCTION IF EXISTS finance_ledger_no_truncate();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("finance", "0002_ledger_triggers")]

    operations = [migrations.RunPython(forward, backward)]
