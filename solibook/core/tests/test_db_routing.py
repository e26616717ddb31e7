"""The marketplace's public reads go to the read replica, everything else and
every write to the primary (solibook.core.dbrouting, DATABASE_REPLICA_URL).

The replica here is a second PostgreSQL database on the same server, made as a
copy of the test database (CREATE DATABASE ... TEMPLATE). The copy is then
changed on purpose (the salon's name), so a page shows which one it read.
"""

import psycopg
import pytest
from django.db import connections
from django_scopes import scopes_disabled

from solibook.catalog.models import Business
from solibook.core.dbrouting import REPLICA, ReplicaRouter, replica_reads
from solibook.marketplace.index import business_refresh
from solibook.testing.salon import MONDAY, NOW

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ON_REPLICA = "Copy Kept On The Replica"


def _admin_url(db: dict) -> str:
    return (
        f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/postgres"
    )


@pytest.fixture
def replica(salon, settings):
    """The salon listed on the primary, then copied to the replica, whose copy of
    the salon's name differs; the router and middleware on, as DATABASE_REPLICA_URL does."""
    with scopes_disabled():
        business_refresh(salon.business.pk, start=MONDAY, days=3, now=NOW)
    primary = connections["default"].settings_dict
    name = f"{primary['NAME']}_replica"
    admin = _admin_url(primary)
    connections.close_all()  # the template must have no session open
    with psycopg.connect(admin, autocommit=True) as conn:
        # A connection another thread of an earlier test left open (close_all only
        # closes this thread's) would refuse the copy: end it, the test database is ours.
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [primary["NAME"]],
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{primary["NAME"]}"')
    connections.settings[REPLICA] = {**primary, "NAME": name}
    # Connected here: the test case refuses to open connections to aliases it was not
    # told of, and this one is added after it started (an open one it leaves alone).
    connections[REPLICA].connect()
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_business SET name = %s WHERE id = %s", [ON_REPLICA, salon.business.pk]
        )
    settings.DATABASE_ROUTERS = ["solibook.core.dbrouting.ReplicaRouter"]
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:-1],
        "solibook.core.dbrouting.ReplicaReadsMiddleware",
        settings.MIDDLEWARE[-1],
    ]
    try:
        yield salon
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def names(pk: int) -> tuple[str, str]:
    found = []
    for alias in ("default", REPLICA):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT name FROM catalog_business WHERE id = %s", [pk])
            found.append(cursor.fetchone()[0])
    return found[0], found[1]


def test_the_salon_page_and_search_read_the_replica(client, replica):
    primary_name = replica.business.name
    page = client.get(f"/en/salons/{replica.business.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert ON_REPLICA in html and primary_name not in html
    api = client.get(f"/api/v1/marketplace/salons/{replica.business.slug}/")
    if api.status_code == 200:  # the public API's salon, where it exists
        assert ON_REPLICA in api.content.decode()


def test_reads_elsewhere_and_writes_stay_on_the_primary(client, replica):
    pk = replica.business.pk
    primary_name = replica.business.name
    with scopes_disabled():
        assert Business.objects.get(pk=pk).name == primary_name  # outside a marketplace view
        with replica_reads():
            business = Business.objects.get(pk=pk)
            assert business.name == ON_REPLICA  # read from the replica...
            business.name = "Renamed By The Owner"
            business.save(update_fields=["name"])  # ...written to the primary
    assert names(pk) == ("Renamed By The Owner", ON_REPLICA)
    # A back-office page reads the primary even for the same tables.
    assert ReplicaRouter().db_for_write(Business) == "default"


def test_unsafe_methods_on_marketplace_routes_read_the_primary(client, replica, settings):
    with scopes_disabled():
        with replica_reads():
            assert Business.objects.filter(name=ON_REPLICA).exists()
        assert not Business.objects.filter(name=ON_REPLICA).exists()
    # Sessions and users are never read from the replica, even on a marketplace page.
    router = ReplicaRouter()
    from django.contrib.sessions.models import Session

    with replica_reads():
        assert router.db_for_read(Session) is None
        assert router.db_for_read(Business) == REPLICA
