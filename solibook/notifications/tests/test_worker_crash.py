"""Kill the worker in the middle of a batch, restart it: each message once."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
VISITS = 10

SETUP = r"""
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.utils import timezone
from solibook.booking.models import Source
from solibook.booking.selectors import ItemSpec
from solibook.booking.services import appointment_create
from solibook.core.tenancy import business_scope
from solibook.notifications.consumer import consume_outbox
from solibook.testing.factories import BusinessFactory, LocationFactory, UserFactory, make_master, make_service
from solibook.testing.salon import NOW, give_shifts, paris

business = BusinessFactory(lead_time_minutes=0, horizon_days=3650)
location = LocationFactory(business=business, time_zone="Europe/Paris")
cut = make_service(business, name="Cut", steps=[(30, True)], price=4500)
lea = make_master(business, locations=[location], services=[cut], name="Lea")
give_shifts(lea, location)
with business_scope(business):
    for i in range(%(visits)d):
        appointment_create(business=business, location_id=location.pk, specs=[ItemSpec(cut.pk, master_id=lea.pk)], start=paris(9 + i // 2, 30 * (i %% 2)),
                           source=Source.BACK_OFFICE, client=UserFactory(email=f"visit{i}@example.test"), now=NOW)
print(consume_outbox(now=timezone.now()))
"""


BOOK_ONE_MORE = r"""
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
import django
django.setup()
from django_scopes import scopes_disabled
from solibook.booking.models import Source
from solibook.booking.selectors import ItemSpec
from solibook.booking.services import appointment_create
from solibook.catalog.models import Business, Location, Master, Service
from solibook.core.tenancy import business_scope
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW, paris

business = Business.objects.get()
with scopes_disabled():
    cut, lea, location = Service.objects.get(), Master.objects.get(), Location.objects.get()
with business_scope(business):
    appointment_create(business=business, location_id=location.pk,
                       specs=[ItemSpec(cut.pk, master_id=lea.pk)], start=paris(17), source=Source.BACK_OFFICE,
                       client=UserFactory(email="late@example.test"), now=NOW)
"""


def _env(tmp_path, smtp_port: int, **extra) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "localhost",
        "DEBUG": "0",
        "SOLIBOOK_VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def test_worker_killed_mid_batch_then_restarted_sends_each_message_once(smtp, settings, tmp_path):
    port = settings.EMAIL_PORT
    setup = subprocess.run(
        [sys.executable, "-c", SETUP % {"visits": VISITS}],
        cwd=ROOT,
        env=_env(tmp_path, port),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    assert setup.stdout.split()[-1] == str(VISITS)

    worker = [sys.executable, "manage.py", "run_notifications", "--once", "--batch", "100"]
    crash = subprocess.run(
        worker,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(
            tmp_path,
            port,
            NOTIFICATIONS_EMAIL_PROVIDER="solibook.notifications.tests.crashing.CrashingEmailProvider",
            CRASH_AFTER="4",
        ),
    )
    assert crash.returncode == -9, crash.stderr[-3000:]
    assert len(smtp.messages) == 4, (
        crash.stderr[-3000:] + crash.stdout
    )  # killed while the other six were claimed

    # Restarted (claims older than the timeout are due again; 0 s here), twice.
    for _ in range(2):
        again = subprocess.run(
            worker,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env=_env(tmp_path, port, NOTIFICATIONS_SENDING_TIMEOUT_SECONDS="0"),
        )
        assert again.returncode == 0, again.stderr[-3000:]

    recipients = sorted(address for m in smtp.messages for address in [m["To"]])
    assert recipients == sorted(f"visit{i}@example.test" for i in range(VISITS))
    assert len({m["Message-ID"] for m in smtp.messages}) == VISITS

    # The looping worker picks up a booking committed while it runs, and stops on SIGTERM.
    loop = subprocess.Popen(
        [sys.executable, "manage.py", "run_notifications", "--interval", "0.2"],
        cwd=ROOT,
        env=_env(tmp_path, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        more = subprocess.run(
            [sys.executable, "-c", BOOK_ONE_MORE],
            cwd=ROOT,
            env=_env(tmp_path, port),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert more.returncode == 0, more.stderr[-3000:]
        deadline = time.monotonic() + 30
        while not smtp.to("late@example.test") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(smtp.to("late@example.test")) == 1
    finally:
        loop.send_signal(signal.SIGTERM)
        _out, err = loop.communicate(timeout=30)
    assert loop.returncode == 0, err[-3000:]
    assert len(smtp.messages) == VISITS + 1


pytestmark = pytest.mark.django_db


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_killed_worker_then_two_restarted_workers_send_each_message_once(
    salon, smtp, settings, tmp_path
):
    """The same on PostgreSQL: the worker processes use the test database; after
    the kill, two workers restart side by side and share the rest (SKIP LOCKED)."""
    from django.db import connection
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into
    from solibook.notifications.consumer import consume_outbox
    from solibook.notifications.models import Kind, Notification, NotificationStatus
    from solibook.notifications.tests.conftest import book
    from solibook.testing.factories import UserFactory
    from solibook.testing.salon import paris

    try:
        for i in range(VISITS):
            book(
                salon,
                paris(9 + i // 2),
                client=UserFactory(email=f"pg{i}@example.test"),
                master=salon.marc if i % 2 else salon.lea,
            )
        assert (
            consume_outbox(now=timezone.now()) == VISITS
        )  # confirmations due now; reminders (2030) later
        db = connection.settings_dict
        url = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
        port = settings.EMAIL_PORT
        worker = [sys.executable, "manage.py", "run_notifications", "--once", "--batch", "100"]
        crash = subprocess.run(
            worker,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env=_env(
                tmp_path,
                port,
                DATABASE_URL=url,
                NOTIFICATIONS_EMAIL_PROVIDER="solibook.notifications.tests.crashing.CrashingEmailProvider",
                CRASH_AFTER="4",
            ),
        )
        assert crash.returncode == -9, crash.stderr[-3000:]
        assert len(smtp.messages) == 4
        with scopes_disabled():
            assert (
                Notification.objects.filter(
                    kind=Kind.CONFIRMATION, status=NotificationStatus.SENDING
                ).count()
                == VISITS - 4
            )

        # Claims older than the sending timeout are due again: 3 s here (600 s by
        # default), long enough that the two workers never take back each other's
        # fresh claims, short enough for a test.
        time.sleep(3.5)
        restarted = [
            subprocess.Popen(
                worker + ["--batch", "2"],
                cwd=ROOT,
                env=_env(
                    tmp_path, port, DATABASE_URL=url, NOTIFICATIONS_SENDING_TIMEOUT_SECONDS="3"
                ),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for process in restarted:
            _out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err[-3000:]

        assert sorted(m["To"] for m in smtp.messages) == sorted(
            f"pg{i}@example.test" for i in range(VISITS)
        )
        ids = {m["Message-ID"] for m in smtp.messages}
        assert len(ids) == VISITS
        with scopes_disabled():
            sent = list(Notification.objects.filter(kind=Kind.CONFIRMATION))
        assert (
            all(n.status == NotificationStatus.SENT for n in sent)
            and {n.provider_message_id for n in sent} == ids
        )
    finally:
        load_into(Category)
