"""A task worker killed mid-job: the job is retried by another worker once the
dead one's heartbeat is older than the lease, never while its worker lives,
and failed for good after TASKS_MAX_ATTEMPTS lost workers."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import get_commands
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from solibook.core.models import WorkerHeartbeat
from solibook.core.workers import beat, requeue_abandoned

ROOT = Path(__file__).resolve().parents[3]
LEASE = 2.0  # seconds (30 by default)


def enqueue(task_path: str, **kwargs) -> DBTaskResult:
    """A job as `task.enqueue()` on the database backend stores it."""
    return DBTaskResult.objects.create(
        task_path=task_path,
        args_kwargs={"args": [], "kwargs": kwargs},
        backend_name="default",
        queue_name="default",
        run_after=get_date_max(),
    )


def running(job: DBTaskResult, *, workers: list[str], started: timedelta) -> DBTaskResult:
    job.status = TaskResultStatus.RUNNING
    job.worker_ids = workers
    job.started_at = timezone.now() - started
    job.save()
    return job


# Every task, and why it may run twice (a requeued job runs again from the start).
RUN_TWICE_SAFE = {
    "solibook.booking.tasks.offer_freed_time": "an entry turns OFFERED in its hold's "
    "transaction; offered entries are skipped (booking/tests/test_tasks_twice.py)",
    "solibook.clients.tasks.run_import": "resumes after the last committed chunk "
    "(clients/tests/test_imports.py)",
    "solibook.finance.tasks.settle_appointment": "a fee payment marks it done; deposits "
    "move by state (finance/tests/test_online.py, settling again)",
    "solibook.finance.tasks.expire_unpaid_deposits": "visits expire under a row lock; "
    "payments left open on expired visits are released by the next run "
    "(finance/tests/test_tasks_twice.py)",
    "solibook.finance.tasks.renew_memberships": "only ended periods; the card charge "
    "carries a key per membership and period; the period moves under a row lock",
    "solibook.finance.tasks.expire_gift_cards": "one posting per card, under its row lock",
    "solibook.marketplace.tasks.refresh_business": "rewrites derived rows",
    "solibook.forecasting.tasks.refit_business": "replaces each location's one fitted run",
    "solibook.marketing.tasks.campaign_queue_task": "one row per (campaign, card), unique, "
    "claimed with SKIP LOCKED and queued with its message (marketing/tests: a rerun queues "
    "nothing twice)",
    "solibook.marketing.tasks.marketing_pass": "campaigns as above; a journey sends once per "
    "client per period (a unique constraint)",
    "solibook.reviewanalysis.tasks.analyse_review": "rewrites the review's one analysis row; "
    "an alert is unique per run of bad reviews",
    "solibook.reviewanalysis.tasks.analyse_business_reviews": "reads only reviews without an "
    "analysis, a batch at a time",
    "solibook.notifications.tasks.consume_outbox_task": "one transaction per batch",
    "solibook.developers.tasks.webhooks_pump": "deliveries are unique per (webhook, event); "
    "a send is claimed with SKIP LOCKED and a lease, so two passes never send it at once",
    "solibook.notifications.tasks.dispatch_due_task": "claims with a lease, unique keys",
    "solibook.notifications.tasks.notifications_pass": "the two above",
    "solibook.privacy.tasks.retention_task": "anonymised clients no longer match",
    "solibook.booking.tasks.finalise_no_show": "under the visit's row lock, a mark already "
    "finalised (or undone) has no pending mark and the task returns without writing",
    "solibook.calendarsync.tasks.sync_connection": "a lease per connection; pulls replace "
    "busy time by its source, pushes write each visit by its stable UID",
    "solibook.compliance.tasks.fiscal_send": "a receipt is claimed by a conditional update; "
    "one the operator has is only polled, and a resend carries the same external id, which "
    "the operator refuses twice (compliance/tests/test_fiscal.py)",
    "solibook.core.tests.crash_tasks.long_job": "a test task",
}


def test_every_task_is_known_to_be_safe_to_run_twice():
    """A new task fails here until someone says why a second run does no harm."""
    import importlib

    from django_tasks_db.compat import Task

    found = set()
    for module_file in [
        *ROOT.glob("solibook/*/tasks.py"),
        ROOT / "solibook/core/tests/crash_tasks.py",
    ]:
        name = ".".join(module_file.relative_to(ROOT).with_suffix("").parts)
        if (module_file.parent / "services").exists():  # loaded first, as at run time
            importlib.import_module(name.replace(".tasks", ".services"))
        module = importlib.import_module(name)
        found |= {
            f"{name}.{attr}" for attr, value in vars(module).items() if isinstance(value, Task)
        }
    assert found == set(RUN_TWICE_SAFE)


def test_db_worker_is_ours_and_make_run_starts_it():
    assert get_commands()["db_worker"] == "solibook.core"
    assert "manage.py db_worker" in (ROOT / "Makefile").read_text()


@pytest.mark.django_db
def test_only_jobs_of_silent_workers_are_requeued_then_failed_for_good(settings):
    settings.TASKS_WORKER_LEASE_SECONDS = 30
    settings.TASKS_MAX_ATTEMPTS = 3
    now = timezone.now()
    beat("alive", now - timedelta(seconds=5))
    beat("dead", now - timedelta(seconds=31))
    path = "solibook.core.tests.crash_tasks.long_job"
    long_but_alive = running(enqueue(path), workers=["alive"], started=timedelta(hours=1))
    abandoned = running(enqueue(path), workers=["dead"], started=timedelta(minutes=5))
    never_beat = running(enqueue(path), workers=["gone"], started=timedelta(minutes=5))
    just_claimed = running(enqueue(path), workers=["gone"], started=timedelta(seconds=1))
    third_loss = running(enqueue(path), workers=["a", "b", "dead"], started=timedelta(minutes=5))

    assert requeue_abandoned(now) == (2, 1)
    for job in (long_but_alive, abandoned, never_beat, just_claimed, third_loss):
        job.refresh_from_db()
    assert long_but_alive.status == just_claimed.status == TaskResultStatus.RUNNING
    assert abandoned.status == never_beat.status == TaskResultStatus.READY
    assert abandoned.started_at is None and abandoned in DBTaskResult.objects.ready()
    assert third_loss.status == TaskResultStatus.FAILED
    assert third_loss.exception_class_path == "solibook.core.workers.WorkerLost"
    assert requeue_abandoned(now) == (0, 0)  # nothing twice
    # Heartbeats of workers gone for ten leases are swept.
    beat("ancient", now - timedelta(seconds=301))
    requeue_abandoned(now)
    assert not WorkerHeartbeat.objects.filter(worker_id="ancient").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_job_left_running_by_a_killed_db_worker_is_retried_by_the_next_one(tmp_path):
    """Real `manage.py db_worker` processes on PostgreSQL: the first is killed
    (SIGKILL) in the middle of a job; a restarted worker finds the job RUNNING
    with a silent worker and runs it again within the lease."""
    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "localhost",
        "DEBUG": "0",
        "SOLIBOOK_VAR_DIR": str(tmp_path),
        "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    worker = [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.1"]
    worker += ["--no-startup-delay", "--no-reload", "--lease", str(LEASE), "-v", "0"]
    marker = tmp_path / "attempts.txt"
    job = enqueue("solibook.core.tests.crash_tasks.long_job", marker=str(marker), seconds=120)

    def status() -> str:
        job.refresh_from_db()
        return job.status

    def wait_for(wanted: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while status() != wanted and time.monotonic() < deadline:
            time.sleep(0.05)
        assert job.status == wanted, job.status

    first = subprocess.Popen(worker, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(TaskResultStatus.RUNNING, 60)
        while not marker.exists():  # inside the task now
            time.sleep(0.05)
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
    killed_at = time.monotonic()
    assert first.returncode == -signal.SIGKILL
    assert WorkerHeartbeat.objects.filter(worker_id=job.worker_ids[-1]).exists()
    time.sleep(LEASE / 2)
    assert status() == TaskResultStatus.RUNNING  # left behind by the dead worker

    second = subprocess.Popen(worker, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(TaskResultStatus.SUCCESSFUL, 60)
        retried_in = time.monotonic() - killed_at
    finally:
        second.send_signal(signal.SIGTERM)
        _out, err = second.communicate(timeout=30)
    assert second.returncode == 0, err[-3000:]
    print(f"job retried and done {retried_in:.1f} s after its worker was killed")
    assert retried_in < LEASE + 20
    assert marker.read_text().splitlines() == ["started", "started"]
    assert job.return_value == 2 and len(job.worker_ids) == 2
    assert len(set(job.worker_ids)) == 2
    # The clean stop removed the second worker's heartbeat; the dead one's stays until swept.
    assert not WorkerHeartbeat.objects.filter(worker_id=job.worker_ids[-1]).exists()
