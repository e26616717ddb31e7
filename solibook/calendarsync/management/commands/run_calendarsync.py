"""`manage.py run_calendarsync`: pull every connected master's calendar and push
their visits (safe to run twice; `run_periodic` runs it every five minutes)."""

from django.core.management.base import BaseCommand

from solibook.calendarsync.services import sync_all


class Command(BaseCommand):
    help = "Synchronise the masters' calendars (CalDAV, Google) both ways."

    def handle(self, *args, **options):
        count = sync_all()
        self.stdout.write(f"calendars synchronised: {count}")
