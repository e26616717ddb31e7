#!/usr/bin/env python
"""Slot availability on django-appointment 3.12.0, on the workload of Solibook's benchmark.

Run with bench/.venv-django-appointment/bin/python (made by setup.sh beside this
file); django-appointment is installed there from PyPI, never copied here.

1. Drops and recreates the PostgreSQL database named in --db.
2. Configures a minimal Django project in-process; django-appointment ships no
   migrations, so `makemigrations appointment` writes them into a temporary
   MIGRATION_MODULES package, then `migrate`.
3. Builds the salon: --masters staff members (user + StaffMember + WorkingHours
   09:00-19:00 on all seven days, 15-minute slots), one 60-minute Service, and
   --appointments one-hour appointments (AppointmentRequest + Appointment + a
   client user each) at random free (staff, day, hour) over --spread-days days
   from --start, picked exactly like bench/workload.py picks them for Solibook
   (same seed -> same staff index, day and hour). --history adds that many more
   over --history-days days from --history-start, ending before --start.
4. One "query" = what the booking page's AJAX view get_available_slots_ajax
   computes, for each of the 7 days from --measure-start and every staff member:
   check_day_off_for_staff, is_working_day, then
   appointment.services.get_available_slots_for_staff(date, staff, weekday, service).
   (--via view calls the view itself through RequestFactory: adds SlotForm
   validation and the JSON response.) Warm-up once, then --repeat timed runs.

Before timing, every (staff, day) answer is checked against slots computed
here from the inserted hours: a start is free iff [start, start + 60 min) meets
no appointment of that staff member. A mismatch exits non-zero.

stdout: one JSON line. Everything else: stderr.
"""

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlparse

TOOL = "django-appointment 3.12.0"
HOURS = range(9, 19)  # appointment start hours; work 09:00-19:00
MIGRATIONS_PACKAGE = "da_bench_migrations"
URLS_MODULE = "da_bench_urls"

# django-appointment's loggers write to sys.stdout (bound when each logger is
# made, at import): send all of that to stderr, keep stdout for the JSON line.
STDOUT = sys.stdout
sys.stdout = sys.stderr


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/django_appointment_bench")
    p.add_argument("--masters", type=int, default=10)
    p.add_argument("--appointments", type=int, default=2000)
    p.add_argument("--spread-days", type=int, default=28)
    p.add_argument(
        "--start",
        type=date.fromisoformat,
        default=date(2030, 6, 3),
        help="first day of the appointment spread",
    )
    p.add_argument(
        "--measure-start",
        type=date.fromisoformat,
        default=None,
        help="first of the 7 measured days (default: --start)",
    )
    p.add_argument("--days", type=int, default=7, help="days measured per query")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--history", type=int, default=0, help="extra past appointments")
    p.add_argument(
        "--history-start",
        type=date.fromisoformat,
        default=None,
        help="default: --measure-start minus 3000 days (as bench/run.py)",
    )
    p.add_argument("--history-days", type=int, default=2900)
    p.add_argument("--history-seed", type=int, default=2)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument(
        "--via",
        choices=["function", "view"],
        default="function",
        help="function: the view's steps called directly (default); view: the AJAX view through RequestFactory",
    )
    p.add_argument("--batch", type=int, default=5000)
    args = p.parse_args()
    args.measure_start = args.measure_start or args.start
    args.history_start = args.history_start or (args.measure_start - timedelta(days=3000))
    if args.history and args.history_start + timedelta(days=args.history_days) > args.start:
        p.error("the history window must end on or before --start")
    return args


def recreate_database(url: str):
    """Drop and create the database; returns Django's DATABASES entry and an open admin connection.

    The admin connection holds an advisory lock named after the database until the run ends,
    so two runs on the same --db wait for each other instead of dropping each other's tables.
    """
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or not name:
        raise SystemExit(f"--db must be postgres://user@host:port/name, got {url!r}")
    admin = psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True)
    if not admin.execute(
        "SELECT pg_try_advisory_lock(hashtext(%s))", [f"django-appointment-bench:{name}"]
    ).fetchone()[0]:
        log(f"another run is using database {name}: waiting for it")
        admin.execute("SELECT pg_advisory_lock(hashtext(%s))", [f"django-appointment-bench:{name}"])
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    return admin, {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or "postgres"),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "127.0.0.1",
        "PORT": str(parts.port or 5432),
    }


def configure_django(database: dict, scratch: Path) -> None:
    """A minimal project: the apps, URLconf and settings the package's README asks for."""
    (scratch / MIGRATIONS_PACKAGE / "appointment").mkdir(parents=True)
    (scratch / MIGRATIONS_PACKAGE / "__init__.py").write_text("")
    (scratch / MIGRATIONS_PACKAGE / "appointment" / "__init__.py").write_text("")
    (scratch / f"{URLS_MODULE}.py").write_text(
        "from django.urls import include, path\n\nurlpatterns = [path('appointment/', include('appointment.urls'))]\n"
    )
    sys.path.insert(0, str(scratch))

    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="django-appointment-bench-" + "x" * 40,
        ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"],
        INSTALLED_APPS=[
            "django.contrib.admin",
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "django.contrib.staticfiles",
            "phonenumber_field",
            "appointment",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ],
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                    ]
                },
            }
        ],
        ROOT_URLCONF=URLS_MODULE,
        DATABASES={"default": database},
        MIGRATION_MODULES={"appointment": f"{MIGRATIONS_PACKAGE}.appointment"},
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        USE_TZ=True,
        TIME_ZONE="Europe/Paris",  # Solibook's bench salon is in Paris; django-appointment uses naive local times
        USE_I18N=True,
        LANGUAGE_CODE="en",
        STATIC_URL="/static/",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        APPOINTMENT_SLOT_DURATION=15,
        APPOINTMENT_LEAD_TIME=(9, 0),
        APPOINTMENT_FINISH_TIME=(19, 0),
        APPOINTMENT_BUFFER_TIME=0,
        APPOINTMENT_WEBSITE_NAME="Bench Salon",
    )
    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("makemigrations", "appointment", verbosity=0, interactive=False)
    call_command("migrate", verbosity=0, interactive=False)


def build_salon(masters: int):
    from appointment.models import Config, Service, StaffMember, WorkingHours
    from django.contrib.auth import get_user_model
    from django.db import transaction

    User = get_user_model()
    with transaction.atomic():
        Config(
            slot_duration=15,
            lead_time=dtime(9),
            finish_time=dtime(19),
            appointment_buffer_time=0,
            website_name="Bench Salon",
            default_to_service_duration=True,
        ).save()
        service = Service.objects.create(
            name="Cut",
            duration=timedelta(minutes=60),
            price=Decimal("45.00"),
            down_payment=Decimal("0"),
            currency="EUR",
        )
        users = User.objects.bulk_create(
            [
                User(
                    username=f"master{i}",
                    first_name="Master",
                    last_name=str(i),
                    email=f"master{i}@example.test",
                    is_staff=True,
                    password="!",
                )  # unusable password: nobody logs in
                for i in range(masters)
            ]
        )
        # bulk_create skips StaffMember's post_save (it sets is_staff, done above) and WorkingHours.save
        # (it sets work_on_saturday/sunday for days 6 and 0, set here).
        staff = StaffMember.objects.bulk_create(
            [
                StaffMember(
                    user=u,
                    slot_duration=15,
                    lead_time=dtime(9),
                    finish_time=dtime(19),
                    work_on_saturday=True,
                    work_on_sunday=True,
                )
                for u in users
            ]
        )
        through = StaffMember.services_offered.through
        through.objects.bulk_create([through(staffmember=s, service=service) for s in staff])
        WorkingHours.objects.bulk_create(
            [
                WorkingHours(staff_member=s, day_of_week=d, start_time=dtime(9), end_time=dtime(19))
                for s in staff
                for d in range(7)  # 0 = Sunday ... 6 = Saturday
            ]
        )
    return service, staff


def add_appointments(
    *, service, staff, start: date, days: int, count: int, seed: int, batch: int, tag: str
) -> list:
    """`count` one-hour appointments on free (staff, day, hour); the same draw as bench/workload.py."""
    from appointment.models import Appointment, AppointmentRequest
    from django.contrib.auth import get_user_model
    from django.db import transaction

    User = get_user_model()
    rng = random.Random(seed)
    free = [
        (s, start + timedelta(days=d), h)
        for s in range(len(staff))
        for d in range(days)
        for h in HOURS
    ]
    rng.shuffle(free)
    if count > len(free):
        raise SystemExit(f"only {len(free)} free hours for {count} appointments")
    chosen = free[:count]
    for offset in range(0, count, batch):
        rows = chosen[offset : offset + batch]
        with transaction.atomic():
            clients = User.objects.bulk_create(
                [
                    User(
                        username=f"{tag}client{offset + i}",
                        first_name="Client",
                        last_name=str(offset + i),
                        email=f"{tag}client{offset + i}@example.test",
                        password="!",
                    )
                    for i in range(len(rows))
                ]
            )
            # bulk_create skips AppointmentRequest.save() (it refuses past dates, and sets id_request)
            # and Appointment.save() (sets id_request and amount_to_pay): both set here.
            requests = AppointmentRequest.objects.bulk_create(
                [
                    AppointmentRequest(
                        date=day,
                        start_time=dtime(hour),
                        end_time=dtime(hour + 1),
                        service=service,
                        staff_member=staff[s],
                        payment_type="full",
                        id_request=f"{tag}{offset + i}",
                    )
                    for i, (s, day, hour) in enumerate(rows)
                ]
            )
            Appointment.objects.bulk_create(
                [
                    Appointment(
                        client=client,
                        appointment_request=ar,
                        phone="",
                        address="",
                        want_reminder=False,
                        paid=False,
                        amount_to_pay=Decimal("45.00"),
                        id_request=f"{tag}{offset + i}",
                    )
                    for i, (client, ar) in enumerate(zip(clients, requests, strict=True))
                ]
            )
    return chosen


def make_query(via: str, staff, service, days: list):
    """One query: every staff member on every day, as get_available_slots_ajax computes it."""
    from appointment.services import get_available_slots_for_staff
    from appointment.utils.db_helpers import (
        check_day_off_for_staff,
        get_weekday_num_from_date,
        is_working_day,
    )
    from django.utils import timezone

    def by_function() -> dict:
        out = {}
        for day in days:
            for index, sm in enumerate(staff):
                # the view's own steps, in its order (appointment/views.py get_available_slots_ajax)
                if check_day_off_for_staff(staff_member=sm, date=day):
                    out[index, day] = []
                    continue
                weekday_num = get_weekday_num_from_date(day)
                if not is_working_day(staff_member=sm, day=weekday_num):
                    out[index, day] = []
                    continue
                slots = get_available_slots_for_staff(day, sm, weekday_num, service=service)
                if day == timezone.localdate():
                    now = timezone.localtime().time()
                    slots = [slot for slot in slots if slot.time() > now]
                out[index, day] = slots
        return out

    if via == "function":
        return by_function

    from appointment.views import get_available_slots_ajax
    from django.test import RequestFactory

    factory = RequestFactory()

    def by_view() -> dict:
        out = {}
        for day in days:
            for index, sm in enumerate(staff):
                request = factory.get(
                    "/appointment/available_slots/",
                    {
                        "selected_date": day.isoformat(),
                        "staff_member": sm.pk,
                        "service_id": service.pk,
                    },
                    HTTP_X_REQUESTED_WITH="XMLHttpRequest",
                )
                body = json.loads(get_available_slots_ajax(request).content)
                out[index, day] = [
                    datetime.fromisoformat(iso) for iso, _label in body.get("available_slots", [])
                ]
        return out

    return by_view


def expected_slots(booked: set, staff_index: int, day: date) -> list:
    """Starts 09:00..18:00 every 15 minutes whose hour [start, start + 60) meets no booked hour."""
    out = []
    for minute in range(9 * 60, 18 * 60 + 1, 15):
        if not any(
            h * 60 < minute + 60 and minute < h * 60 + 60
            for h in range(9, 19)
            if (staff_index, day, h) in booked
        ):
            out.append(datetime.combine(day, dtime(minute // 60, minute % 60)))
    return out


def verify(result: dict, booked: set, days: list, masters: int) -> dict:
    mismatches, booked_hours, booked_offered = [], 0, 0
    for day in days:
        for s in range(masters):
            got = list(result[s, day])
            want = expected_slots(booked, s, day)
            if got != want:
                mismatches.append(
                    (
                        s,
                        day.isoformat(),
                        [t.strftime("%H:%M") for t in got],
                        [t.strftime("%H:%M") for t in want],
                    )
                )
            offered = {t.time() for t in got}
            for h in HOURS:
                if (s, day, h) in booked:
                    booked_hours += 1
                    booked_offered += dtime(h) in offered
    # Hours booked for every staff member: no one may offer a start within an hour before or after.
    full = [
        (day, h)
        for day in days
        for h in HOURS
        if all((s, day, h) in booked for s in range(masters))
    ]
    offered_anywhere = {t for v in result.values() for t in v}
    full_offered = sum(
        1
        for day, h in full
        for t in offered_anywhere
        if t.date() == day
        and datetime.combine(day, dtime(h)) - timedelta(minutes=60)
        < t
        < datetime.combine(day, dtime(h + 1))
    )
    return {
        "mismatches": mismatches,
        "booked_hours_in_window": booked_hours,
        "booked_hours_offered": booked_offered,
        "fully_booked_hours": len(full),
        "fully_booked_offered": full_offered,
    }


def timed(fn, repeat: int):
    last = fn()  # warm up
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        last = fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 3),
    }, last


def main() -> int:
    args = parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="da-bench-"))
    admin = None
    try:
        began = time.perf_counter()
        admin, database = recreate_database(args.db)
        configure_django(database, scratch)
        migrate()
        log(
            f"database {database['NAME']} recreated and migrated in {time.perf_counter() - began:.1f} s"
        )

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        service, staff = build_salon(args.masters)
        started = time.perf_counter()
        chosen = add_appointments(
            service=service,
            staff=staff,
            start=args.start,
            days=args.spread_days,
            count=args.appointments,
            seed=args.seed,
            batch=args.batch,
            tag="a",
        )
        log(f"{args.appointments} appointments inserted in {time.perf_counter() - started:.1f} s")
        if args.history:
            started = time.perf_counter()
            add_appointments(
                service=service,
                staff=staff,
                start=args.history_start,
                days=args.history_days,
                count=args.history,
                seed=args.history_seed,
                batch=args.batch,
                tag="h",
            )
            log(
                f"{args.history} history appointments ({args.history_start} + {args.history_days} days) "
                f"inserted in {time.perf_counter() - started:.1f} s"
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        from appointment.models import StaffMember

        # Fresh instances, as the view gets them from SlotForm (user not preloaded).
        staff = list(StaffMember.objects.filter(pk__in=[s.pk for s in staff]).order_by("pk"))
        days = [args.measure_start + timedelta(days=d) for d in range(args.days)]
        query = make_query(args.via, staff, service, days)

        booked = set(chosen)
        check = verify(query(), booked, days, len(staff))
        log(
            f"check: {check['booked_hours_in_window']} booked (staff, day, hour) in the measured window, "
            f"{check['booked_hours_offered']} of them offered as a slot; {len(check['mismatches'])} of "
            f"{len(days) * len(staff)} (staff, day) answers differ from the expected free starts; "
            f"{check['fully_booked_hours']} hours booked for every staff member, {check['fully_booked_offered']} "
            f"overlapping starts offered around them"
        )
        for s, day, got, want in check["mismatches"][:5]:
            log(f"  staff {s} {day}: got {got}\n  {'':>{len(str(s)) + len(day) + 7}}want {want}")
        if check["mismatches"] or check["booked_hours_offered"] or check["fully_booked_offered"]:
            log("FAILED: django-appointment's slots do not match the appointments in the database")
            return 1

        stats, last = timed(query, args.repeat)
        with CaptureQueriesContext(connection) as captured:
            query()
        slots = sum(len(v) for v in last.values())
        any_master = len({t for v in last.values() for t in v})
        log(
            f"{args.via}: median {stats['median_ms']} ms, p95 {stats['p95_ms']} ms over {args.repeat} runs; "
            f"{slots} slots ({any_master} distinct start times); {len(captured)} SQL queries per run"
        )
        result = {
            "tool": TOOL,
            **stats,
            "slots": slots,
            "appointments": args.appointments,
            "history": args.history,
            "queries_per_run": len(captured),
            "slots_any_master": any_master,
            "via": args.via,
            "masters": len(staff),
            "days": len(days),
            "verified": True,
        }
        print(json.dumps(result), file=STDOUT, flush=True)
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if admin is not None:
            admin.close()  # releases the lock


if __name__ == "__main__":
    sys.exit(main())
