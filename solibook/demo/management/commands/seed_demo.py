from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from solibook.accounts.models import User
from solibook.catalog.models import Master, Service
from solibook.demo.data import DEMO_PASSWORD, DEMO_USERS
from solibook.demo.platform_staff import PLATFORM_STAFF
from solibook.demo.seed import seed_demo, seed_scale


class Command(BaseCommand):
    help = (
        "Create the demo salons, users, catalogues and appointments; "
        "--scale N adds N generated salons for benchmarks (bulk inserts)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when users already exist."
        )
        parser.add_argument(
            "--scale", type=int, default=0, help="Also generate this many salons (bulk inserts)."
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed for --scale (same seed, same data)."
        )
        parser.add_argument(
            "--appointments-per-salon",
            type=int,
            default=20,
            help="Appointments per generated salon, over the 60 days before and the 30 days after today (default 20).",
        )
        parser.add_argument(
            "--no-demo", action="store_true", help="Only the --scale data, without the demo salons."
        )
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Without the year of past visits at one demo salon (solibook.demo.history).",
        )

    def handle(
        self,
        *args,
        if_empty: bool,
        scale: int,
        seed: int,
        appointments_per_salon: int,
        no_demo: bool,
        no_history: bool = False,
        **options,
    ):
        if scale < 0 or appointments_per_salon < 0:
            raise CommandError("--scale and --appointments-per-salon cannot be negative.")
        with scopes_disabled():
            empty = not User.objects.exists()
        if not empty and not if_empty and not no_demo:
            raise CommandError(
                "The database already has users: add --if-empty to keep them, or --no-demo for --scale data only."
            )
        if if_empty and not empty:
            self.stdout.write("Demo data already present.")
        elif not no_demo:
            demo = seed_demo(history=not no_history)
            with scopes_disabled():
                services, masters = Service.objects.count(), Master.objects.count()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo salons created in Paris, Lyon, Moscow and Riyadh: {services} services, {masters} masters, {demo.appointments} appointments"
                    + (
                        f", and a year of {demo.history.appointments} past visits at one salon."
                        if demo.history
                        else "."
                    )
                )
            )
            for missed in demo.missed:
                self.stderr.write(f"  demo visit not booked: {missed}")
        if scale:
            report = seed_scale(
                salons=scale, seed=seed, appointments_per_salon=appointments_per_salon
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"{report.salons} generated salons added with {report.appointments} appointments (seed {seed})."
                )
            )
        if scale or (not no_demo and not (if_empty and not empty)):
            call_command(
                "rebuild_free_time", days=30, stdout=self.stdout
            )  # marketplace search index
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for email, name, *_ in DEMO_USERS + PLATFORM_STAFF:
            self.stdout.write(f"  {email:32} {name}")
