import pytest
from django.db import transaction

from solibook.demo.seed import seed_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo world, seeded once per module inside a transaction that is
    rolled back at the end (each test's own `db` runs in a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo()
        transaction.set_rollback(True)
