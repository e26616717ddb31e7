"""`manage.py run_finance`: expire unpaid deposit holds, renew memberships,
expire gift cards. `--once` for one pass (cron); otherwise loops every
`--interval` seconds (deposit holds last 30 minutes: a minute is plenty)."""

import time

from django.core.management.base import BaseCommand

from solibook.finance.tasks import expire_gift_cards, expire_unpaid_deposits, renew_memberships


class Command(BaseCommand):
    help = "Periodic money work: unpaid deposit holds, membership renewals, gift card expiry."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=float, default=60.0)

    def handle(self, *args, once: bool, interval: float, **options):
        while True:
            expired = expire_unpaid_deposits.call()
            renewed = renew_memberships.call()
            cards = expire_gift_cards.call()
            verbosity = options.get("verbosity", 1)
            if verbosity > 1 or (once and verbosity > 0):
                self.stdout.write(
                    f"expired holds: {expired}, memberships renewed: {renewed}, gift cards expired: {cards}"
                )
            if once:
                return
            time.sleep(interval)
