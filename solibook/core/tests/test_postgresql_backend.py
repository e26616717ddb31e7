"""Our PostgreSQL backend (solibook/core/postgresql/base.py): the health check
needs no round trip for a connection nobody has spoken to, and still reuses no
dead connection; `json` that SQL builds is decoded by orjson, `jsonb` still by
Django's JSONField."""

import time

import pytest
from django.db import connections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def pair():
    """Two fresh connections of their own: one checked, one acting on it."""
    checked, other = (
        connections.create_connection("default"),
        connections.create_connection("default"),
    )
    checked.ensure_connection()
    other.ensure_connection()
    with checked.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    yield checked, other, pid
    checked.close()
    other.close()


def last_statement(other, pid: int) -> str:
    with other.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row[0] if row else ""


def test_an_idle_live_connection_is_usable_without_asking_the_server(pair):
    checked, other, pid = pair
    assert checked.is_usable()
    # The server saw no statement since the last one ours sent (Django's check sends SELECT 1).
    assert last_statement(other, pid) == "SELECT pg_backend_pid()"


def test_a_connection_the_server_ended_is_not_reused(pair):
    checked, other, pid = pair
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    for _ in range(100):  # the termination reaches the socket within moments
        if not checked.is_usable():
            break
        time.sleep(0.02)
    assert not checked.is_usable()
    checked.health_check_enabled, checked.health_check_done = True, False
    checked.close_if_health_check_failed()
    assert checked.connection is None
    with checked.cursor() as cursor:  # a new connection, as the next request gets
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_something_waiting_on_the_socket_is_settled_by_asking_the_server(pair):
    checked, other, pid = pair
    with checked.cursor() as cursor:
        cursor.execute("LISTEN solibook_health_check_test")
    with other.cursor() as cursor:
        cursor.execute("NOTIFY solibook_health_check_test")
    time.sleep(0.2)  # the notification reaches the listener's socket
    assert checked.is_usable()
    assert last_statement(other, pid) == "SELECT 1"


def test_json_built_in_sql_is_decoded_and_jsonb_is_left_to_django():
    from solibook.core.postgresql.base import _JsonLoader
    from solibook.marketplace.models import FreeTime
    from solibook.testing.factories import LocationFactory

    connection = connections["default"]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT json_build_array(1, 'é', json_build_object('k', 2.5)), '{"a": [1]}'::jsonb"""
        )
        built, stored = cursor.fetchone()
    assert built == [1, "é", {"k": 2.5}]
    assert isinstance(connection.connection.adapters.get_loader(114, 0)(114), _JsonLoader)
    # jsonb arrives as text, as Django's backend registers it: JSONField decodes it.
    assert stored == '{"a": [1]}'
    location = LocationFactory()
    FreeTime.objects.create(
        location=location,
        business=location.business,
        day="2030-06-04",
        subject="open",
        free=[[1, 2]],
    )
    assert FreeTime.objects.get(location=location).free == [[1, 2]]
