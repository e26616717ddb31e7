"""Checkouts per second with their ledger writes, for `make bench` (bench/run.py calls `run`).

A salon with 4 masters, 2 products and 1,200 confirmed visits. Measured, in
one process on PostgreSQL:
- `checkout_complete` of a visit (price check, VAT, a tip, a product, a
  split cash/card tender, one balanced ledger transaction, the visit marked
  completed), sequentially; and with 8 threads (one business: checkouts
  serialise on the business's finance row, which keeps receipt numbers
  consecutive);
- the floor: a bare `ledger.post` of the same number of lines.

Also recorded: the queries one checkout makes (not the business's first:
a visit checked out before the timed runs, under `CaptureQueriesContext`),
and the CPU time a checkout and a floor post take, in this process and in
the PostgreSQL backend serving it.

Standalone: `BENCH_DATABASE_URL=postgres://.../db python bench/finance.py`
(the database is dropped and recreated). `--keep-database` migrates the
database in place and builds a new salon beside the earlier ones (quicker
when iterating); `--profile` instead checks out 200 visits under cProfile and
prints each query of one checkout and the functions the time goes to.
"""

import sys
import threading
import time as clock
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VISITS = 1200
THREADS = 8
BATCH = 50  # checkouts, then as many floor posts, in turn


def _world(slug: str = "bench-till"):
    from django_scopes import scopes_disabled

    from solibook.booking.models import Appointment, AppointmentItem
    from solibook.catalog.models import Business, Category, Location, Master, Service
    from solibook.catalog.services import business_settings_create
    from solibook.finance.models import Product

    with scopes_disabled():
        business = Business.objects.create(
            name="Bench till", slug=slug, currency="EUR", country="FR"
        )
        business_settings_create(business=business)
        location = Location.objects.create(
            business=business,
            name="Till",
            slug="till",
            address="1 rue",
            city="Paris",
            country="FR",
            time_zone="Europe/Paris",
        )
        category = Category.objects.first()
        service = Service.objects.create(
            business=business, category=category, name="Cut", price_amount=4500, currency="EUR"
        )
        masters = [Master.objects.create(business=business, display_name=f"M{i}") for i in range(4)]
        product = Product.objects.create(
            business=business, name="Shampoo", price_amount=1200, currency="EUR"
        )
        start = datetime(2030, 6, 3, 8, tzinfo=UTC)
        visits = []
        # The last two: a first checkout (the year's first receipt), then the one
        # whose queries are counted.
        for n in range(VISITS + 2):
            at = start + timedelta(days=n // 40, minutes=15 * (n % 40))
            visits.append(
                Appointment(
                    business=business,
                    location=location,
                    starts_at=at,
                    ends_at=at + timedelta(minutes=60),
                    price_amount=4500,
                    currency="EUR",
                    status="confirmed",
                )
            )
        visits = Appointment.objects.bulk_create(visits)
        items = AppointmentItem.objects.bulk_create(
            [
                AppointmentItem(
                    business=business,
                    appointment=a,
                    service=service,
                    master=masters[i % 4],
                    starts_at=a.starts_at,
                    ends_at=a.ends_at,
                    price_amount=4500,
                )
                for i, a in enumerate(visits)
            ]
        )
        # The desk's page knows the visit's items: the checkout is sent their ids.
        for visit, item in zip(visits, items, strict=True):
            visit.item_id = item.pk
    return business, location, masters, product, visits


def _checkout_fn(business, location, product):
    from solibook.core.tenancy import business_scope
    from solibook.finance import services
    from solibook.finance.services import LineIn, TenderIn, TipIn

    def checkout(appointment, master):
        # As the page and the API view call it: the service's own transaction.
        with business_scope(business):
            services.checkout_complete(
                business=business,
                location_id=location.pk,
                appointment_id=appointment.pk,
                shown_total=TOTAL,
                currency="EUR",
                lines=[
                    LineIn("service", appointment_item_id=appointment.item_id),
                    LineIn("product", product_id=product.pk, master_id=master.pk),
                ],
                tips=[TipIn(master.pk, 300)],
                tenders=[TenderIn("cash", 2000), TenderIn("card", TOTAL - 2000)],
            )

    return checkout


TOTAL = 4500 + 1200 + 300


def _queries_of_one(checkout, appointment, master) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        checkout(appointment, master)
    return [q["sql"] for q in captured.captured_queries]


def _backend_cpu_s(connection) -> float | None:
    """CPU seconds the PostgreSQL backend serving `connection` has used (the
    server runs on this machine): the database's share of a checkout, which
    the process's own CPU time does not see."""
    import os

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Meter:
    """Wall time, this process's CPU time and the database backend's CPU time
    of the batches run under it."""

    def __init__(self, connection):
        self.connection = connection
        self.n = 0
        self.wall = self.cpu = self.db = 0.0

    def batch(self, fn, items) -> None:
        db0 = _backend_cpu_s(self.connection)
        wall0, cpu0 = clock.perf_counter(), clock.process_time()
        for item in items:
            fn(item)
        self.wall += clock.perf_counter() - wall0
        self.cpu += clock.process_time() - cpu0
        db1 = _backend_cpu_s(self.connection)
        self.db += (db1 - db0) if db0 is not None and db1 is not None else 0.0
        self.n += len(items)

    def figures(self) -> dict:
        return {
            "per_s": round(self.n / self.wall, 1),
            "wall_ms_each": round(1000 * self.wall / self.n, 2),
            "cpu_ms_each": round(1000 * self.cpu / self.n, 2),
            "db_cpu_ms_each": round(1000 * self.db / self.n, 2),
        }


def run(results: dict, *, timed=None, slug: str = "bench-till") -> dict:
    """Checkouts one after another and the floor (a bare `ledger.post` of the
    same lines) in alternating batches of 50, so that both meet the same load
    on a shared machine; then the same visits' kind of checkout from 8 threads."""
    import os

    from django.db import connection, connections, transaction

    from solibook.finance import ledger

    load_before = os.getloadavg()[0]
    business, location, masters, product, visits = _world(slug)
    checkout = _checkout_fn(business, location, product)
    checkout(visits[VISITS + 1], masters[0])
    queries = _queries_of_one(checkout, visits[VISITS], masters[0])

    lines = _floor_lines()

    def floor_post(_n):
        with transaction.atomic():
            ledger.post(business=business, kind="bench", memo="floor", lines=lines)

    sequential = list(enumerate(visits[:400]))
    till, floor = _Meter(connection), _Meter(connection)
    for start in range(0, len(sequential), BATCH):
        till.batch(
            lambda iv: checkout(iv[1], masters[iv[0] % 4]), sequential[start : start + BATCH]
        )
        floor.batch(floor_post, range(BATCH))

    concurrent = visits[400:1200]
    errors = []
    done = []

    def worker(k):
        # A refusal (a lock wait past DB_LOCK_TIMEOUT on a loaded machine) is
        # counted and the thread goes on; the rate counts only checkouts made.
        try:
            for i in range(k, len(concurrent), THREADS):
                try:
                    checkout(concurrent[i], masters[i % 4])
                    done.append(1)
                except Exception as exc:  # reported
                    errors.append(repr(exc))
        finally:
            connections.close_all()

    started = clock.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    par_s = clock.perf_counter() - started

    balanced = all(v == 0 for v in ledger.balances(business=business, by=("currency",)).values())
    seq, flo = till.figures(), floor.figures()
    results["finance_checkout"] = {
        "sequential_per_s": seq["per_s"],
        "sequential": seq,
        "threads": THREADS,
        "concurrent_per_s": round(len(done) / par_s, 1),
        "concurrent_refused": len(errors),
        "ledger_post_floor_per_s": flo["per_s"],
        "floor": flo,
        "ratio_to_floor": round(flo["per_s"] / seq["per_s"], 2),
        "queries_per_checkout": len(queries),
        "errors": errors[:3],
        "books_balance": balanced,
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }
    r = results["finance_checkout"]
    print(
        f"  finance: checkout + ledger {r['sequential_per_s']}/s sequential "
        f"(CPU {seq['cpu_ms_each']} ms here + {seq['db_cpu_ms_each']} ms in PostgreSQL), "
        f"{r['concurrent_per_s']}/s with {THREADS} threads; bare ledger.post "
        f"{r['ledger_post_floor_per_s']}/s (CPU {flo['cpu_ms_each']} + {flo['db_cpu_ms_each']} ms) "
        f"-> {r['ratio_to_floor']}x; {r['queries_per_checkout']} queries per checkout"
    )
    return r


def _floor_lines():
    from solibook.finance import ledger

    return [
        ledger.Line("cash", 2000, "EUR"),
        ledger.Line("card", TOTAL - 2000, "EUR"),
        ledger.Line("revenue:bench", -3750, "EUR"),
        ledger.Line("retail_revenue", -1000, "EUR"),
        ledger.Line("taxes_payable", -950, "EUR"),
        ledger.Line("tips_payable", -300, "EUR"),
    ]


def profile(slug: str) -> None:
    """Where one checkout's time goes: its queries, then cProfile over 200."""
    import cProfile
    import pstats
    import tempfile

    business, location, masters, product, visits = _world(slug)
    checkout = _checkout_fn(business, location, product)
    checkout(visits[0], masters[0])  # warm up
    queries = _queries_of_one(checkout, visits[VISITS], masters[0])
    print(f"{len(queries)} queries per checkout:")
    for sql in queries:
        print("  ", sql[:220])
    # CPU time (this process's), which a busy machine does not inflate; the
    # waits on PostgreSQL are the queries above.
    profiler = cProfile.Profile(clock.process_time)
    cpu_began = clock.process_time()
    profiler.enable()
    for i, appointment in enumerate(visits[1:201]):
        checkout(appointment, masters[i % 4])
    profiler.disable()
    cpu_ms = 1000 * (clock.process_time() - cpu_began) / 200
    kept = Path(tempfile.gettempdir()) / "finance-checkout.prof"
    profiler.dump_stats(kept)  # for pstats or snakeviz
    print(f"profile kept in {kept}")
    stats = pstats.Stats(profiler)
    print(f"CPU per checkout: {cpu_ms:.2f} ms (under the profiler, which slows it several times)")
    stats.sort_stats("cumulative").print_stats(45)
    # What checkout_complete's own steps cost, each with what it calls.
    stats.print_callees("checkout_complete")
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    import os

    os.environ.setdefault(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/solibook_bench_finance"
    )
    import django

    from bench.run import recreate_database  # reads BENCH_DATABASE_URL, sets the Django environment

    keep = "--keep-database" in sys.argv
    if not keep:
        recreate_database()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # A kept database already holds earlier salons: this run's gets its own slug.
    slug = f"bench-till-{int(clock.time())}" if keep else "bench-till"
    if "--profile" in sys.argv:
        profile(slug)
    else:
        import json
        from datetime import UTC, datetime

        out = run({}, slug=slug)
        # Run alone, the figures go under their key in latest.json (the rest is
        # kept), with when and at what load they were measured.
        # `--note TEXT` says what else ran meanwhile.
        said = sys.argv[sys.argv.index("--note") + 1] if "--note" in sys.argv else ""
        out["note"] = (
            f"bench/finance.py on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
            f"load average {out['load_average'][0]} then {out['load_average'][1]} on "
            f"{os.cpu_count()} cores shared with other work; checkouts and the floor "
            f"timed in alternating batches of {BATCH}" + (f"; {said}" if said else "")
        )
        if "--no-write" not in sys.argv:
            latest = ROOT / "bench" / "results" / "latest.json"
            results = json.loads(latest.read_text()) if latest.exists() else {}
            results["finance_checkout"] = out
            latest.write_text(json.dumps(results, indent=2) + "\n")
        print(json.dumps(out, indent=1))
