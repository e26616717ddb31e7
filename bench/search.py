"""Marketplace free-time search at scale, for `make bench` (bench/run.py calls `run`).

"Women's haircut on day D between 17:00 and 20:00 within 10 km of central
Paris" over 1,000 generated salons (solibook/demo/scale.py, bulk inserts)
with their free-time summary built for the day, then over 10,000 (9,000
more salons added to the same database, the summary rebuilt). Measured as
p50/p95, and as a ratio against a floor measured in the same run: one
indexed SQL read of the same summary rows (FreeTime by day and location).

Standalone: `BENCH_DATABASE_URL=postgres://.../db python bench/search.py`
(the database is dropped and recreated; `BENCH_SALONS=1000,10000` for both
scales, 1,000 by default). `--keep-database` keeps it between runs, to
iterate on search: the salons already generated are not generated again,
nor their summary rebuilt, and a scale smaller than the salons already
there is skipped (its figures would be the larger one's).
"""

import json
import sys
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SALONS = 1000
SCALES = (1000, 10000)  # what `make bench` measures, each added to the one before
DAY = date(2030, 6, 4)
NOW = datetime(2030, 6, 1, 8, 0, tzinfo=UTC)
BUILD_DAYS = 7


def run(results: dict, *, scales: tuple[int, ...] = SCALES, timed=None, keep: bool = False) -> dict:
    """Each scale in turn, the salons of the larger added to the smaller's
    (their slugs carry the seed, so both sets share the database). Results
    under `marketplace_search` (the first scale) and `marketplace_search_<n>`.
    `keep`: the database may hold salons of an earlier run (see the module)."""
    from solibook.marketplace.models import SalonListing

    seeded, out = 0, {}
    there = SalonListing.objects.count() if keep else 0
    for n, salons in enumerate(scales):
        if salons < there:
            print(f"(kept database: {there} salons, {salons} skipped)")
        else:
            out = _run_scale(
                salons=salons,
                seeded=seeded,
                seed=11 + n,
                timed=timed or _timed,
                generate=salons > there,
            )
            results["marketplace_search" if n == 0 else f"marketplace_search_{salons}"] = out
        seeded = salons
    return out


def _run_scale(*, salons: int, seeded: int, seed: int, timed, generate: bool = True) -> dict:
    from django.db import connection
    from django_scopes import scopes_disabled

    from solibook.catalog.models import Category
    from solibook.demo.scale import seed_scale
    from solibook.marketplace.index import rebuild
    from solibook.marketplace.models import FreeTime, SalonListing
    from solibook.marketplace.search import SearchQuery, salon_search

    seed_s = build_s = build_week_s = None
    if generate:
        started = clock.perf_counter()
        seed_scale(
            salons=salons - seeded,
            seed=seed,
            appointments_per_salon=20,
            today=DAY - timedelta(days=1),
        )
        seed_s = clock.perf_counter() - started
        # The summary of every salon for one day, as `rebuild_free_time` builds
        # it (batched: a fixed number of queries per chunk of salons), then a
        # week (at the first scale only: a further day costs the same at any scale).
        started = clock.perf_counter()
        rebuild(start=DAY, days=0, now=NOW)
        build_s = clock.perf_counter() - started
    if generate and not seeded:
        started = clock.perf_counter()
        rebuild(start=DAY, days=BUILD_DAYS - 1, now=NOW)
        build_week_s = clock.perf_counter() - started
    with scopes_disabled():
        haircut = Category.objects.get(slug="womens-haircut")
    # Statistics, and the pages marked all-visible so index-only scans need
    # not read the tables: what autovacuum leaves some time after a bulk write.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
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
        expected = _reference(query)
    found = (
        page.total,
        [(r.salon.pk, r.slot.start, r.slot.service_id, r.slot.master_id) for r in page.results],
    )
    if found != expected:
        raise AssertionError(f"search found {found}, the kernel salon by salon {expected}")
    sql = f"SELECT location_id, subject, free FROM {FreeTime._meta.db_table} WHERE day = %s AND location_id = ANY(%s)"  # noqa: S608 - fixed names

    def floor():
        # The same summary rows, read by their index, and nothing else: one
        # raw statement (no ORM), each row's intervals decoded.
        with connection.cursor() as cursor:
            cursor.execute(sql, [DAY, locations])
            return [(location, subject, json.loads(free)) for location, subject, free in cursor]

    out = {
        "salons": salons,
        "candidates_in_radius": len(locations),
        "with_free_time": page.total,
        "summary_rows_read": len(floor()),
        "floor": timed(floor, 40),
        "search": timed(ours, 40),
    }
    out["ratio_to_floor"] = round(out["search"]["median_ms"] / out["floor"]["median_ms"], 2)
    if seed_s is not None:
        out["seed_s"] = round(seed_s, 1)
        out["summary_build_s"] = round(build_s, 1)
        out["summary_build_ms_per_salon_day"] = round(build_s * 1000 / salons, 2)
    if build_week_s is not None:
        out[f"summary_build_{BUILD_DAYS}_days_s"] = round(build_week_s, 1)
        out[f"summary_build_{BUILD_DAYS}_days_ms_per_salon_day"] = round(
            build_week_s * 1000 / salons / BUILD_DAYS, 2
        )
    return out


def _reference(query) -> tuple[int, list]:
    """The total and the page the slow way: every listing in the box, the
    kernel's earliest slot salon by salon (no SQL pre-filter), earliest first."""
    from solibook.catalog.models import Category
    from solibook.marketplace import search
    from solibook.marketplace.models import SalonListing, ServiceListing

    box = search.SearchQuery(lat=query.lat, lng=query.lng, radius_km=query.radius_km)
    salons = [
        s
        for s in SalonListing.objects.order_by("name", "id")
        if s.latitude is not None
        and search.haversine_km(box.lat, box.lng, s.latitude, s.longitude) <= box.radius_km
    ]
    categories = Category.objects.filter(pk__in=search.category_ids(query.category))
    services: dict[int, list] = {}
    for service in ServiceListing.objects.filter(
        salon__in=salons, category__in=categories
    ).order_by("price_amount", "id"):
        services.setdefault(service.salon_id, []).append(service)
    rows = search._free_rows([s.location_id for s in salons], query.day)
    found = []
    for salon in salons:
        slot = search.earliest_slot(
            salon, services.get(salon.pk, []), rows.get(salon.location_id, {}), query, NOW
        )
        if slot is not None:
            found.append((slot.start, salon.name, salon.pk, slot))
    found.sort(key=lambda f: f[:2])
    return len(found), [
        (pk, slot.start, slot.service_id, slot.master_id) for _s, _n, pk, slot in found[:20]
    ]


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
    if "seed_s" not in out:
        return
    week = f"summary_build_{BUILD_DAYS}_days_s"
    print(
        f"  summary build: 1 day {out['summary_build_s']} s ({out['summary_build_ms_per_salon_day']} ms per salon-day)"
        + (
            f", {BUILD_DAYS} days {out[week]} s ({out[f'summary_build_{BUILD_DAYS}_days_ms_per_salon_day']} ms per salon-day)"
            if week in out
            else ""
        )
    )
    print(f"  salons generated in {out['seed_s']} s")


if __name__ == "__main__":
    import os

    os.environ.setdefault(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/solibook_bench_search"
    )
    from bench import run as runner  # sets the environment for Django

    keep = "--keep-database" in sys.argv[1:]
    if not keep:
        runner.recreate_database()
    else:
        import psycopg

        name = runner.BENCH_DB.rsplit("/", 1)[1]
        with psycopg.connect(runner.BENCH_DB.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
            if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                c.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    scales = tuple(int(n) for n in os.environ.get("BENCH_SALONS", str(SALONS)).split(","))
    results: dict = {}
    run(results, scales=scales, keep=keep)
    for key in sorted(results, key=lambda k: results[k]["salons"]):
        report(results[key])
