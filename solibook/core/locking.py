"""Bounded lock waits, in one place.

No statement waits for a lock (a row held `FOR UPDATE`, a row being
inserted under the same unique key, a parent row an insert references) for
longer than `DB_LOCK_TIMEOUT` seconds: every PostgreSQL connection starts
with that `lock_timeout` (0 turns it off), so every write path is bounded,
including ones written later. SQLite serialises writers instead and waits
its busy timeout.

A wait that runs out (PostgreSQL's 55P03 `lock_not_available`, a deadlock,
SQLite's "database is locked") is turned into `Busy` where the statement is
executed: a `Conflict` (409, code `busy`) that the API sends with a
`Retry-After` header and pages show as their usual message. `Busy` is still
an `OperationalError`, so code that already caught database errors keeps
doing so.
"""

import math
import sqlite3

from django.conf import settings
from django.db import OperationalError
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.utils.translation import gettext as _

from solibook.core.errors import Conflict

DEFAULT_LOCK_TIMEOUT = 3.0
# lock_not_available (lock_timeout, NOWAIT) and deadlock_detected: both retryable.
RETRYABLE_SQLSTATES = {"55P03", "40P01"}


def lock_timeout_seconds() -> float:
    return float(getattr(settings, "DB_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))


def retry_after_seconds() -> int:
    return max(1, math.ceil(lock_timeout_seconds()))


class Busy(Conflict, OperationalError):
    """Someone else holds what this write needs; trying again shortly will do."""

    status_code = 409
    code = "busy"

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(
            message or _("Someone else is changing this right now. Please try again in a moment."),
            **kwargs,
        )
        self.retry_after = retry_after_seconds()


def is_lock_timeout(exc: BaseException | None) -> bool:
    """Whether `exc` (or what caused it) is a lock wait that ran out."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, Busy) or getattr(exc, "sqlstate", None) in RETRYABLE_SQLSTATES:
            return True
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _busy_on_lock_timeout(execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    except Busy:
        raise
    except OperationalError as exc:
        if is_lock_timeout(exc):
            raise Busy() from exc
        raise


@receiver(connection_created, dispatch_uid="solibook.core.locking")
def bound_lock_waits(sender, connection, **kwargs) -> None:
    """Every new connection: translate lock timeouts, and (PostgreSQL) set one."""
    if _busy_on_lock_timeout not in connection.execute_wrappers:
        connection.execute_wrappers.append(_busy_on_lock_timeout)
    seconds = lock_timeout_seconds()
    if connection.vendor == "postgresql" and seconds > 0:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, false)", [f"{round(seconds * 1000)}ms"]
            )
