"""Run one attempt per thread, all released at once, for the concurrency tests
(PostgreSQL): each thread's result or exception comes back in its slot."""

import threading
import time
from contextlib import contextmanager

from django.db import connections, transaction
from django_scopes import scopes_disabled


def race(n: int, attempt) -> list:
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        barrier.wait()
        try:
            results[i] = attempt(i)
        except Exception as exc:  # collected for the test to assert on
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def outcome(result):
    """A `race` result as a test compares it: what the attempt returned, the code of
    a refusal (`DomainError.code`, e.g. "insufficient_points"), or any other exception."""
    from solibook.core.errors import DomainError

    return result.code if isinstance(result, DomainError) else result


@contextmanager
def held_lock(what, *, hold_at_most: float = 15.0):
    """Hold `SELECT ... FOR UPDATE` on the rows of `what` (a queryset) from
    another connection (a thread, as psql would) while the block runs; or run
    `what()` there and keep its transaction open (an insert in flight, say).
    The lock goes after the block or after `hold_at_most` seconds, so code
    that waits without limit makes a test fail on time instead of hanging."""
    locked, release, failed = threading.Event(), threading.Event(), []

    def hold():
        try:
            with scopes_disabled(), transaction.atomic():
                if callable(what):
                    what()
                else:
                    list(what.select_for_update().values_list("pk", flat=True))
                locked.set()
                release.wait(hold_at_most)
                transaction.set_rollback(True)  # leaves nothing behind
        except Exception as exc:  # re-raised in the test's thread
            failed.append(exc)
        finally:
            locked.set()
            connections.close_all()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    locked.wait(30)
    if failed:
        raise failed[0]
    try:
        yield
    finally:
        release.set()
        thread.join(30)


@contextmanager
def stopwatch():
    """`with stopwatch() as took: ...; took()` is the block's seconds."""
    started, ended = time.monotonic(), []
    yield lambda: (ended[0] if ended else time.monotonic()) - started
    ended.append(time.monotonic())
