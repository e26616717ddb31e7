"""A busy salon for the model tests: a catalogue across hair colour, cuts, nails and skin,
masters working 9–20 six days a week, then the demo's synthetic history
(`solibook.demo.history.seed_history`: latent profiles, co-bookings, retail, churners)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django_scopes import scopes_disabled

from solibook.catalog.models import Business, Location, OpeningHours
from solibook.demo.history import HistoryTruth, seed_history
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, make_service
from solibook.testing.salon import give_shifts

# (name, category, minutes, price in cents)
CATALOGUE = (
    ("Colour", "colouring", 90, 8000),
    ("Highlights", "highlights", 120, 12000),
    ("Balayage", "balayage", 150, 15000),
    ("Hair care ritual", "hair-care", 30, 3500),
    ("Women's cut", "womens-haircut", 60, 5500),
    ("Men's cut", "mens-haircut", 30, 3000),
    ("Blow-dry", "blow-dry", 45, 3500),
    ("Kids' cut", "kids-haircut", 30, 2500),
    ("Gel nails", "gel-nails", 75, 4500),
    ("Manicure", "manicure", 45, 3000),
    ("Pedicure", "pedicure", 60, 4000),
    ("Facial", "facial", 60, 6500),
    ("Brow shaping", "brow-shaping", 20, 2000),
    ("Lash extensions", "lash-extensions", 90, 7000),
)
TEAMS = (  # each master's categories
    ("colouring", "highlights", "balayage", "hair-care", "blow-dry"),
    ("colouring", "highlights", "hair-care", "womens-haircut", "blow-dry"),
    ("womens-haircut", "mens-haircut", "blow-dry", "kids-haircut", "hair-care"),
    ("womens-haircut", "mens-haircut", "kids-haircut"),
    ("gel-nails", "manicure", "pedicure", "brow-shaping"),
    ("gel-nails", "manicure", "pedicure"),
    ("facial", "brow-shaping", "lash-extensions"),
)


@dataclass
class Busy:
    business: Business
    location: Location
    truth: HistoryTruth


def busy_salon(
    *, now: datetime, days: int = 240, clients: int = 400, seed: int = 7, fixed: int | None = None
) -> Busy:
    """`fixed` (a number) gives the salon a fixed slug and location id (the demo's generator
    seeds itself with both; other ids still vary, so rows differ a little between runs)."""
    if fixed is None:
        business = BusinessFactory(country="FR", currency="EUR")
        location = LocationFactory(business=business, time_zone="Europe/Paris")
    else:
        business = BusinessFactory(country="FR", currency="EUR", slug=f"synthetic-{fixed}")
        location = LocationFactory(
            business=business,
            time_zone="Europe/Paris",
            pk=900_000 + fixed,
            slug=f"synthetic-{fixed}",
        )
    services = {
        category: make_service(
            business, name=name, steps=[(minutes, True)], price=price, category_slug=category
        )
        for name, category, minutes, price in CATALOGUE
        if _category_exists(category)
    }
    for n, team in enumerate(TEAMS):
        master = make_master(
            business,
            locations=[location],
            services=[services[c] for c in team if c in services],
            name=f"Master {n}",
        )
        give_shifts(master, location, start=time(9), end=time(20), weekdays=range(6))
    with scopes_disabled():
        OpeningHours.objects.bulk_create(
            [
                OpeningHours(
                    business=business, location=location, weekday=d, opens=time(9), closes=time(20)
                )
                for d in range(6)
            ]
        )
        truth = seed_history(
            business=business, location=location, now=now, days=days, clients=clients, seed=seed
        )
    return Busy(business, location, truth)


def _category_exists(slug: str) -> bool:
    from solibook.catalog.taxonomy import CATEGORIES

    return any(row[0] == slug for row in CATEGORIES)
