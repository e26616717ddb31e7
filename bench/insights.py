"""The owner's dashboards for `make bench` (bench/run.py calls `run`).

A busy salon's year from the demo's own generator (`solibook.demo.history`:
8 masters, colour, cut, nail and skin services, 1,200 clients), then:
- the whole dashboards' read for a year and for 30 days
  (`insights.dashboards.dashboard`: the period and the one before, occupancy
  by master and hour of the week, cohorts, lifetime value, sources, retail);
- its headline figures alone (`figures`) for a year;
against a floor measured in the same run over the same rows: one SQL
aggregate of the year's visits by local day and status, and one of its
checkout lines by local day (what any dashboard must at least read).
Checks that the dashboards' bookings and checked-out revenue equal the floor's.
Also the generator's time and rows.

Standalone: `BENCH_DATABASE_URL=postgres://.../db python bench/insights.py`
(the database is dropped and recreated).
"""

import sys
import time as clock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOW = datetime(2030, 6, 1, 8, 0, tzinfo=UTC)
CLIENTS = 1200
# (category slug, name, [(minutes, master busy)], price)
SERVICES = [
    ("colouring", "Roots colour", [(30, True), (35, False), (30, True)], 7000),
    ("highlights", "Highlights", [(60, True), (40, False), (45, True)], 14000),
    ("womens-haircut", "Women's cut", [(60, True)], 5000),
    ("blow-dry", "Blow-dry", [(30, True)], 3000),
    ("gel-nails", "Gel manicure", [(75, True)], 4500),
    ("manicure", "Manicure", [(45, True)], 3000),
    ("pedicure", "Pedicure", [(60, True)], 4000),
    ("facial", "Facial", [(60, True)], 6500),
    ("brow-shaping", "Brows", [(30, True)], 2500),
]
# Master -> the categories they do.
TEAM = [
    ("colouring", "highlights", "womens-haircut", "blow-dry"),
    ("colouring", "highlights", "womens-haircut", "blow-dry"),
    ("colouring", "womens-haircut", "blow-dry"),
    ("womens-haircut", "blow-dry"),
    ("gel-nails", "manicure", "pedicure"),
    ("gel-nails", "manicure", "pedicure"),
    ("gel-nails", "manicure", "pedicure", "brow-shaping"),
    ("facial", "brow-shaping"),
]


def build_salon():
    from django_scopes import scopes_disabled

    from solibook.catalog.models import (
        Business,
        Category,
        Location,
        Master,
        MasterLocation,
        MasterService,
        OpeningHours,
        Service,
        ServiceStep,
        WeeklyShift,
    )
    from solibook.catalog.services import business_settings_create

    with scopes_disabled():
        business = Business.objects.create(
            name="Bench busy salon", slug="bench-busy-salon", currency="EUR", country="FR"
        )
        business_settings_create(business=business)
        location = Location.objects.create(
            business=business,
            name="Busy salon",
            slug="busy",
            address="1 rue",
            city="Paris",
            country="FR",
            time_zone="Europe/Paris",
        )
        OpeningHours.objects.bulk_create(
            [
                OpeningHours(
                    business=business, location=location, weekday=d, opens=time(9), closes=time(20)
                )
                for d in range(7)
            ]
        )
        services = {}
        for position, (slug, name, steps, price) in enumerate(SERVICES):
            service = Service.objects.create(
                business=business,
                category=Category.objects.get(slug=slug),
                name=name,
                price_amount=price,
                currency="EUR",
                position=position,
            )
            ServiceStep.objects.bulk_create(
                [
                    ServiceStep(
                        business=business,
                        service=service,
                        position=i,
                        duration_minutes=m,
                        master_busy=busy,
                    )  # fmt: skip
                    for i, (m, busy) in enumerate(steps)
                ]
            )
            services[slug] = service
        masters = Master.objects.bulk_create(
            [
                Master(business=business, display_name=f"Master {i + 1}", position=i)
                for i in range(len(TEAM))
            ]
        )
        MasterLocation.objects.bulk_create(
            [MasterLocation(business=business, master=m, location=location) for m in masters]
        )
        MasterService.objects.bulk_create(
            [
                MasterService(business=business, master=m, service=services[slug])
                for m, slugs in zip(masters, TEAM, strict=True)
                for slug in slugs
            ]
        )
        WeeklyShift.objects.bulk_create(
            [
                WeeklyShift(
                    business=business,
                    master=m,
                    location=location,
                    weekday=d,
                    start=time(9 if i % 2 else 11),
                    end=time(18 if i % 2 else 20),
                )  # fmt: skip
                for i, m in enumerate(masters)
                for d in range(7)
                if d != i % 7  # one day off each
            ]
        )
    return business, location


def run(results: dict, *, clients: int = CLIENTS, timed=None):
    from django.db import connection
    from django_scopes import scopes_disabled

    from solibook.core.tenancy import business_scope
    from solibook.core.time import local_day_bounds
    from solibook.demo.history import seed_history
    from solibook.insights.dashboards import Period, dashboard, figures

    timed = timed or _timed
    business, location = build_salon()
    started = clock.perf_counter()
    with scopes_disabled():
        truth = seed_history(business=business, location=location, now=NOW, clients=clients)
    seed_s = clock.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    year = Period(truth.first_day, truth.last_day)
    month = Period(truth.last_day - timedelta(days=29), truth.last_day)
    since = local_day_bounds(year.start, location.time_zone)[0]
    until = local_day_bounds(year.end, location.time_zone)[1]

    def whole_year():
        with business_scope(business):
            return dashboard(business=business, location=location, period=year)

    def whole_month():
        with business_scope(business):
            return dashboard(business=business, location=location, period=month)

    def headline():
        with business_scope(business):
            return figures(business=business, location=location, period=year)

    def floor():
        day = "(starts_at AT TIME ZONE %s)::date"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {day}, status, COUNT(*) FROM booking_appointment "
                "WHERE location_id = %s AND starts_at >= %s AND starts_at < %s GROUP BY 1, 2",
                [location.time_zone, location.pk, since, until],
            )
            visits = cursor.fetchall()
            cursor.execute(
                "SELECT (c.created_at AT TIME ZONE %s)::date, SUM(l.net_amount) "
                "FROM finance_checkoutline l JOIN finance_checkout c ON c.id = l.checkout_id "
                "WHERE c.location_id = %s AND c.created_at >= %s AND c.created_at < %s "
                "AND l.kind IN ('service', 'product') GROUP BY 1",
                [location.time_zone, location.pk, since, until],
            )
            return visits, cursor.fetchall()

    visits, lines = floor()
    d = whole_year()
    booked = {"confirmed", "awaiting_deposit", "arrived", "in_progress", "completed", "no_show"}
    agree = d.current.bookings == sum(n for _d, s, n in visits if s in booked) and (
        d.current.checked_out_revenue == sum(s for _d, s in lines)
    )
    year_t, month_t, figures_t, floor_t = (
        timed(whole_year, 7),
        timed(whole_month, 7),
        timed(headline, 7),
        timed(floor, 7),
    )

    def ratio(t):
        return round(t["median_ms"] / max(floor_t["median_ms"], 0.001), 2)

    results["dashboards"] = row = {
        "clients": clients,
        "appointments": truth.appointments,
        "checkouts": truth.checkouts,
        "days": year.days,
        "history_seed_s": round(seed_s, 1),
        "dashboard_year": year_t,
        "dashboard_30_days": month_t,
        "figures_year": figures_t,
        "floor_sql_aggregates": floor_t,
        "ratio_year_to_floor": ratio(year_t),
        "ratio_30_days_to_floor": ratio(month_t),
        "ratio_figures_to_floor": ratio(figures_t),
        "all_agree": agree,
    }
    print(
        f"  Dashboards, a year of a busy salon ({truth.appointments} visits, {truth.checkouts} "
        f"checkouts, generated in {row['history_seed_s']} s): a year {year_t['median_ms']} ms "
        f"({row['ratio_year_to_floor']}x two SQL aggregates of {floor_t['median_ms']} ms), "
        f"30 days {month_t['median_ms']} ms ({row['ratio_30_days_to_floor']}x), the headline "
        f"figures of a year {figures_t['median_ms']} ms ({row['ratio_figures_to_floor']}x); "
        f"agree: {agree}"
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
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/solibook_bench_dash"
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
    (ROOT / "bench" / "results" / "insights.json").write_text(json.dumps(out, indent=2) + "\n")
