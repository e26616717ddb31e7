"""A small salon for booking tests: two masters, a cut and a colouring, shifts 9-18 every day."""

from dataclasses import dataclass
from datetime import UTC, datetime, time

import pytest
from django_scopes import scopes_disabled

from solibook.catalog.models import Location, Master, Service, WeeklyShift
from solibook.catalog.versioning import catalog_changed
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, make_service


@dataclass
class Salon:
    business: object
    location: Location
    cut: Service  # 60 min
    colour: Service  # 30 busy, 35 processing, 30 busy
    lea: Master
    marc: Master


# Monday 2030-06-03 in Paris (UTC+2 in summer).
MONDAY = datetime(2030, 6, 3, tzinfo=UTC).date()
NOW = datetime(2030, 6, 1, 8, 0, tzinfo=UTC)


def paris(hour: int, minute: int = 0, day=MONDAY) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo("Europe/Paris"))


def give_shifts(master, location, start=time(9), end=time(18), weekdays=range(7)):
    with scopes_disabled():
        WeeklyShift.objects.bulk_create(
            [
                WeeklyShift(
                    business=master.business,
                    master=master,
                    location=location,
                    weekday=d,
                    start=start,
                    end=end,
                )
                for d in weekdays
            ]
        )
    catalog_changed(master.business_id)


@pytest.fixture
def salon(db) -> Salon:
    business = BusinessFactory(
        lead_time_minutes=0,
        horizon_days=3650,
        slot_step_minutes=15,
        cancellation_window_hours=24,
        cancellation_fee_percent=50,
    )
    location = LocationFactory(business=business, time_zone="Europe/Paris")
    cut = make_service(business, name="Cut", steps=[(60, True)], price=4500)
    colour = make_service(
        business,
        name="Colour",
        steps=[(30, True), (35, False), (30, True)],
        price=8000,
        category_slug="colouring",
    )
    lea = make_master(business, locations=[location], services=[cut, colour], name="Léa")
    marc = make_master(business, locations=[location], services=[cut], name="Marc")
    for master in (lea, marc):
        give_shifts(master, location)
    return Salon(business, location, cut, colour, lea, marc)
