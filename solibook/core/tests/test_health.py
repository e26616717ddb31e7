"""/livez, /readyz and the older /healthz (solibook.core.health, docs/deploy.md)."""

import socket

import pytest
from django.db import connection, connections

from solibook.core import health


@pytest.fixture(autouse=True)
def _check_migrations_each_time():
    health.forget()
    yield
    health.forget()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_livez_answers_without_touching_anything(client):
    # No database access is allowed in this test: livez must not need one.
    response = client.get("/livez")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_with_the_database_migrated(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_readyz_refuses_while_a_migration_is_unapplied(client, db):
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'core' AND name = "
            "(SELECT max(name) FROM django_migrations WHERE app = 'core') RETURNING name"
        )
        (name,) = cursor.fetchone()
    response = client.get("/readyz")
    assert response.status_code == 503
    reason = response.json()["reasons"]["database:default"]
    assert "unapplied migration(s)" in reason and f"core.{name}" in reason
    assert client.get("/healthz").status_code == 200  # the older probe checks the connection only


@pytest.mark.postgres
def test_readyz_refuses_when_the_database_is_unreachable(client, django_db_blocker):
    original = connections["default"]
    dead = original.__class__(
        {**original.settings_dict, "HOST": "127.0.0.1", "PORT": closed_port()}, "default"
    )
    with django_db_blocker.unblock():
        connections["default"] = dead
        try:
            ready = client.get("/readyz")
            old = client.get("/healthz")
        finally:
            dead.close()
            connections["default"] = original
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "unavailable",
        "reasons": {"database:default": "unreachable (OperationalError)"},
    }
    assert old.status_code == 503
    assert client.get("/livez").status_code == 200  # alive all the same: no restart for this


def test_readyz_refuses_when_the_shared_cache_is_unreachable(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reasons"]["cache:default"] == "unreachable (ConnectionError)"


def test_probes_answer_only_safe_methods(client, db):
    assert client.post("/readyz").status_code == 405
    assert client.post("/livez").status_code == 405
