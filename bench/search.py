"""Marketplace free-time search at scale, for `make bench` (bench/run.py calls `run`).

"Women's haircut on day D between 17:00 and 20:00 within 10 km of central
Paris" over 1,000 generated salons (solibook/demo/scale.py, bulk inserts)
with their free-time summary built for the day. Measured as p50/p95, and as
a ratio against a floor measured in the same run: one indexed SQL read of
the same summary rows (FreeTime by day and location).

Standalone: `BENCH_DATABASE_URL=postgres://.../db python bench/search.py`
(the database is dropped and recreated).
"""

import sys
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SALONS = 1000
DAY = date(2030, 6, 4)
NOW = datetime(2030, 6, 1, 8, 0, tzinfo=UTC)
BUILD_DAYS = 7


def run(results: dict, *, salons: int = SALONS, timed=None) -> dict:
    from django.db import connection
    from django_scopes import scopes_disabled

    from solibook.catalog.models import Category
    from solibook.demo.scale import seed_scale
    from solibook.marketplace.index import rebuild
    from solibook.marketplace.models import FreeTime, SalonListing
    from solibook.marketplace.search import SearchQuery, salon_search

    timed = timed or _timed
    seed_scale(salons=salons, seed=11, appointments_per_salon=20, today=DAY - timedelta(days=1))
    # The summary of every salon for one day, as `rebuild_free_time` builds it
    # (batched: a fixed number of queries per chunk of salons), then a week.
    started = clock.perf_counter()
    rebuild(start=DAY, days=0, now=NOW)
    build_s = clock.perf_counter() - started
    started = clock.perf_counter()
    rebuild(start=DAY, days=BUILD_DAYS - 1, now=NOW)
    build_week_s = clock.perf_counter() - started
    with scopes_disabled():
        haircut = Category.objects.get(slug="womens-haircut")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    query = SearchQuery(
        category=haircut,
        day=DAY,
        time_from=time(17),
        time_to=time(20),
        lat=48.8566,
        lng=2.3522,
        radius_km=10,
        sort="earliest",
        per_page=20,
    )

    def ours():
        with scopes_disabled():
            return salon_search(query=query, now=NOW)

    with scopes_disabled():
        page = ours()
        locations = list(
            SalonListing.objects.filter(
                latitude__range=(48.7666, 48.9466), longitude__range=(2.2157, 2.4887)
            ).values_list("location_id", flat=True)
        )

    def floor():
        # The same summary rows, read by their index, and nothing else.
        return list(
            FreeTime.objects.filter(day=DAY, location_id__in=locations).values_list(
                "location_id", "subject", "free"
            )
        )

    out = {
        "salons": salons,
        "summary_build_s": round(build_s, 1),
        "summary_build_ms_per_salon_day": round(build_s * 1000 / salons, 2),
        f"summary_build_{BUILD_DAYS}_days_s": round(build_week_s, 1),
        f"summary_build_{BUILD_DAYS}_days_ms_per_salon_day": round(
            build_week_s * 1000 / salons / BUILD_DAYS, 2
        ),
        "candidates_in_radius": len(locations),
        "with_free_time": page.total,
        "summary_rows_read": len(floor()),
        "floor": timed(floor, 40),
        "search": timed(ours, 40),
    }
    out["ratio_to_floor"] = round(out["search"]["median_ms"] / out["floor"]["median_ms"], 2)
    results["marketplace_search"] = out
    return out


def _timed(fn, repeat: int) -> dict:
    fn()
    samples = []
    for _ in range(repeat):
        started = clock.perf_counter()
        fn()
        samples.append((clock.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "median_ms": round(samples[len(samples) // 2], 3),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 3),
    }


def report(out: dict) -> None:
    print(
        f"\nMarketplace free-time search ({out['salons']} salons, {out['candidates_in_radius']} within 10 km, {out['with_free_time']} free 17:00-20:00)"
    )
    print(
        f"  search  p50 {out['search']['median_ms']:8.2f} ms  p95 {out['search']['p95_ms']:8.2f} ms"
    )
    print(
        f"  floor   p50 {out['floor']['median_ms']:8.2f} ms  p95 {out['floor']['p95_ms']:8.2f} ms  (one indexed read of the {out['summary_rows_read']} summary rows)"
    )
    print(f"  ratio to floor: {out['ratio_to_floor']}x")
    print(
        f"  summary build: 1 day {out['summary_build_s']} s ({out['summary_build_ms_per_salon_day']} ms per salon-day),"
        f" {BUILD_DAYS} days {out[f'summary_build_{BUILD_DAYS}_days_s']} s ({out[f'summary_build_{BUILD_DAYS}_days_ms_per_salon_day']} ms per salon-day)"
    )


if __name__ == "__main__":
    import os

    os.environ.setdefault(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/solibook_bench_search"
    )
    from bench import run as runner  # sets the environment for Django

    runner.recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    report(run({}, salons=int(os.environ.get("BENCH_SALONS", SALONS))))
