"""`manage.py run_corporate`: grant the month's wellness budgets (expiring what is
above each company's rollover cap first). Safe to run twice; `run_periodic` runs it
hourly so a new month's budgets are there on its first hour."""

from django.core.management.base import BaseCommand

from solibook.corporate.services import budgets_refresh


class Command(BaseCommand):
    help = "Grant the month's wellness budgets (safe to run twice)."

    def handle(self, *args, **options):
        done = budgets_refresh()
        self.stdout.write(f"wellness budgets checked: {done}")
