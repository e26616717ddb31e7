"""Settings for the test suite.

The database is PostgreSQL when DATABASE_URL is set or a server answers on
127.0.0.1:5432, SQLite otherwise; conftest prints which one in the header.
REQUIRE_POSTGRES=1 (set by .ci/run) turns the SQLite fallback into an error.
"""

import os
import socket

from django.core.exceptions import ImproperlyConfigured


def _postgres_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


if not os.environ.get("DATABASE_URL") and _postgres_answers():
    os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/solibook"
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-the-check-0123456789")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from config.settings.base import *  # noqa: E402, F403
from config.settings.base import DATABASES, POSTGRESQL_ENGINE, REST_FRAMEWORK  # noqa: E402

if (
    os.environ.get("REQUIRE_POSTGRES") == "1"
    and DATABASES["default"]["ENGINE"] != POSTGRESQL_ENGINE
):
    raise ImproperlyConfigured(
        "REQUIRE_POSTGRES=1 but no PostgreSQL server is configured or answering."
    )

ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Hashing is not what the suite measures; argon2 stays first in production
# (a test checks base settings). MD5 keeps thousands of logins fast here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "anon": "10000/min",
        "user": "10000/min",
        "auth": "10000/min",
        "public_search": "10000/min",
        "availability": "10000/min",
        "booking": "10000/min",
        "privacy": "10000/min",
    },
}
# Security features other suites do not exercise; solibook/core/tests and
# solibook/accounts/tests turn them on with the `settings` fixture.
REQUIRE_2FA = False  # two-factor for owners and managers (on in base and prod)
AXES_ENABLED = False  # login lockout; the test client's login() passes no request
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {**LOGGING["loggers"], "solibook.request": {"level": "WARNING"}},  # noqa: F405
}
# Race tests queue many writers on one row: their waits get room here (3 s in
# production); the lock tests set 1 s themselves (api/tests/test_lock_waits.py).
DB_LOCK_TIMEOUT = 10.0
if DATABASES["default"]["ENGINE"] == POSTGRESQL_ENGINE:
    # The ledger refuses TRUNCATE (finance/0003) unless a session allows it;
    # the suite's teardown of transactional tests truncates every table.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c solibook.ledger_truncate=allow"
