#!/usr/bin/env python
"""`make bench`: Solibook's speed as ratios against floors measured in the same run.

1. Slots for 10 masters x 7 days (any master, 15-minute grid) with 2,000
   appointments spread over 28 days: through selectors + kernel, and through
   HTTP (granian), against the floor: one SQL query reading the same
   appointment rows plus a sorted sweep into free periods.
2. The same workload on django-appointment 3.12 in its own virtualenv.
3. The same after adding 50,000 past appointments.
4. Booking throughput and p99 latency over HTTP with 32 concurrent clients,
   on one hot slot and on spread slots; double bookings counted in SQL.
5. The owner's dashboards over a year of a busy salon (bench/insights.py).

Results: a table on stdout and bench/results/latest.json.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/solibook_bench")
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings.base",
    DATABASE_URL=BENCH_DB,
    SECRET_KEY="bench-" + "x" * 60,
    ALLOWED_HOSTS="127.0.0.1,localhost",
    DEBUG="0",
    LOG_LEVEL="WARNING",
    API_THROTTLE_ANON="1000000/min",
    API_THROTTLE_USER="1000000/min",
    API_THROTTLE_AUTH="1000000/min",
    API_THROTTLE_BOOKING="1000000/min",
)

START = date(2030, 6, 3)
NOW = datetime(2030, 6, 1, 8, 0, tzinfo=UTC)
RESULTS = ROOT / "bench" / "results"


def recreate_database() -> None:
    import psycopg

    name = BENCH_DB.rsplit("/", 1)[1]
    admin = BENCH_DB.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def timed(fn, repeat: int) -> dict:
    fn()  # warm up
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 3),
    }


def bench_salon():
    """A fresh bench database, migrated, with the bench salon (10 masters) and its
    2,000 visits spread over 28 days: (business, location, service, masters)."""
    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.workload import add_appointments, build_salon

    business, location, service, masters = build_salon(masters=10)
    add_appointments(
        business=business,
        location=location,
        service=service,
        masters=masters,
        start=START - timedelta(days=7),
        days=28,
        count=2000,
        seed=1,
    )
    return business, location, service, masters


def main() -> None:
    # `--only slots`: build the salon and measure step 1 alone (a minute, not an hour).
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    business, location, service, masters = bench_salon()
    from django.db import connection
    from django_scopes import scopes_disabled

    from bench.workload import add_appointments
    from solibook.booking import services
    from solibook.booking.selectors import ItemSpec
    from solibook.core.tenancy import business_scope

    master_ids = [m.pk for m in masters]
    window_from = datetime(2030, 6, 2, 22, tzinfo=UTC)
    window_to = window_from + timedelta(days=7)
    results: dict = {
        "machine": {"cores": os.cpu_count(), "database": connection.vendor},
        "workload": {"masters": 10, "days": 7, "appointments": 2000, "spread_days": 28},
    }

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT master_id, starts_at, ends_at FROM booking_bookingsegment WHERE is_active AND master_id = ANY(%s) "
                "AND ends_at > %s AND starts_at < %s ORDER BY master_id, starts_at",
                [master_ids, window_from, window_to],
            )
            rows = cursor.fetchall()
        free, last_master, cursor_at = [], None, None
        for master_id, starts_at, ends_at in rows:  # the sweep: free periods between visits
            if master_id != last_master:
                last_master, cursor_at = master_id, window_from
            if starts_at > cursor_at:
                free.append((master_id, cursor_at, starts_at))
            cursor_at = max(cursor_at, ends_at)
        return free

    def ours():
        with business_scope(business):
            _loaded, slots = services.slots_available(
                business=business,
                location_id=location.pk,
                specs=[ItemSpec(service.pk)],
                start_date=START,
                days=7,
                now=NOW,
            )
        return slots

    with scopes_disabled():
        slot_count = len(ours())
    results["slots"] = {
        "floor": timed(floor, 60),
        "selectors_kernel": timed(ours, 60),
        "slot_count": slot_count,
    }
    with granian_server() as base_url:
        path = f"/api/v1/locations/{location.pk}/availability/?service={service.pk}&date={START}&days=7"
        results["slots"]["http"] = timed(keep_alive_get(base_url, path), 40)
    results["slots"]["ratio_to_floor"] = round(
        results["slots"]["selectors_kernel"]["median_ms"] / results["slots"]["floor"]["median_ms"],
        2,
    )
    # Issue #24, point 2: the HTTP round trip (routing, middleware, DRF, JSON)
    # against the same availability computed in-process, in the same run.
    results["slots"]["http_ratio_to_in_process"] = round(
        results["slots"]["http"]["median_ms"] / results["slots"]["selectors_kernel"]["median_ms"],
        2,
    )
    if only == "slots":
        print(json.dumps(results["slots"], indent=2))
        return

    results["django_appointment"] = django_appointment(history=0)

    add_appointments(
        business=business,
        location=location,
        service=service,
        masters=masters,
        start=START - timedelta(days=3000),
        days=2900,
        count=50000,
        seed=2,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    results["with_history"] = {
        "floor": timed(floor, 60),
        "selectors_kernel": timed(ours, 60),
        "history_appointments": 50000,
    }
    results["with_history"]["slowdown"] = round(
        results["with_history"]["selectors_kernel"]["median_ms"]
        / results["slots"]["selectors_kernel"]["median_ms"],
        3,
    )
    if results["django_appointment"].get("median_ms"):
        results["django_appointment"]["ours_faster_by"] = round(
            results["django_appointment"]["median_ms"]
            / results["slots"]["selectors_kernel"]["median_ms"],
            1,
        )

    results["booking"] = booking_throughput(business, location, service, masters)
    from bench import search as marketplace_search  # noqa: PLC0415 - after django.setup()

    marketplace_search.run(results, timed=timed)
    from bench import insights as insights_bench  # noqa: PLC0415 - after django.setup()

    insights_bench.run(results, timed=timed)
    from bench import accounting as accounting_bench  # noqa: PLC0415 - after django.setup()

    accounting_bench.run(results, timed=timed)
    from bench import finance as finance_bench  # noqa: PLC0415 - after django.setup()

    finance_bench.run(results, timed=timed)
    from bench import inventory as inventory_bench  # noqa: PLC0415 - after django.setup()

    inventory_bench.run(results, timed=timed)
    from bench import notifications as notification_bench  # noqa: PLC0415 - after django.setup()

    notification_bench.run_into(results)
    from bench import marketing as marketing_bench  # noqa: PLC0415 - after django.setup()

    marketing_bench.run_into(results)
    from bench import schema as schema_bench  # noqa: PLC0415 - after django.setup()

    results["schema"] = schema_bench.main()
    report(results)


def keep_alive_get(base_url: str, path: str):
    """A GET on one keep-alive connection, reused from call to call, as an app
    or a browser would: the figure is the server's work, not a TCP handshake."""
    import http.client  # noqa: PLC0415

    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)

    def get() -> bytes:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
        return body

    return get


class granian_server:
    """A real WSGI server on a free loopback port, for the duration of a block."""

    def __init__(self, workers: int = 2):
        self.workers = workers

    def __enter__(self) -> str:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        granian = Path(sys.executable).parent / "granian"
        self.process = subprocess.Popen(
            [
                str(granian),
                "--interface",
                "wsgi",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(self.workers),
                "--blocking-threads",
                "8",
                "--log-level",
                "warning",
                "config.wsgi:application",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()  # noqa: S310
                return base
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("granian did not start")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def django_appointment(*, history: int) -> dict:
    setup = ROOT / "bench" / "django_appointment" / "setup.sh"
    script = ROOT / "bench" / "django_appointment" / "run.py"
    python = ROOT / "bench" / ".venv-django-appointment" / "bin" / "python"
    if not setup.exists():
        return {"skipped": "bench/django_appointment is missing"}
    done = subprocess.run(["bash", str(setup)], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        return {"skipped": f"setup failed: {done.stderr[-500:]}"}
    args = [
        str(python),
        str(script),
        "--appointments",
        "2000",
        "--masters",
        "10",
        "--spread-days",
        "28",
        "--start",
        (START - timedelta(days=7)).isoformat(),
        "--measure-start",
        START.isoformat(),
    ]
    if history:
        args += ["--history", str(history)]
    run = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if run.returncode:
        return {"skipped": f"run failed: {run.stderr[-800:]}"}
    return json.loads(run.stdout.strip().splitlines()[-1])


def booking_throughput(business, location, service, masters) -> dict:
    """Step 4, in bench/booking.py (its load generator runs in its own process)."""
    from bench import booking  # noqa: PLC0415

    return booking.run(business, location, service, masters, start=START)


def report(results: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    results["measured_at"] = stamp
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    s, h, b, da = (
        results["slots"],
        results["with_history"],
        results["booking"],
        results["django_appointment"],
    )
    rows = [
        ("slots 10 masters x 7 days: floor (1 SQL + sweep)", f"{s['floor']['median_ms']} ms", ""),
        (
            "slots: selectors + kernel",
            f"{s['selectors_kernel']['median_ms']} ms",
            f"{s['ratio_to_floor']}x floor (target <= 2x)",
        ),
        (
            "slots: HTTP (granian, keep-alive)",
            f"{s['http']['median_ms']} ms",
            f"{s['http_ratio_to_in_process']}x in-process (target <= 1.5x), {s['slot_count']} slots",
        ),
        (
            "slots: django-appointment 3.12",
            f"{da.get('median_ms', '-')} ms",
            f"ours {da.get('ours_faster_by', '-')}x faster (target >= 100x)"
            if "median_ms" in da
            else da.get("skipped", ""),
        ),
        (
            "slots with +50,000 past appointments",
            f"{h['selectors_kernel']['median_ms']} ms",
            f"{h['slowdown']}x (target <= 1.2x)",
        ),
        (
            "booking, hot slot, 32 clients",
            f"{b['hot_slot']['requests_per_s']} req/s",
            f"p99 {b['hot_slot']['p99_ms']} ms, {b['hot_slot']['created']} created",
        ),
        (
            "booking, spread slots, 32 clients",
            f"{b['spread_slots']['bookings_per_s']} bookings/s",
            f"p99 {b['spread_slots']['p99_ms']} ms (target >= 200/s)",
        ),
        ("double bookings", str(b["double_bookings"]), "target 0"),
    ]
    for key in ("marketplace_search", "marketplace_search_10000"):  # bench/search.py
        if m := results.get(key):
            rows.append(
                (
                    f"search, {m['salons']:,} salons, earliest free",
                    f"{m['search']['median_ms']} ms",
                    f"{m['ratio_to_floor']}x floor {m['floor']['median_ms']} ms (target <= 3x, <= 30 ms)",
                )
            )
    width = max(len(r[0]) for r in rows)
    print(
        f"\nSolibook benchmark ({results['machine']['cores']} cores, {results['machine']['database']})"
    )
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>16}  {note}")
    print(f"\nwritten: {RESULTS / 'latest.json'}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--only", "booking"]:  # step 4 alone, to iterate on it
        from bench import booking

        booking.main()
    else:
        main()
