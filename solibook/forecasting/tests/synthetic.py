"""A small synthetic salon for forecasting's tests: known weekday pattern,
a closed Sunday, a price change with a known elasticity, Poisson counts.
Visits are bulk-inserted (items only, no segments: forecasting reads items)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, AppointmentItem, Status
from solibook.catalog.models import OpeningHours
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, make_service
from solibook.testing.salon import give_shifts

NOW = datetime(2030, 6, 1, 6, 0, tzinfo=UTC)
WEEKDAY = (0.6, 0.8, 0.9, 1.0, 1.3, 1.6, 0.0)  # Monday..Sunday (closed)
ELASTICITY = -1.0


@dataclass
class Synthetic:
    business: object
    location: object
    services: list
    masters: list
    price_change_day: date


def build(
    *, days: int = 240, seed: int = 3, busy: float = 1.0, business=None, city="Paris", now=NOW
):
    """A salon with 4 services in two categories, 3 masters working Mon-Sat
    9-19, and `days` days of visits ending yesterday (before NOW)."""
    rng = np.random.default_rng(seed)
    business = business or BusinessFactory()
    location = LocationFactory(business=business, city=city)
    with scopes_disabled():
        OpeningHours.objects.bulk_create(
            [
                OpeningHours(
                    business=business, location=location, weekday=d, opens=time(9), closes=time(19)
                )
                for d in range(6)
            ]
        )
    cut = make_service(business, name="Cut", price=4000, category_slug="womens-haircut")
    blow = make_service(business, name="Blow-dry", price=2500, category_slug="womens-haircut")
    colour = make_service(
        business, name="Colour", price=9200, steps=[(90, True)], category_slug="colouring"
    )
    highlights = make_service(
        business, name="Highlights", price=12000, steps=[(120, True)], category_slug="colouring"
    )
    services = [cut, blow, colour, highlights]
    lea = make_master(business, locations=[location], services=[cut, blow], name="Léa")
    marc = make_master(business, locations=[location], services=[colour, highlights], name="Marc")
    zoe = make_master(business, locations=[location], services=services, name="Zoé")
    for master in (lea, marc, zoe):
        give_shifts(master, location, start=time(9), end=time(19), weekdays=range(6))
    zone = ZoneInfo(location.time_zone)
    last = now.astimezone(zone).date() - timedelta(days=1)
    first = last - timedelta(days=days - 1)
    change = last - timedelta(days=days // 3)
    base = {cut.pk: 6.0, blow.pk: 3.0, colour.pk: 3.5, highlights.pk: 1.2}
    old_colour_price = int(round(colour.price_amount / 1.15))
    masters = {cut.pk: lea, blow.pk: lea, colour.pk: marc, highlights.pk: marc}
    appointments, items = [], []
    day = first
    while day <= last:
        season = 1 + 0.15 * np.sin(2 * np.pi * day.timetuple().tm_yday / 365)
        for service in services:
            price = service.price_amount
            rate = base[service.pk] * busy * WEEKDAY[day.weekday()] * season
            if service.pk == colour.pk:
                if day < change:
                    price = old_colour_price
                else:
                    rate *= 1.15**ELASTICITY
            for _ in range(rng.poisson(rate)):
                hour = int(
                    rng.choice(
                        [9, 10, 11, 12, 14, 15, 16, 17],
                        p=[0.06, 0.14, 0.16, 0.1, 0.12, 0.14, 0.16, 0.12],
                    )
                )
                starts = datetime.combine(day, time(hour, int(rng.choice([0, 30]))), zone)
                ends = starts + timedelta(minutes=60 if service in (cut, blow) else 90)
                appointments.append(
                    Appointment(
                        business=business,
                        location=location,
                        status=Status.COMPLETED if rng.random() > 0.05 else Status.CANCELLED,
                        starts_at=starts.astimezone(UTC),
                        ends_at=ends.astimezone(UTC),
                        price_amount=price,
                        currency=business.currency,
                    )
                )
                items.append((service, masters[service.pk], starts, ends, price))
        day += timedelta(days=1)
    with scopes_disabled():
        created = Appointment.objects.bulk_create(appointments, batch_size=2000)
        AppointmentItem.objects.bulk_create(
            [
                AppointmentItem(
                    business=business,
                    appointment=a,
                    service=s,
                    master=m,
                    starts_at=st.astimezone(UTC),
                    ends_at=en.astimezone(UTC),
                    price_amount=p,
                )
                for a, (s, m, st, en, p) in zip(created, items, strict=True)
            ],
            batch_size=2000,
        )
    return Synthetic(business, location, services, [lea, marc, zoe], change)
