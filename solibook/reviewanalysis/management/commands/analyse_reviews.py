"""Read the reviews that have no analysis yet (or all of them with --all)."""

from django.core.management.base import BaseCommand

from solibook.reviewanalysis.services import current_models, reviews_analyse


class Command(BaseCommand):
    help = "Read reviews not read yet: language, sentiment, aspects; alerts on runs of bad ones."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="read every review again")

    def handle(self, *args, **options):
        if options["all"]:
            current_models(refresh=True)
        count = reviews_analyse(only_missing=not options["all"])
        self.stdout.write(f"{count} reviews read")
