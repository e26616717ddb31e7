"""`manage.py forecast_fit`: refit the demand forecasts that are older than a
day (run daily by `run_periodic`; `--all` refits every location now)."""

from django.core.management.base import BaseCommand

from solibook.forecasting.services import forecast_fit_due


class Command(BaseCommand):
    help = "Fit the demand forecasts of locations whose forecast is older than a day."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="refit every location now")

    def handle(self, *args, all: bool, **options):
        fitted = forecast_fit_due(everything=all)
        if options.get("verbosity", 1):
            self.stdout.write(f"{fitted} location(s) fitted")
