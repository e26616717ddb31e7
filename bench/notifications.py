#!/usr/bin/env python
"""Notification benchmark: the dispatcher against an in-process SMTP server.

1. Throughput: N bookings (through the booking service, so with their outbox
   events) become N confirmations (`consume_outbox`), sent by `dispatch_due`
   in batches of 100 to an aiosmtpd server on loopback: messages per second.
   Floor, measured in the same run: the very same N messages (the bytes the
   server received) sent again with plain smtplib over one connection, each
   batch's right after the dispatcher sent it, so that both meet the same load.
2. Commit to send: a `run_notifications` worker process polls every 50 ms
   while bookings commit one by one (every 40 ms); the delay from each
   booking's commit to its confirmation reaching the SMTP server, p50/p99.
   The worker is running when they start: a first booking's confirmation has
   reached the server (its start-up, which a loaded machine stretches to
   several seconds, is reported apart as `worker_ready_ms`).

`make bench` runs it from bench/run.py (its database is already migrated);
alone, `BENCH_DATABASE_URL=postgres://.../db python bench/notifications.py`
(default: the solibook_bench_notify database, dropped and created again)
merges its figures into bench/results/latest.json under "notifications".
"""

import asyncio
import json
import os
import smtplib
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MESSAGES = int(os.environ.get("BENCH_NOTIFICATION_MESSAGES", "400"))
LATENCY_BOOKINGS = int(os.environ.get("BENCH_NOTIFICATION_LATENCY_BOOKINGS", "60"))
DAY0 = datetime(2031, 1, 6, 8, 0, tzinfo=UTC)  # a Monday, 09:00 in Paris


class Inbox:
    """aiosmtpd handler: counts messages, remembers when each recipient's arrived."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.arrived: dict[str, float] = {}
        self.raw: list[tuple[str, str, bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        now = time.time()
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.arrived.setdefault(rcpt, now)
            self.raw.append(
                (
                    envelope.mail_from,
                    envelope.rcpt_tos[0],
                    envelope.original_content or envelope.content,
                )
            )
        return "250 OK"


def _smtp_server(inbox: Inbox):
    import logging
    import socket

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port, loop=asyncio.new_event_loop())
    controller.start()
    return controller


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


def _book(business, location, service, masters, user, index: int):
    from django.utils import timezone

    from solibook.booking.models import Source
    from solibook.booking.selectors import ItemSpec
    from solibook.booking.services import appointment_create
    from solibook.core.tenancy import business_scope

    slot = index % (len(masters) * 10)
    day, hour = index // (len(masters) * 10), slot // len(masters)
    master = masters[slot % len(masters)]
    start = DAY0 + timedelta(days=day, hours=hour)
    with business_scope(business):
        return appointment_create(
            business=business,
            location_id=location.pk,
            specs=[ItemSpec(service.pk, master_id=master.pk)],
            start=start,
            source=Source.BACK_OFFICE,
            account=user,
            now=timezone.now(),
        )


def dispatch_and_floor(port: int, inbox: Inbox, batch: int = 100) -> tuple[dict, dict]:
    """The dispatcher sends everything due, a batch at a time; after each batch the
    floor sends that batch's messages again (the bytes the server received) with plain
    smtplib over one connection. Interleaved, both meet the same load: on a machine
    shared with other work, a floor timed after the whole run saw other moments, and
    the ratio moved by 2x from one run to the next."""
    from solibook.notifications.dispatcher import dispatch_due

    dispatched = floor = 0.0
    sent = replayed = 0
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        while True:
            with inbox.lock:
                first = len(inbox.raw)
            started = time.perf_counter()
            result = dispatch_due(batch=batch)
            dispatched += time.perf_counter() - started
            if not result.claimed:
                break
            sent += result.sent
            with inbox.lock:
                messages = inbox.raw[first:]  # this batch's (the floor's own come after)
            replayed += len(messages)
            started = time.perf_counter()
            for mail_from, rcpt, content in messages:
                smtp.sendmail(mail_from, [rcpt], content)
            floor += time.perf_counter() - started
    return (
        {
            "sent": sent,
            "seconds": round(dispatched, 3),
            "messages_per_s": round(sent / dispatched, 1),
        },
        {
            "sent": replayed,
            "seconds": round(floor, 3),
            "messages_per_s": round(replayed / floor, 1),
        },
    )


def run(database_url: str) -> dict:
    """Both measures; Django is set up on `database_url`, migrated."""
    from django.conf import settings
    from django.db import connection
    from django_scopes import scopes_disabled

    from bench.workload import build_salon
    from solibook.accounts.models import User
    from solibook.core.models import OutboxEvent
    from solibook.notifications.consumer import consume_outbox
    from solibook.notifications.models import Notification

    inbox = Inbox()
    controller = _smtp_server(inbox)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        controller.port,
        False,
        10,
    )
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.NOTIFICATIONS_CHANNELS = ["email"]
    out: dict = {"messages": MESSAGES, "database": connection.vendor}
    try:
        stamp = datetime.now(UTC).strftime("%H%M%S%f")
        business, location, service, masters = build_salon(masters=10, slug=f"bench-notify-{stamp}")
        with scopes_disabled():
            OutboxEvent.objects.filter(processed_at__isnull=True).update(
                processed_at=datetime.now(UTC)
            )  # earlier phases' events
            users = User.objects.bulk_create(
                [
                    User(email=f"n{stamp}-{i}@bench.test", full_name=f"Client {i}", language="fr")
                    for i in range(MESSAGES + LATENCY_BOOKINGS + 1)  # + the worker's first
                ]
            )
            for i in range(MESSAGES):
                _book(business, location, service, masters, users[i], i)

            started = time.perf_counter()
            events = sum(iter(lambda: consume_outbox(batch=200), 0))
            out["consume_events_per_s"] = round(events / (time.perf_counter() - started), 1)

            from django.urls import reverse
            from django.utils import translation

            # The URL conf loads once per process and language (a long-running worker
            # has them all loaded), not per message: load each before the clock starts.
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    reverse("marketplace:salon", args=["warm-up"])
            out["dispatch"], out["floor_smtplib"] = dispatch_and_floor(controller.port, inbox)
            assert (
                Notification.objects.filter(business=business, status="sent").count()
                == MESSAGES
                == out["dispatch"]["sent"]
            )
        messages = list(inbox.raw)  # the dispatcher's, and the floor's copies of them
        out["ratio_to_floor"] = round(
            out["floor_smtplib"]["messages_per_s"] / out["dispatch"]["messages_per_s"], 2
        )
        out["bytes_per_message"] = round(statistics.mean(len(c) for _f, _r, c in messages))

        out["commit_to_send"] = _latency(
            database_url,
            controller.port,
            inbox,
            business,
            location,
            service,
            masters,
            users[MESSAGES:],
        )
    finally:
        controller.stop()
    return out


def _latency(database_url, port, inbox, business, location, service, masters, users) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": database_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "NOTIFICATIONS_CHANNELS": "email",
        "LOG_LEVEL": "WARNING",
    }
    env.setdefault("SECRET_KEY", "bench-" + "x" * 60)
    env.setdefault("ALLOWED_HOSTS", "localhost")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_notifications", "--interval", "0.05", "-v", "0"],
        cwd=ROOT,
        env=env,
    )
    started = time.time()
    committed: dict[str, float] = {}
    first, users = users[-1], users[:-1]
    ready = None
    try:
        # Running, not starting: a fixed pause of 3 s was too short on a loaded machine,
        # and the bookings then queued behind the worker's start-up (their delays fell
        # from 6 s for the first to 0.3 s for the last, and p50 measured the start-up).
        _book(business, location, service, masters, first, MESSAGES + len(users))
        deadline = time.time() + 120
        while time.time() < deadline and first.email not in inbox.arrived:
            time.sleep(0.05)
        if first.email in inbox.arrived:
            ready = round((inbox.arrived[first.email] - started) * 1000)
        for i, user in enumerate(users):
            _book(business, location, service, masters, user, MESSAGES + i)
            committed[user.email] = time.time()  # appointment_create returned: committed
            time.sleep(0.04)
        deadline = time.time() + 30
        while time.time() < deadline and any(email not in inbox.arrived for email in committed):
            time.sleep(0.05)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    delays = [
        (inbox.arrived[email] - at) * 1000
        for email, at in committed.items()
        if email in inbox.arrived
    ]
    return {
        "bookings": len(committed),
        "delivered": len(delays),
        "poll_interval_ms": 50,
        "worker_ready_ms": ready,
        "p50_ms": round(_percentile(delays, 0.5), 1) if delays else None,
        "p99_ms": round(_percentile(delays, 0.99), 1) if delays else None,
        "max_ms": round(max(delays), 1) if delays else None,
    }


def report_rows(out: dict) -> list[tuple[str, str, str]]:
    d, f, c = out["dispatch"], out["floor_smtplib"], out["commit_to_send"]
    return [
        (
            "notifications: floor (smtplib, same messages)",
            f"{f['messages_per_s']} msg/s",
            f"{out['bytes_per_message']} bytes each",
        ),
        (
            "notifications: dispatcher to SMTP",
            f"{d['messages_per_s']} msg/s",
            f"floor is {out['ratio_to_floor']}x; {d['sent']} sent",
        ),
        (
            "notifications: commit to send (50 ms poll)",
            f"p50 {c['p50_ms']} ms",
            f"p99 {c['p99_ms']} ms, {c['delivered']}/{c['bookings']} delivered"
            f" (worker ready {c.get('worker_ready_ms')} ms after start)",
        ),
    ]


def main() -> None:
    database_url = os.environ.get(
        "BENCH_DATABASE_URL",
        os.environ.get(
            "BENCH_NOTIFICATIONS_DATABASE_URL",  # its earlier name
            "postgres://postgres@127.0.0.1:5432/solibook_bench_notify",
        ),
    )
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=database_url,
        SECRET_KEY="bench-" + "x" * 60,
        ALLOWED_HOSTS="localhost",
        DEBUG="0",
        LOG_LEVEL="WARNING",
    )
    if database_url.startswith("postgres"):
        import psycopg

        name = database_url.rsplit("/", 1)[1]
        with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    out = run(database_url)
    latest = ROOT / "bench" / "results" / "latest.json"
    results = json.loads(latest.read_text()) if latest.exists() else {}
    results["notifications"] = out
    latest.parent.mkdir(exist_ok=True)
    latest.write_text(json.dumps(results, indent=2) + "\n")
    for name, value, note in report_rows(out):
        print(f"  {name:<46}  {value:>16}  {note}")


if __name__ == "__main__":
    main()


def run_into(results: dict) -> None:
    """bench/run.py's call (Django set up on BENCH_DB, migrated): adds
    results["notifications"] (written to latest.json by run.py) and prints its rows."""
    try:
        out = run(os.environ["DATABASE_URL"])
    except Exception as exc:  # a failing part must not lose the rest of the run's figures
        results["notifications"] = {"skipped": f"{type(exc).__name__}: {exc}"[:500]}
        return
    results["notifications"] = out
    for name, value, note in report_rows(out):
        print(f"  {name:<46}  {value:>16}  {note}")
