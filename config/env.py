"""Reading settings from the environment.

One place decides how a variable is parsed, so that a production deployment
fails at start-up when something vital is missing instead of running with a
default meant for a laptop.
"""

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

# The key `make run` and the tests use. It is public, so a process with DEBUG
# off refuses to start with it.
INSECURE_DEV_SECRET = "insecure-solibook-dev-key-never-use-in-production"  # noqa: S105


def require_production_safety(*, debug: bool, secret_key: str, allowed_hosts: list[str]) -> None:
    """Refuse to run without a real secret and host list unless DEBUG is on."""
    if debug:
        return
    if not secret_key or secret_key == INSECURE_DEV_SECRET or len(secret_key) < 32:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 32 characters when DEBUG is off."
        )
    if not allowed_hosts:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")


# Names that reach only this machine: the demo inbox shows every message sent
# (codes, links), so it is served only where no one else can ask for it.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", "testserver"}


def require_local_demo_inbox(*, demo_inbox: bool, allowed_hosts: list[str]) -> None:
    """Refuse the demo inbox (SOLIBOOK_DEMO=1) unless every allowed host is this machine."""
    if not demo_inbox:
        return
    foreign = [
        host
        for host in allowed_hosts
        if host.lower() not in LOCAL_HOSTS and not host.lower().rstrip(".").endswith(".localhost")
    ]
    if foreign or not allowed_hosts:
        raise ImproperlyConfigured(
            "SOLIBOOK_DEMO=1 (the demo inbox shows every message sent) needs ALLOWED_HOSTS "
            f"naming only this machine (localhost, 127.0.0.1, ::1); found {foreign or '[]'}. "
            "Set SOLIBOOK_DEMO=0 to serve other hosts."
        )
