"""The P&L over one year of a busy salon, for `make bench` (bench/run.py calls `run`).

One year (2030) of a two-location salon (Paris and Moscow): 40 checkouts a day (service
revenue per category, VAT, a tip every third visit, card or cash), a
settlement to the bank every day, 15 expenses a month, all posted through
`finance.ledger.post` (the ledger's only writer). Measured: the report as the
page builds it (`accounting.reports.profit_and_loss`, per-location months,
labels) against a floor measured in the same run: one SQL `SUM(amount) GROUP
BY account` over the same entries and year.

Standalone: `BENCH_DATABASE_URL=postgres://.../db python bench/accounting.py`
(the database is dropped and recreated).
"""

import random
import sys
import time as clock
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VISITS_PER_DAY = 40
YEAR = 2030


def _seed(business, locations, *, visits_per_day: int) -> int:
    from django.db import transaction
    from django_scopes import scopes_disabled

    from solibook.finance import ledger

    rng = random.Random(7)
    categories = ["womens-haircut", "colouring", "manicure", "massage"]
    posted = 0
    day = date(YEAR, 1, 1)
    with scopes_disabled():
        while day.year == YEAR:
            with transaction.atomic():
                for n in range(visits_per_day):
                    location = locations[n % len(locations)]
                    at = datetime(
                        day.year, day.month, day.day, 8 + n % 11, (n * 7) % 60, tzinfo=UTC
                    )
                    net = rng.randrange(2000, 15000, 100)
                    tax, tip = net // 5, (500 if n % 3 == 0 else 0)
                    tender = "card" if n % 4 else "cash"
                    lines = [
                        ledger.Line(tender, net + tax + tip, "EUR", location=location),
                        ledger.Line(
                            f"revenue:{rng.choice(categories)}", -net, "EUR", location=location
                        ),
                        ledger.Line("taxes_payable", -tax, "EUR", location=location),
                    ]
                    if tip:
                        lines.append(ledger.Line("tips_payable", -tip, "EUR", location=location))
                    ledger.post(
                        business=business,
                        kind="checkout",
                        memo="Visit",
                        lines=lines,
                        occurred_at=at,
                    )
                    posted += 1
                for location in locations:
                    ledger.post(
                        business=business,
                        kind="settlement",
                        memo="Card payout",
                        occurred_at=datetime(day.year, day.month, day.day, 22, tzinfo=UTC),
                        lines=[
                            ledger.Line("bank", 1, "EUR", location=location),
                            ledger.Line("card", -1, "EUR", location=location),
                        ],
                    )
                    posted += 1
                if day.day <= 15:
                    location = locations[day.day % len(locations)]
                    amount = rng.randrange(5000, 200000, 100)
                    ledger.post(
                        business=business,
                        kind="expense",
                        memo="Expense",
                        occurred_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
                        lines=[
                            ledger.Line(
                                f"expenses:{rng.choice(['rent', 'supplies', 'marketing'])}",
                                amount,
                                "EUR",
                                location=location,
                            ),
                            ledger.Line("bank", -amount, "EUR", location=location),
                        ],
                    )
                    posted += 1
            day += timedelta(days=1)
    return posted


def run(results: dict, *, visits_per_day: int = VISITS_PER_DAY, timed=None) -> dict:
    from django.db import connection

    from solibook.accounting.reports import profit_and_loss
    from solibook.catalog.models import Business, Location
    from solibook.catalog.services import business_settings_create
    from solibook.core.tenancy import business_scope

    timed = timed or _timed
    business = Business.objects.create(
        name="Bench books", slug="bench-books", currency="EUR", country="FR"
    )
    business_settings_create(business=business)
    locations = [
        Location.objects.create(
            business=business,
            name=name,
            slug=name.lower(),
            address="1 rue",
            city=name,
            country="FR",
            time_zone=zone,
        )
        for name, zone in (("Paris", "Europe/Paris"), ("Moscow", "Europe/Moscow"))
    ]
    started = clock.perf_counter()
    transactions = _seed(business, locations, visits_per_day=visits_per_day)
    seed_s = clock.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            "SELECT count(*) FROM finance_ledgerentry WHERE business_id = %s", [business.pk]
        )
        entries = cursor.fetchone()[0]

    def ours():
        with business_scope(business):
            return profit_and_loss(
                business=business, start=date(YEAR, 1, 1), end=date(YEAR, 12, 31)
            )

    start_utc, end_utc = (
        datetime(YEAR - 1, 12, 31, 21, tzinfo=UTC),
        datetime(YEAR, 12, 31, 23, tzinfo=UTC),
    )

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT account, SUM(amount) FROM finance_ledgerentry WHERE business_id = %s AND currency = 'EUR' "
                "AND occurred_at >= %s AND occurred_at < %s GROUP BY account",
                [business.pk, start_utc, end_utc],
            )
            return cursor.fetchall()

    report = ours()
    floor_sums = dict(floor())
    revenue_floor = -int(sum(v for k, v in floor_sums.items() if k.startswith("revenue:")))
    ours_t, floor_t = timed(ours, 15), timed(floor, 15)
    results["pnl_year"] = {
        "transactions": transactions,
        "entries": entries,
        "seed_s": round(seed_s, 1),
        "pnl": ours_t,
        "floor_sql_sum": floor_t,
        "ratio_to_floor": round(ours_t["median_ms"] / max(floor_t["median_ms"], 0.001), 2),
        "revenue": report.revenue_total,
        "revenue_floor": revenue_floor,
    }
    row = results["pnl_year"]
    print(
        f"  P&L one year ({entries} ledger entries): {ours_t['median_ms']} ms, {row['ratio_to_floor']}x a bare SQL sum ({floor_t['median_ms']} ms)"
    )
    return row


def _timed(fn, repeat: int) -> dict:
    import statistics

    fn()
    samples = []
    for _ in range(repeat):
        started = clock.perf_counter()
        fn()
        samples.append((clock.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 3),
    }


if __name__ == "__main__":
    import json
    import os

    os.environ.setdefault(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/solibook_bench_accounting"
    )
    from bench.run import recreate_database  # reads BENCH_DATABASE_URL, sets the Django environment

    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(json.dumps(run({}), indent=2))
