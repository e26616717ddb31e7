"""`manage.py db_worker`: django-tasks-db's worker, plus a heartbeat.

The same command and options as the library's (this one takes its name:
solibook.core is listed before django_tasks_db in INSTALLED_APPS), and one
more: `--lease`. While it runs, a thread renews the worker's heartbeat every
third of the lease and requeues the jobs of workers that stopped beating
(`core.workers`), so a job left RUNNING by a killed worker runs again within
the lease. A clean stop (SIGTERM, SIGINT) removes the heartbeat.
"""

from typing import Any

from django.conf import settings
from django_tasks_db.management.commands import db_worker

from solibook.core.workers import Heartbeat


class Worker(db_worker.Worker):
    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stop()


class Command(db_worker.Command):
    help = (
        "Run a database background worker that keeps a heartbeat; jobs of dead workers are retried."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--lease",
            type=float,
            default=None,
            help="Seconds without a heartbeat after which a worker counts as dead and its "
            "running jobs are requeued (TASKS_WORKER_LEASE_SECONDS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lease: float | None = options.pop("lease", None)
        if lease is not None:
            settings.TASKS_WORKER_LEASE_SECONDS = lease
        original = db_worker.Worker
        # The library's handle() builds the worker by this name (it has no hook);
        # mypy refuses assigning to a class name.
        db_worker.Worker = Worker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]  # as above
