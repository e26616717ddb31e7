"""PostgreSQL holds the ledger's two rules itself:
- rows of the ledger tables are never updated or deleted (TRUNCATE, used by
  test teardown, is not a row event);
- at commit, every transaction's entries sum to zero per currency (a
  deferred constraint trigger)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION finance_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are append-only (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = '23000';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER finance_ledgerentry_append_only BEFORE UPDATE OR DELETE ON finance_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION finance_ledger_append_only();
CREATE TRIGGER finance_ledgertransaction_append_only BEFORE UPDATE OR DELETE ON finance_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION finance_ledger_append_only();

CREATE OR REPLACE FUNCTION finance_ledger_balanced() RETURNS trigger AS $$
DECLARE bad text;
BEGIN
    SELECT currency INTO bad FROM finance_ledgerentry WHERE transaction_id = NEW.transaction_id
        GROUP BY currency HAVING SUM(amount) <> 0 LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'ledger transaction % does not balance in %', NEW.transaction_id, bad USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER finance_ledgerentry_balanced AFTER INSERT ON finance_ledgerentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finance_ledger_balanced();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS finance_ledgerentry_balanced ON finance_ledgerentry;
DROP TRIGGER IF EXISTS finance_ledgerentry_append_only ON finance_ledgerentry;
DROP TRIGGER IF EXISTS finance_ledgertransaction_append_only ON finance_ledgertransaction;
DROP FUNCTION IF EXISTS finance_ledger_balanced();
DROP FUNCTION IF EXISTS finance_ledger_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
