from django.core.management.base import BaseCommand, CommandError

from solibook.marketplace.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the marketplace listings and the free-time summary of the next N days (every business, or one)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=30, help="How many days ahead (default 30)."
        )
        parser.add_argument("--business", type=int, help="Only this business id.")

    def handle(self, *args, days: int, business: int | None, **options):
        if not 1 <= days <= 400:
            raise CommandError("--days must be between 1 and 400.")
        rows = rebuild(business_ids=[business] if business else None, days=days)
        self.stdout.write(self.style.SUCCESS(f"{rows} free-time rows written."))
