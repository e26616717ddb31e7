"""Run one attempt per thread, all released at once, for the concurrency tests
(PostgreSQL): each thread's result or exception comes back in its slot."""

import threading

from django.db import connections


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
