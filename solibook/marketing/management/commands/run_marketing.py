"""The periodic job of marketing (run by `run_periodic`, or from cron): start the
scheduled campaigns whose time has come, queue what is left of the sending ones,
and run the journeys that are on. Safe to run again or concurrently."""

from django.core.cache import cache
from django.core.management.base import BaseCommand

from solibook.marketing.journeys import journeys_run
from solibook.marketing.services import campaigns_run


class Command(BaseCommand):
    help = "Queue due campaigns and run the automatic journeys."

    def handle(self, *args, **options):
        campaigns = campaigns_run()
        journeys = 0
        # Journeys look at a day's visits: a quarter of an hour between runs is plenty.
        if cache.add("marketing:journeys-ran", True, timeout=15 * 60):
            journeys = journeys_run()
        self.stdout.write(f"campaign messages queued: {campaigns}; journey messages: {journeys}")
