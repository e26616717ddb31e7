"""`manage.py run_periodic`: the product's periodic jobs in one loop, for `make run`
and small installs (a larger one runs the same commands from cron instead).

Each job is safe to run again or concurrently (unique keys, row locks), so a
second scheduler or a cron entry running beside this one does no harm.
"""

import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

log = logging.getLogger(__name__)

# (command, its options, every how many seconds)
JOBS: tuple[tuple[str, dict[str, object], int], ...] = (
    ("run_finance", {"once": True}, 60),  # unpaid deposit holds, memberships, gift cards
    ("run_loyalty_jobs", {}, 3600),  # points expiry
    ("run_referral_jobs", {}, 3600),  # referral rewards after review, salon invitations
    ("run_billing", {}, 3600),  # subscriptions renewed, monthly invoices, reminders
    ("privacy_retention", {}, 24 * 3600),  # anonymise clients inactive past retention
    ("forecast_fit", {}, 3600),  # demand forecasts older than a day are refitted
    ("run_marketing", {}, 60),  # scheduled campaigns, automatic journeys
    ("run_corporate", {}, 3600),  # the month's wellness budgets (grant, expiry, rollover)
    ("run_calendarsync", {}, 300),  # masters' calendars: busy time in, visits out
    ("run_webhooks", {}, 10),  # webhooks from the outbox, retries (the task worker first)
)


class Command(BaseCommand):
    help = "Run the periodic jobs (finance, loyalty, privacy retention) in a loop."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and stop")

    def handle(self, *args, once: bool, **options):
        due = {name: 0.0 for name, _options, _every in JOBS}
        while True:
            for name, job_options, every in JOBS:
                if time.monotonic() < due[name]:
                    continue
                try:
                    call_command(name, verbosity=0, **job_options)
                except Exception:  # one failing job must not stop the others
                    log.exception("periodic job %s failed", name)
                due[name] = time.monotonic() + every
            if once:
                return
            time.sleep(10)
