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
                           source=Source.BACK_OFFICE, account=UserFactory(email=f"visit{i}@example.test"), now=NOW)
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
                       account=UserFactory(email="late@example.test"), now=NOW)
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

    # Restarted (claims older than the lease are due again; 0 s here), twice.
    for _ in range(2):
        again = subprocess.run(
            worker,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env=_env(tmp_path, port, NOTIFICATIONS_CLAIM_LEASE_SECONDS="0"),
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

LEASE = 3  # seconds (20 by default): how long a dead worker's claims hold


def test_default_lease_lets_a_restarted_worker_resume_within_30_seconds(settings):
    from solibook.notifications.dispatcher import lease

    assert settings.NOTIFICATIONS_CLAIM_LEASE_SECONDS <= 20
    assert lease().total_seconds() + settings.NOTIFICATIONS_POLL_SECONDS <= 30


# (step at which the worker is killed, its batch size, messages delivered before
# the restart, workers restarted side by side)
STEPS = [
    # killed with six messages claimed and not sent; two workers restart side by side
    ("claimed", 100, 4, 2),
    # killed after the SMTP server took the fifth, before it was recorded
    ("sent", 100, 5, 1),
    # killed between batches: four sent and recorded, six not claimed yet
    ("recorded", 4, 4, 1),
]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_killed_at_each_step_resumes_within_the_lease_and_counts_deliveries(
    salon, smtp, settings, tmp_path
):
    """A real `run_notifications` process, a real SMTP server, PostgreSQL: the
    worker dies (SIGKILL) at one step of a batch, restarted workers send the
    rest once the dead one's lease ran out, and every delivery is counted.
    One group of ten confirmations per step (the others held back meanwhile)."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into
    from solibook.notifications.consumer import consume_outbox
    from solibook.notifications.models import Kind, Notification, NotificationStatus
    from solibook.testing.booking import book
    from solibook.testing.factories import UserFactory
    from solibook.testing.salon import MONDAY, paris

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    port = settings.EMAIL_PORT
    lease = {"NOTIFICATIONS_CLAIM_LEASE_SECONDS": str(LEASE)}

    def confirmations(step):
        with scopes_disabled():
            return Notification.objects.filter(kind=Kind.CONFIRMATION, email__startswith=f"{step}-")

    def statuses(step) -> dict:
        rows = confirmations(step)
        return {s: rows.filter(status=s).count() for s in NotificationStatus.values}

    try:
        for day, (step, *_rest) in enumerate(STEPS):
            for i in range(VISITS):
                book(
                    salon,
                    paris(9 + i // 2, day=MONDAY + timedelta(days=day)),
                    account=UserFactory(email=f"{step}-{i}@example.test"),
                    master=salon.marc if i % 2 else salon.lea,
                )
        assert consume_outbox(now=timezone.now()) == VISITS * len(STEPS)
        with scopes_disabled():  # each group waits for its turn
            Notification.objects.filter(kind=Kind.CONFIRMATION).update(
                due_at=timezone.now() + timedelta(days=1)
            )

        for step, batch, before_restart, restarted_workers in STEPS:
            confirmations(step).update(due_at=timezone.now())
            delivered = len(smtp.messages)
            crash = subprocess.run(
                [sys.executable, "manage.py", "run_notifications", "--once", "--batch", str(batch)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=120,
                env=_env(
                    tmp_path,
                    port,
                    DATABASE_URL=url,
                    NOTIFICATIONS_EMAIL_PROVIDER="solibook.notifications.tests.crashing.CrashingEmailProvider",
                    CRASH_STEP=step,
                    CRASH_AFTER="4",
                    **lease,
                ),
            )
            killed_at = time.monotonic()
            assert crash.returncode == -9, crash.stderr[-3000:]
            assert len(smtp.messages) - delivered == before_restart, step
            left = statuses(step)
            if step == "recorded":
                assert (left["sent"], left["sending"], left["pending"]) == (4, 0, VISITS - 4)
            else:  # the dead worker's claims: `sending` until its lease runs out
                assert (left["sent"], left["sending"]) == (4, VISITS - 4), left

            restarted = [
                subprocess.Popen(
                    [sys.executable, "manage.py", "run_notifications", "--interval", "0.2"]
                    + ["--batch", "2"],
                    cwd=ROOT,
                    env=_env(tmp_path, port, DATABASE_URL=url, **lease),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(restarted_workers)
            ]
            try:
                deadline = time.monotonic() + 60
                while statuses(step)["sent"] < VISITS and time.monotonic() < deadline:
                    time.sleep(0.1)
                resumed_in = time.monotonic() - killed_at
            finally:
                for process in restarted:
                    process.send_signal(signal.SIGTERM)
                for process in restarted:
                    _out, err = process.communicate(timeout=30)
                    # 0: stopped after its pass; -SIGTERM: stopped while still starting
                    # up (before its handler was installed), when the other did it all.
                    assert process.returncode in (0, -signal.SIGTERM), err[-3000:]
            # All sent within 30 s of the kill, start-up of the restarted workers included.
            assert statuses(step)["sent"] == VISITS, (step, statuses(step))
            assert resumed_in < 30, (step, resumed_in)
            print(f"killed at {step!r}: all {VISITS} sent {resumed_in:.1f} s after the kill")

            mails = [m for m in smtp.messages if m["To"].startswith(f"{step}-")]
            recipients = sorted(m["To"] for m in mails)
            ids = [m["Message-ID"] for m in mails]
            assert set(recipients) == {f"{step}-{i}@example.test" for i in range(VISITS)}
            assert len(set(ids)) == VISITS  # one Message-ID per message, whatever the attempts
            if step == "sent":
                # At least once: the message the provider took before the kill went
                # twice, with the same Message-ID (receivers deduplicate on it).
                assert len(mails) == VISITS + 1
                [twice] = [r for r in set(recipients) if recipients.count(r) == 2]
                assert len({m["Message-ID"] for m in mails if m["To"] == twice}) == 1
            else:
                assert len(mails) == VISITS  # exactly once
            sent = list(confirmations(step))
            assert {n.provider_message_id for n in sent} == set(ids)
            assert all(
                n.provider_message_id == f"<{n.delivery_key}@solibook.localhost>" for n in sent
            )
        assert len(smtp.messages) == VISITS * len(STEPS) + 1
    finally:
        load_into(Category)
