"""The periodic job of webhooks (run by `run_periodic`, or from cron): fan new
outbox events out to subscribers, then send what is due (retries included).
Safe to run again or concurrently."""

from django.core.management.base import BaseCommand

from solibook.developers.delivery import pump


class Command(BaseCommand):
    help = "Fan outbox events out to webhooks and send the deliveries that are due."

    def handle(self, *args, **options):
        done = pump()
        self.stdout.write(f"deliveries written: {done['written']}; attempts: {done['sent']}")
