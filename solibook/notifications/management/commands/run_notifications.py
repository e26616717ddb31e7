"""`manage.py run_notifications`: the notification worker.

Loops: consume the outbox, send what is due, sleep. `--once` does one pass
(until the outbox and the due queue are drained, or one batch each with
`--single-batch`). Any number may run side by side on PostgreSQL (SKIP
LOCKED); on SQLite they take turns. SIGTERM / SIGINT stop it after the
current pass.
"""

import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from solibook.notifications.consumer import consume_outbox
from solibook.notifications.dispatcher import dispatch_due

log = logging.getLogger("solibook.notifications")


class Command(BaseCommand):
    help = "Turn booking events into notifications and send the due ones."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--batch", type=int, default=100)
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds to sleep when idle (NOTIFICATIONS_POLL_SECONDS).",
        )

    def handle(self, *args, once: bool, batch: int, interval: float | None, **options):
        interval = settings.NOTIFICATIONS_POLL_SECONDS if interval is None else interval
        self.verbosity = options.get("verbosity", 1)
        self.stopping = False

        def stop(signum, frame):
            self.stopping = True

        if once:
            self.one_pass(batch)
            return
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            close_old_connections()  # a long-lived worker outlives database restarts
            try:
                busy = self.one_pass(batch)
            except Exception:  # the database went away, say: log, wait, go on
                log.exception("notification pass failed")
                busy = False
            if self.stopping:
                break
            if not busy:
                deadline = time.monotonic() + interval
                while time.monotonic() < deadline and not self.stopping:
                    time.sleep(min(0.2, interval))
            if self.stopping:
                break

    def one_pass(self, batch: int) -> bool:
        consumed = total_sent = 0
        while (n := consume_outbox(batch=batch)) > 0:
            consumed += n
            if n < batch or self.stopping:
                break
        while True:
            result = dispatch_due(batch=batch)
            total_sent += result.sent
            if self.verbosity >= 2 and result.claimed:
                self.stdout.write(
                    f"sent {result.sent}, retrying {result.retrying}, failed {result.failed}, cancelled {result.cancelled}"
                )
            if result.claimed + result.cancelled < batch or self.stopping:
                break
        if self.verbosity >= 1 and (consumed or total_sent):
            self.stdout.write(f"events {consumed}, sent {total_sent}")
        return bool(consumed or total_sent)
