from django.core.management.base import BaseCommand

from solibook.privacy.services import retention_run
from solibook.privacy.tasks import retention_task


class Command(BaseCommand):
    help = (
        "Anonymise clients inactive for PRIVACY_CLIENT_RETENTION_DAYS (default 3 years). Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override the retention period")
        parser.add_argument(
            "--dry-run", action="store_true", help="only count who would be anonymised"
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="run it as a background task instead"
        )

    def handle(self, *args, days=None, dry_run=False, enqueue=False, **options):
        if days is not None and days < 30:
            self.stderr.write("Refusing a retention period under 30 days.")
            raise SystemExit(2)
        if enqueue:
            result = retention_task.enqueue(days=days)
            self.stdout.write(f"enqueued {result.id}")
            return
        counts = retention_run(days=days, dry_run=dry_run)
        prefix = "would anonymise" if dry_run else "anonymised"
        self.stdout.write(
            f"{prefix}: {counts['client_cards']} client cards, {counts['users']} client accounts"
        )
