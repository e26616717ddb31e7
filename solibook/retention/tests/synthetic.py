"""A small synthetic salon for the retention tests (until the demo's history is used):
clients with their own rebooking interval; a share of churners whose intervals stretch
before they stop, some after a bad review."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, Status
from solibook.catalog.models import Business, Location
from solibook.clients.models import Client
from solibook.reviews.models import Review
from solibook.testing.factories import BusinessFactory, LocationFactory


@dataclass
class Truth:
    business: Business
    location: Location
    churners: set[int]


def small_salon(*, now: datetime, clients: int = 300, days: int = 540, seed: int = 3) -> Truth:
    rng = random.Random(seed)
    business = BusinessFactory()
    location = LocationFactory(business=business)
    start = now - timedelta(days=days)
    churners: set[int] = set()
    with scopes_disabled():
        cards = Client.objects.bulk_create(
            [
                Client(business=business, first_name=f"C{i}", last_name="Test")
                for i in range(clients)
            ]
        )
        appointments: list[Appointment] = []
        bad_reviews: list[int] = []
        for card in cards:
            interval = rng.uniform(21, 75)
            first = start + timedelta(days=rng.uniform(0, days * 0.8))
            churner = rng.random() < 0.3
            stop = first + timedelta(days=rng.uniform(60, days)) if churner else None
            day, stretch, bad = first, 1.0, churner and rng.random() < 0.4
            while day < now:
                if stop is not None and day > stop:
                    churners.add(card.pk)
                    break
                no_show = rng.random() < (0.12 if churner else 0.03)
                appointments.append(
                    Appointment(
                        business=business,
                        location=location,
                        client_card=card,
                        status=Status.NO_SHOW if no_show else Status.COMPLETED,
                        starts_at=day,
                        ends_at=day + timedelta(hours=1),
                        price_amount=rng.choice((3500, 4500, 8000, 12000)),
                        currency="EUR",
                    )
                )
                if stop is not None and day > stop - timedelta(days=3 * interval):
                    stretch *= 1.35
                    if bad and not no_show:
                        bad_reviews.append(len(appointments) - 1)
                        bad = False
                day += timedelta(days=interval * stretch * rng.uniform(0.8, 1.25))
        Appointment.objects.bulk_create(appointments, batch_size=2000)
        Review.objects.bulk_create(
            [
                Review(
                    business=business,
                    appointment=appointments[i],
                    location=location,
                    author_name="C",
                    rating=rng.choice((1, 2)),
                )
                for i in bad_reviews
            ]
        )
    return Truth(business, location, churners)
