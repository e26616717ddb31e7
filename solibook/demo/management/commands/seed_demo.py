from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from solibook.accounts.models import User
from solibook.demo.data import DEMO_PASSWORD, DEMO_USERS
from solibook.demo.seed import seed_demo, seed_scale


class Command(BaseCommand):
    help = "Create the demo salons and users; --scale N adds N generated salons for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when users already exist.")
        parser.add_argument("--scale", type=int, default=0, help="Also generate this many salons (bulk inserts).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed for --scale (same seed, same data).")
        parser.add_argument("--no-demo", action="store_true", help="Only the --scale data, without the demo salons.")

    def handle(self, *args, if_empty: bool, scale: int, seed: int, no_demo: bool, **options):
        with scopes_disabled():
            empty = not User.objects.exists()
        if if_empty and not empty:
            self.stdout.write("Demo data already present.")
        elif not no_demo:
            seed_demo()
            self.stdout.write(self.style.SUCCESS("Demo salons created in Paris, Lyon, Moscow and Riyadh."))
        if scale:
            created = seed_scale(salons=scale, seed=seed)
            self.stdout.write(self.style.SUCCESS(f"{created} generated salons added (seed {seed})."))
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for email, name, *_ in DEMO_USERS:
            self.stdout.write(f"  {email:32} {name}")
