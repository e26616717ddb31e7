"""Stock on hand for `make bench` (bench/run.py calls `run`).

2,000 products at one location with 200,000 movements (receipts, sales, uses,
adjustments). Measured: what the stock page reads for every product at the
location (`inventory.selectors.on_hand_many`, from the running balance kept with
each movement; and `stock_at`, the whole page's read with minimums and value),
and the same quantities summed from the movements by the ORM
(`on_hand_summed`), against a floor measured in the same run: one SQL
`SUM(quantity) GROUP BY product_id` over the location's movements. Checks that
every way gives the same quantities. Also the time to record one movement
through `movement_record` (locks, balance, average cost, ledger).

Standalone: `BENCH_DATABASE_URL=postgres://.../db python bench/inventory.py`
(the database is dropped and recreated).
"""

import random
import sys
import time as clock
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PRODUCTS = 2_000
MOVEMENTS = 200_000


def _seed(business, location, *, products: int, movements: int):
    from django.db import transaction
    from django_scopes import scopes_disabled

    from solibook.finance.models import Product
    from solibook.inventory.models import StockBalance, StockLevel, StockMovement

    rng = random.Random(18)
    start = datetime(2030, 1, 1, 8, tzinfo=UTC)
    with scopes_disabled(), transaction.atomic():
        items = Product.objects.bulk_create(
            [
                Product(
                    business=business,
                    name=f"Product {i:04d}",
                    kind="professional" if i % 2 else "retail",
                    stock_unit="ml" if i % 2 else "piece",
                    price_amount=1000 + i,
                    currency="EUR",
                    cost_price=Decimal("0.8"),
                )
                for i in range(products)
            ]
        )
        balance = dict.fromkeys((p.pk for p in items), Decimal(0))
        rows = []
        for n in range(movements):
            product = items[n % products] if n < products else rng.choice(items)
            if n < products or rng.random() < 0.2:
                kind, quantity = "receipt", Decimal(rng.randrange(10, 100))
            else:
                kind, quantity = rng.choice(
                    [
                        ("sale", Decimal(-1)),
                        ("consumption", Decimal(-2)),
                        ("adjustment", Decimal(1)),
                    ]
                )
            balance[product.pk] += quantity
            rows.append(
                StockMovement(
                    business=business,
                    location=location,
                    product=product,
                    kind=kind,
                    quantity=quantity,
                    unit_cost=Decimal("0.8"),
                    average_cost=Decimal("0.8"),
                    balance_after=balance[product.pk],
                    reason="bench" if kind == "adjustment" else "",
                    occurred_at=start + timedelta(minutes=n),
                )
            )
            if len(rows) == 10_000:
                StockMovement.objects.bulk_create(rows)
                rows = []
        StockMovement.objects.bulk_create(rows)
        StockBalance.objects.bulk_create(
            [
                StockBalance(business=business, location=location, product_id=pk, quantity=q)
                for pk, q in balance.items()
            ]
        )
        StockLevel.objects.bulk_create(
            [
                StockLevel(
                    business=business, location=location, product=p, minimum_quantity=Decimal(50)
                )
                for p in items[::10]
            ]
        )
    return items


def run(results: dict, *, products: int = PRODUCTS, movements: int = MOVEMENTS, timed=None):
    from django.db import connection

    from solibook.catalog.models import Business, Location
    from solibook.catalog.services import business_settings_create
    from solibook.core.tenancy import business_scope
    from solibook.inventory import selectors, services

    timed = timed or _timed
    business = Business.objects.create(
        name="Bench stock", slug="bench-stock", currency="EUR", country="FR"
    )
    business_settings_create(business=business)
    location = Location.objects.create(
        business=business,
        name="Stock room",
        slug="stock-room",
        address="1 rue",
        city="Paris",
        country="FR",
        time_zone="Europe/Paris",
    )
    started = clock.perf_counter()
    items = _seed(business, location, products=products, movements=movements)
    seed_s = clock.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    def balance():
        with business_scope(business):
            return selectors.on_hand_many(location, items)

    def page():
        with business_scope(business):
            return selectors.stock_at(business=business, location=location, products=items)

    def summed():
        with business_scope(business):
            return selectors.on_hand_summed(location, items)

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT product_id, SUM(quantity) FROM inventory_stockmovement "
                "WHERE location_id = %s GROUP BY product_id",
                [location.pk],
            )
            return cursor.fetchall()

    floor_sums = dict(floor())
    agree = balance() == summed() == {pk: floor_sums.get(pk, 0) for pk in balance()}
    balance_t, page_t, summed_t, floor_t = (
        timed(balance, 15),
        timed(page, 15),
        timed(summed, 15),
        timed(floor, 15),
    )

    writes = []
    with business_scope(business):
        for i in range(200):
            t0 = clock.perf_counter()
            services.movement_record(
                business=business,
                location=location,
                product=items[i % 50],
                kind="receipt" if i % 2 else "sale",
                quantity=1,
                unit_cost=Decimal("0.9") if i % 2 else None,
                allow_negative=True,
            )
            writes.append((clock.perf_counter() - t0) * 1000)
    writes.sort()

    def ratio(t):
        return round(t["median_ms"] / max(floor_t["median_ms"], 0.001), 2)

    results["stock_on_hand"] = row = {
        "products": products,
        "movements": movements,
        "seed_s": round(seed_s, 1),
        "on_hand_many_running_balance": balance_t,
        "stock_page_read": page_t,
        "orm_sum_of_movements": summed_t,
        "floor_sql_sum": floor_t,
        "ratio_balance_to_floor": ratio(balance_t),
        "ratio_page_to_floor": ratio(page_t),
        "ratio_orm_sum_to_floor": ratio(summed_t),
        "all_agree": agree,
        "movement_record_median_ms": round(writes[len(writes) // 2], 3),
        "movement_record_p95_ms": round(writes[int(0.95 * (len(writes) - 1))], 3),
    }
    print(
        f"  Stock on hand, {products} products / {movements} movements: running balance "
        f"{balance_t['median_ms']} ms ({row['ratio_balance_to_floor']}x one SQL SUM of "
        f"{floor_t['median_ms']} ms), the stock page's read {page_t['median_ms']} ms "
        f"({row['ratio_page_to_floor']}x), ORM sum {summed_t['median_ms']} ms "
        f"({row['ratio_orm_sum_to_floor']}x); one movement recorded in "
        f"{row['movement_record_median_ms']} ms; all agree: {agree}"
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
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/solibook_bench_inventory"
    )
    from bench.run import recreate_database  # reads BENCH_DATABASE_URL, sets the Django environment

    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    out: dict = {}
    run(out)
    print(json.dumps(out, indent=2))
