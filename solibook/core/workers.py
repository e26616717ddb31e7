"""Crash safety of the background task workers (django-tasks-db's `db_worker`).

django-tasks-db marks a job RUNNING when a worker claims it and only a live
worker ever finishes it: a worker killed mid-job (SIGKILL, OOM, a lost
machine) leaves the job RUNNING for ever. So each worker (our `db_worker`,
`core/management/commands/db_worker.py`) keeps a `WorkerHeartbeat` row fresh
every third of TASKS_WORKER_LEASE_SECONDS (30 s) from a thread, and
`requeue_abandoned` puts the RUNNING jobs of workers whose beat is older than
the lease back in the queue (READY; the attempts are the job's `worker_ids`).
A job that lost its worker TASKS_MAX_ATTEMPTS times (it may be what kills
it) is failed for good with `WorkerLost`. Live workers run it at start and
at every beat, and `run_periodic` runs it too.

A requeued job runs again from the start: every task must be safe to run
twice (see docs/security.md, "Under a crash").
"""

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from solibook.core.models import WorkerHeartbeat

log = logging.getLogger("solibook.tasks")


class WorkerLost(Exception):
    """The worker running a task stopped (no heartbeat) too many times."""


def lease() -> timedelta:
    return timedelta(seconds=settings.TASKS_WORKER_LEASE_SECONDS)


def beat(worker_id: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now):
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"beat_at": now, "hostname": socket.gethostname()[:255], "pid": os.getpid()},
        )


def forget(worker_id: str) -> None:
    """A worker stopping cleanly: nothing of it to recover."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def requeue_abandoned(now: datetime | None = None) -> tuple[int, int]:
    """Jobs left RUNNING by workers without a fresh heartbeat: back to READY,
    or FAILED after TASKS_MAX_ATTEMPTS. Returns (requeued, failed)."""
    now = now or timezone.now()
    stale = now - lease()
    requeued = failed = 0
    with transaction.atomic():
        alive = set(
            WorkerHeartbeat.objects.filter(beat_at__gte=stale).values_list("worker_id", flat=True)
        )
        running = DBTaskResult.objects.running().filter(started_at__lt=stale)
        if connection.vendor == "postgresql":  # never wait for, nor fight over, a row
            running = running.select_for_update(skip_locked=True)
        for job in running:
            worker = job.worker_ids[-1] if job.worker_ids else ""
            if worker in alive:
                continue
            attempts = len(job.worker_ids)
            if attempts >= settings.TASKS_MAX_ATTEMPTS:
                job.status = TaskResultStatus.FAILED
                job.finished_at = now
                job.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
                job.traceback = (
                    f"WorkerLost: worker {worker} stopped while running this task "
                    f"({attempts} attempts, each lost with its worker); not retried again\n"
                )
                job.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                failed += 1
                log.error(
                    "task failed for good: its worker died %d times",
                    attempts,
                    extra={"task_id": str(job.pk), "task_path": job.task_path},
                )
            else:
                job.status = TaskResultStatus.READY
                job.started_at = None
                job.save(update_fields=["status", "started_at"])
                requeued += 1
                log.warning(
                    "task requeued: its worker stopped",
                    extra={"task_id": str(job.pk), "task_path": job.task_path, "worker": worker},
                )
        # Heartbeats of workers long gone (a beat older than ten leases).
        WorkerHeartbeat.objects.filter(beat_at__lt=now - 10 * lease()).delete()
    return requeued, failed


class Heartbeat:
    """A daemon thread: beat every third of the lease, recover others' jobs."""

    def __init__(self, worker_id: str, interval: float | None = None) -> None:
        self.worker_id = worker_id
        self.interval = (
            interval if interval is not None else settings.TASKS_WORKER_LEASE_SECONDS / 3
        )
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, name="tasks-heartbeat", daemon=True)

    def start(self) -> None:
        beat(self.worker_id)  # before the first claim
        requeue_abandoned()
        self.thread.start()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                try:
                    close_old_connections()
                    beat(self.worker_id)
                    requeue_abandoned()
                except Exception:  # the database went away, say: try again next beat
                    log.exception("task worker heartbeat failed")
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=10)
        try:
            forget(self.worker_id)
        except Exception:
            log.exception("could not remove the worker's heartbeat")
