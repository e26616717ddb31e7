"""The production cache path, as the README's production table documents it:
`CACHE_URL=redis://…` (issue #17, point 8; docs/security.md).

The cache is built exactly as config/settings/base.py builds it
(`env.cache_url("CACHE_URL")`), against the Redis on 127.0.0.1:6379, in a
database of its own that each test empties. CI has that Redis (.ci/run sets
REQUIRE_REDIS=1, so there a missing server fails instead of skipping); on a
machine with none answering, these tests are skipped with the reason shown.
"""

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.test import override_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from config.env import env
from solibook.testing.factories import TEST_PASSWORD, UserFactory

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = 13  # this suite's own database number; flushed around each test
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
ROOT = Path(__file__).resolve().parents[3]


def _redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


if os.environ.get("REQUIRE_REDIS") == "1" and not _redis_answers():
    raise RuntimeError(f"REQUIRE_REDIS=1 but no Redis answers on {REDIS_HOST}:{REDIS_PORT}.")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not _redis_answers(),
        reason=f"no Redis answers on {REDIS_HOST}:{REDIS_PORT} (CI has one; start redis-server to run these)",
    ),
]


def production_caches(monkeypatch) -> dict:
    """CACHES as config/settings/base.py builds it when CACHE_URL is set."""
    monkeypatch.setenv("CACHE_URL", REDIS_URL)
    return {"default": env.cache_url("CACHE_URL", default="locmemcache://solibook")}


@pytest.fixture
def redis_cache(monkeypatch):
    import redis

    raw = redis.Redis.from_url(REDIS_URL)
    raw.flushdb()
    with override_settings(CACHES=production_caches(monkeypatch)):
        yield raw
    caches["default"].close()
    raw.flushdb()
    raw.close()


def test_the_documented_cache_url_is_django_redis_cache_and_works(redis_cache):
    assert caches["default"].__class__.__module__ == "django.core.cache.backends.redis"
    cache.set("solibook:probe", {"a": 1}, 30)
    assert cache.get("solibook:probe") == {"a": 1}
    assert cache.add("solibook:probe", "other") is False
    cache.set("solibook:counter", 1, 30)
    assert cache.incr("solibook:counter") == 2
    assert redis_cache.dbsize() >= 2  # really in Redis, in this suite's database
    cache.delete("solibook:probe")
    assert cache.get("solibook:probe") is None


def _hit_from_another_process(scope: str, rate: str, times: int) -> list[bool]:
    """Another Python process, configured by CACHE_URL alone (the production
    settings path), spends `times` requests of an anonymous client's `scope`."""
    script = textwrap.dedent(
        f"""
        import django
        django.setup()
        from django.conf import settings
        from django.test import RequestFactory
        from rest_framework.request import Request
        from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle
        assert settings.CACHES["default"]["LOCATION"] == {REDIS_URL!r}, settings.CACHES
        SimpleRateThrottle.THROTTLE_RATES[{scope!r}] = {rate!r}
        class View:
            throttle_scope = {scope!r}
        request = Request(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1"))
        print([ScopedRateThrottle().allow_request(request, View()) for _ in range({times})])
        """
    )
    environment = {
        **os.environ,
        "CACHE_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return eval(done.stdout.strip().splitlines()[-1])  # noqa: S307 - our own script's list


@pytest.mark.django_db
def test_throttling_counts_across_clients_and_processes_and_answers_429(
    redis_cache, salon, monkeypatch
):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "availability", "4/min")
    path = (
        f"/api/v1/locations/{salon.location.pk}/availability/"
        f"?service={salon.cut.pk}&date=2030-06-03"
    )
    first, second = APIClient(), APIClient()  # two clients behind one address
    assert first.get(path).status_code == 200
    assert second.get(path).status_code == 200
    # A second web process sharing the Redis spends the rest of the minute's budget.
    assert _hit_from_another_process("availability", "4/min", 3) == [True, True, False]
    response = first.get(path)
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "throttled" and "seconds" in error["message"]
    assert int(response["Retry-After"]) > 0
    assert any(key.startswith(b":1:throttle_availability_") for key in redis_cache.scan_iter())


@pytest.mark.django_db
def test_login_throttle_and_lockout_work_on_redis(redis_cache, settings, monkeypatch):
    settings.AXES_ENABLED = True
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "auth", "8/min")
    user = UserFactory()
    client = APIClient()
    for _ in range(5):
        response = client.post("/api/v1/auth/token/", {"email": user.email, "password": "nope"})
        assert response.status_code in (401, 429)
    locked = client.post("/api/v1/auth/token/", {"email": user.email, "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert locked.json()["error"]["message"].startswith("Too many failed")
    # The `auth` scope's budget (8 a minute) is kept in Redis: the next ones are throttled.
    statuses = [
        client.post("/api/v1/auth/token/", {"email": "x@example.test", "password": "y"}).status_code
        for _ in range(3)
    ]
    assert statuses[-1] == 429 and 500 not in statuses
    assert any(key.startswith(b":1:throttle_auth_") for key in redis_cache.scan_iter())
