"""Checkouts per second with their ledger writes, for `make bench` (bench/run.py calls `run`).

A salon with 4 masters, 2 products and 1,200 confirmed visits. Measured, in
one process on PostgreSQL:
- `checkout_complete` of a visit (price check, VAT, a tip, a product, a
  split cash/card tender, one balanced ledger transaction, the visit marked
  completed), sequentially; and with 8 threads (one business: checkouts
  serialise on the business's finance row, which keeps receipt numbers
  consecutive);
- the floor: a bare `ledger.post` of the same number of lines.

Also recorded: the queries one checkout makes (a visit checked out before the
timed runs, under `CaptureQueriesContext`).

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
        for n in range(VISITS + 1):  # the last one is the checkout whose queries are counted
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


def run(results: dict, *, timed=None, slug: str = "bench-till") -> dict:
    from django.db import connections, transaction

    from solibook.finance import ledger

    business, location, masters, product, visits = _world(slug)
    checkout = _checkout_fn(business, location, product)
    queries = _queries_of_one(checkout, visits[VISITS], masters[0])

    sequential = visits[:400]
    started = clock.perf_counter()
    for i, appointment in enumerate(sequential):
        checkout(appointment, masters[i % 4])
    seq_s = clock.perf_counter() - started

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

    lines = _floor_lines()
    started = clock.perf_counter()
    for _ in range(400):
        with transaction.atomic():
            ledger.post(business=business, kind="bench", memo="floor", lines=lines)
    floor_s = clock.perf_counter() - started

    balanced = all(v == 0 for v in ledger.balances(business=business, by=("currency",)).values())
    results["finance_checkout"] = {
        "sequential_per_s": round(len(sequential) / seq_s, 1),
        "threads": THREADS,
        "concurrent_per_s": round(len(done) / par_s, 1),
        "concurrent_refused": len(errors),
        "ledger_post_floor_per_s": round(400 / floor_s, 1),
        "ratio_to_floor": round((400 / floor_s) / (len(sequential) / seq_s), 2),
        "queries_per_checkout": len(queries),
        "errors": errors[:3],
        "books_balance": balanced,
    }
    r = results["finance_checkout"]
    print(
        f"  finance: checkout + ledger {r['sequential_per_s']}/s sequential, {r['concurrent_per_s']}/s with {THREADS} threads; "
        f"bare ledger.post {r['ledger_post_floor_per_s']}/s ({r['ratio_to_floor']}x); "
        f"{r['queries_per_checkout']} queries per checkout"
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

    business, location, masters, product, visits = _world(slug)
    checkout = _checkout_fn(business, location, product)
    checkout(visits[0], masters[0])  # warm up
    queries = _queries_of_one(checkout, visits[VISITS], masters[0])
    print(f"{len(queries)} queries per checkout:")
    for sql in queries:
        print("  ", sql[:220])
    profiler = cProfile.Profile()
    profiler.enable()
    for i, appointment in enumerate(visits[1:201]):
        checkout(appointment, masters[i % 4])
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
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
        print(run({}, slug=slug))
