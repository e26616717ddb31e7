"""The ledger refuses TRUNCATE as it refuses UPDATE and DELETE (issue #17, point 9)."""

import pytest
from django.db import connection, transaction
from django.db.utils import IntegrityError


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE finance_ledgerentry",
        "TRUNCATE finance_ledgertransaction CASCADE",
    ],
)
def test_truncate_of_the_ledger_is_refused_by_the_database(sql):
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The suite's connections allow it (its teardown truncates every table).
        cursor.execute("SET LOCAL solibook.ledger_truncate = ''")
        cursor.execute(sql)


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_session_that_says_so_may_empty_the_ledger():
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL solibook.ledger_truncate = 'allow'")
        cursor.execute("TRUNCATE finance_ledgertransaction CASCADE")
        transaction.set_rollback(True)
