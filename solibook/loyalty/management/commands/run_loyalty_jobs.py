"""The periodic job of loyalty (run from cron, e.g. hourly, or `run_periodic`).

Safe to run again or concurrently: expiry recomputes what is due under the
account's lock.
"""

from django.core.management.base import BaseCommand

from solibook.loyalty.services import points_expire_all


class Command(BaseCommand):
    help = "Expire points whose lots are past their expiry."

    def handle(self, *args, **options):
        expired = points_expire_all()
        self.stdout.write(f"points expired: {expired}")
