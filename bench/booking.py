#!/usr/bin/env python
"""Booking throughput over HTTP (issue #24, point 1): 32 clients booking
through `POST /api/v1/appointments/` on a granian server, on one hot slot and
on spread slots; double bookings counted in SQL afterwards.

The clients run in their own process (`python bench/booking.py clients`,
fed its jobs on stdin): a load generator sharing the bench's interpreter would
take the GIL and CPU the bench measures with. Each client keeps one keep-alive
connection, as an app would.

`python bench/run.py --only booking` (or `python bench/booking.py`) builds the
bench salon and runs this part alone, printing its figures as JSON; `make bench`
runs it as step 4 of bench/run.py.
"""

import http.client
import json
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 32


# --- the load generator (its own process; no Django here) ----------------------


def _clients_main() -> None:
    """Read {host, port, tokens, jobs: [[body, ...] per client]} on stdin, run one
    thread per client on its own keep-alive connection, print the outcome."""
    spec = json.load(sys.stdin)
    host, port, tokens, jobs = spec["host"], spec["port"], spec["tokens"], spec["jobs"]
    results: list[tuple[int, float]] = []
    lock = threading.Lock()
    gate = threading.Barrier(len(jobs) + 1)

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {tokens[i]}"}
        gate.wait()
        for body in jobs[i]:
            started = time.perf_counter()
            conn.request("POST", "/api/v1/appointments/", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                results.append((response.status, elapsed))
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    gate.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies = sorted(ms for _s, ms in results)
    created = sum(1 for s, _ms in results if s == 201)
    statuses: dict[str, int] = {}
    for s, _ms in results:
        statuses[str(s)] = statuses.get(str(s), 0) + 1
    json.dump(
        {
            "requests": len(results),
            "created": created,
            "conflicts": sum(1 for s, _ in results if s == 409),
            "errors": sum(1 for s, _ in results if s not in (201, 409)),
            "statuses": statuses,
            "seconds": round(elapsed, 2),
            "requests_per_s": round(len(results) / elapsed, 1),
            "bookings_per_s": round(created / elapsed, 1),
            "p50_ms": round(latencies[len(latencies) // 2], 1),
            "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))], 1),
        },
        sys.stdout,
    )


def _run_clients(base: str, tokens: list[str], jobs: list[list[str]]) -> dict:
    host, port = base.removeprefix("http://").split(":")
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "clients"],
        input=json.dumps({"host": host, "port": int(port), "tokens": tokens, "jobs": jobs}),
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    return json.loads(done.stdout)


# --- the bench side (Django set up by the caller) -------------------------------


def with_listing(location) -> None:
    """A marketplace salon has its listing and free-time summary, which every
    booking there keeps current."""
    from django_scopes import scopes_disabled  # noqa: PLC0415

    from solibook.marketplace.index import refresh_locations  # noqa: PLC0415

    with scopes_disabled():
        location.business.refresh_from_db()
        refresh_locations([location], days=7)


def run(business, location, service, masters, *, start) -> dict:
    """Hot slot, then spread slots; `start` is the bench's first measured day."""
    import urllib.request  # noqa: PLC0415

    from django.db import connection  # noqa: PLC0415

    from bench.run import granian_server  # noqa: PLC0415
    from solibook.accounts.models import User  # noqa: PLC0415

    with_listing(location)
    users = User.objects.bulk_create(
        [User(email=f"bench{i}@example.test", full_name=f"Bench {i}") for i in range(CLIENTS)]
    )
    for user in users:
        user.set_password("bench-password-123")
    User.objects.bulk_update(users, ["password"])

    def body(when: datetime, master_id: int) -> str:
        return json.dumps(
            {
                "location_id": location.pk,
                "items": [{"service_id": service.pk, "master_id": master_id}],
                "start": when.isoformat(),
                "source": "marketplace",
            }
        )

    out: dict = {}
    with granian_server() as base:
        tokens = []
        for user in users:
            request = urllib.request.Request(
                f"{base}/api/v1/auth/token/",
                data=json.dumps({"email": user.email, "password": "bench-password-123"}).encode(),
                headers={"Content-Type": "application/json"},
            )
            tokens.append(json.load(urllib.request.urlopen(request, timeout=30))["access"])  # noqa: S310
        # Warm-up: each worker's first requests import and compile what the
        # booking path needs; one booking per client on days nobody measures.
        warm_day = start + timedelta(days=40)
        _run_clients(
            base,
            tokens,
            [
                [
                    body(
                        datetime(warm_day.year, warm_day.month, warm_day.day, 7, tzinfo=UTC)
                        + timedelta(days=i // 10),
                        masters[i % 10].pk,
                    )
                ]
                for i in range(CLIENTS)
            ],
        )
        # Hot slot: 32 clients x 5 rounds, every round all on one new slot.
        hot_day = start + timedelta(days=60)
        out["hot_slot"] = _run_clients(
            base,
            tokens,
            [
                [
                    body(
                        datetime(hot_day.year, hot_day.month, hot_day.day, 7 + r, tzinfo=UTC),
                        masters[0].pk,
                    )
                    for r in range(5)
                ]
                for _ in range(CLIENTS)
            ],
        )
        # Spread: every client books its own free hours (distinct master/day/hour),
        # and at any moment the 32 clients are on different masters and days, as
        # bookings spread over a marketplace are (client i's k-th booking:
        # master (i + k) mod 10, day i mod 7 + 7 * (k // 10), hour from i and k).
        spread = []
        for i in range(CLIENTS):
            jobs = []
            for k in range(20):
                day = start + timedelta(days=90 + i % 7 + 7 * (k // 10))
                hour = 7 + (i // 7 + 5 * (k % 2)) % 10
                when = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
                jobs.append(body(when, masters[(i + k) % 10].pk))
            spread.append(jobs)
        out["spread_slots"] = _run_clients(base, tokens, spread)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM booking_bookingsegment a JOIN booking_bookingsegment b ON a.id < b.id AND a.is_active AND b.is_active "
            "AND a.master_id = b.master_id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"
        )
        out["double_bookings"] = cursor.fetchone()[0]
    return out


def profile(location, service, masters, *, start, count: int = 60) -> dict:
    """One booking end to end in-process (Django's test client, the real
    middleware and view, no network): queries per booking, ms in SQL and in
    Python, CPU ms per booking (the process's own, so a busy machine's waits
    do not count) and its shares by part of the path; the last bookings'
    cProfile (CPU time) and the last one's queries in the temp dir."""
    import cProfile  # noqa: PLC0415
    import pstats  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415
    from rest_framework_simplejwt.tokens import AccessToken  # noqa: PLC0415

    from solibook.accounts.models import User  # noqa: PLC0415

    user = User.objects.create(email="profile@example.test", full_name="Profile")
    client = Client(
        SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}"
    )

    def book(n: int, master: int | None = None) -> tuple[int, float, list]:
        day = start + timedelta(days=200 + n // 10)
        when = datetime(day.year, day.month, day.day, 9 + n % 10, tzinfo=ZoneInfo("Europe/Paris"))
        body = {
            "location_id": location.pk,
            "items": [{"service_id": service.pk, "master_id": master or masters[n % 10].pk}],
            "start": when.isoformat(),
        }
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.post("/api/v1/appointments/", body, content_type="application/json")
            took = (time.perf_counter() - began) * 1000
        return response.status_code, took, queries.captured_queries

    for n in range(10):  # warm up
        book(n)
    walls, sqls, counts, cpus = [], [], [], []
    profiler = cProfile.Profile(time.process_time)
    for n in range(10, 10 + count):
        profiled = n >= 10 + count // 2
        if profiled:
            profiler.enable()
        cpu_began = time.process_time()
        status, took, queries = book(n)
        profiler.disable()
        if not profiled:  # the profiler's own cost is not the booking's
            cpus.append((time.process_time() - cpu_began) * 1000)
        assert status == 201, status
        walls.append(took)
        sqls.append(sum(float(q["time"]) for q in queries) * 1000)
        counts.append(len(queries))
    # The hot slot's loser: the same master and time again.
    conflict = [book(10 + i, masters[i % 10].pk) for i in range(10)]
    out = Path(tempfile.gettempdir())
    profiler.dump_stats(out / "booking.prof")  # read with: python -m pstats
    with (out / "booking.queries.txt").open("w") as f:
        for q in queries:  # the last booking's
            f.write(f"{float(q['time']) * 1000:7.2f} ms  {q['sql'][:300]}\n")
    median = lambda xs: sorted(xs)[len(xs) // 2]  # noqa: E731
    return {
        "bookings": count,
        "ms_per_booking": round(median(walls), 2),
        "ms_sql": round(median(sqls), 2),
        "ms_python": round(median([w - q for w, q in zip(walls, sqls, strict=True)]), 2),
        "cpu_ms_per_booking": round(median(cpus), 2),
        "cpu_share": _cpu_shares(pstats.Stats(profiler)),
        "queries_per_booking": median(counts),
        "conflict": {
            "status": conflict[0][0],
            "ms": round(median([c[1] for c in conflict]), 2),
            "queries": median([len(c[2]) for c in conflict]),
        },
    }


# Parts of a booking's path, by the function that does each (file, name): the
# share of the booking's CPU spent under it. Nested parts overlap (the
# receivers run inside the service, the service inside the view).
_PARTS = {
    "request: middleware, DRF, view (all)": ("rest_framework/views.py", "dispatch"),
    "authentication (JWT, user read)": ("rest_framework/views.py", "perform_authentication"),
    "idempotency and the transaction": ("api/idempotency.py", "run_idempotent"),
    "booking service (lock, recount, write, receivers)": (
        "booking/services/placing.py",
        "_lock_recount_write",
    ),
    "receivers: event, outbox, summary, calendars": (
        "booking/services/lock_recount_write.py",
        "record_change",
    ),
    "marketplace free-time refresh": ("marketplace/index.py", "free_time_refresh"),
    "client card lookup": ("clients/services.py", "client_card_for_booking"),
    "calendar sync lookup": ("calendarsync/receivers.py", "on_appointment_changed"),
    "expired holds retired": ("booking/services/lock_recount_write.py", "retire_expired_holds"),
    "response serializer": ("rest_framework/serializers.py", "data"),
    "Django query compiling": ("django/db/models/sql/compiler.py", "as_sql"),
    "psycopg (adapting, sending, reading)": ("psycopg/cursor.py", "execute"),
}


def _cpu_shares(stats) -> dict:
    total = stats.total_tt or 1
    shares = {}
    for label, (path, name) in _PARTS.items():
        cumulative = max(
            (
                ct
                for (file, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items()
                if func == name and file.endswith(path)
            ),
            default=0.0,
        )
        shares[label] = round(cumulative / total, 3)
    return shares


def main() -> None:
    """This part alone: a fresh bench database, the bench salon with its 2,000
    visits, then `run`; figures as JSON on stdout (latest.json is untouched)."""
    sys.path.insert(0, str(ROOT))
    from bench import run as bench_run  # noqa: PLC0415 - sets the bench environment

    business, location, service, masters = bench_run.bench_salon()
    if "--profile" in sys.argv:
        with_listing(location)
        out = profile(location, service, masters, start=bench_run.START)
    else:
        out = run(business, location, service, masters, start=bench_run.START)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    if sys.argv[1:2] == ["clients"]:
        _clients_main()
    else:
        main()
