"""The benchmark's salon, built with bulk inserts (deterministic for a seed).

10 masters work 09:00-19:00 every day at one Paris location; a 60-minute cut;
`appointments` confirmed visits spread over `days` days from `start`, never
overlapping (each takes a free hour of a random master and day).
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, AppointmentItem, BookingSegment, Status
from solibook.catalog.models import (
    Business,
    Category,
    Location,
    Master,
    MasterLocation,
    MasterService,
    Service,
    ServiceStep,
    WeeklyShift,
)
from solibook.catalog.services import business_settings_create

PARIS = ZoneInfo("Europe/Paris")
HOURS = range(9, 19)


@transaction.atomic
def build_salon(*, masters: int = 10, slug: str = "bench-salon"):
    with scopes_disabled():
        business = Business.objects.create(
            name="Bench Salon",
            slug=slug,
            currency="EUR",
            country="FR",
            lead_time_minutes=0,
            horizon_days=3650,
            slot_step_minutes=15,
        )
        business_settings_create(business=business)
        location = Location.objects.create(
            business=business,
            name="Bench",
            slug="bench",
            address="1 rue",
            city="Paris",
            country="FR",
            time_zone="Europe/Paris",
        )
        category = Category.objects.get(slug="womens-haircut")
        service = Service.objects.create(
            business=business, category=category, name="Cut", price_amount=4500, currency="EUR"
        )
        ServiceStep.objects.create(
            business=business, service=service, duration_minutes=60, master_busy=True
        )
        people = Master.objects.bulk_create(
            [Master(business=business, display_name=f"Master {i}") for i in range(masters)]
        )
        MasterLocation.objects.bulk_create(
            [MasterLocation(business=business, master=m, location=location) for m in people]
        )
        MasterService.objects.bulk_create(
            [MasterService(business=business, master=m, service=service) for m in people]
        )
        WeeklyShift.objects.bulk_create(
            [
                WeeklyShift(
                    business=business,
                    master=m,
                    location=location,
                    weekday=d,
                    start=time(9),
                    end=time(19),
                )
                for m in people
                for d in range(7)
            ]
        )
    return business, location, service, people


def add_appointments(
    *,
    business,
    location,
    service,
    masters,
    start: date,
    days: int,
    count: int,
    seed: int,
    batch: int = 5000,
) -> int:
    """`count` non-overlapping one-hour visits over `days` days from `start`."""
    rng = random.Random(seed)
    free = [(m, start + timedelta(days=d), h) for m in masters for d in range(days) for h in HOURS]
    rng.shuffle(free)
    if count > len(free):
        raise ValueError(f"only {len(free)} free hours for {count} appointments")
    chosen = free[:count]
    with scopes_disabled():
        for offset in range(0, count, batch):
            rows = chosen[offset : offset + batch]
            with transaction.atomic():
                appointments = Appointment.objects.bulk_create(
                    [
                        Appointment(
                            business=business,
                            location=location,
                            status=Status.CONFIRMED,
                            starts_at=datetime.combine(day, time(hour), tzinfo=PARIS).astimezone(
                                UTC
                            ),
                            ends_at=datetime.combine(day, time(hour + 1), tzinfo=PARIS).astimezone(
                                UTC
                            ),
                            price_amount=4500,
                            currency="EUR",
                            client_name=f"Client {offset + i}",
                        )
                        for i, (_m, day, hour) in enumerate(rows)
                    ]
                )
                items = AppointmentItem.objects.bulk_create(
                    [
                        AppointmentItem(
                            business=business,
                            appointment=a,
                            service=service,
                            master=m,
                            starts_at=a.starts_at,
                            ends_at=a.ends_at,
                            price_amount=4500,
                        )
                        for a, (m, _d, _h) in zip(appointments, rows, strict=True)
                    ]
                )
                BookingSegment.objects.bulk_create(
                    [
                        BookingSegment(
                            business=business,
                            appointment=a,
                            item=item,
                            master=m,
                            starts_at=a.starts_at,
                            ends_at=a.ends_at,
                        )
                        for a, item, (m, _d, _h) in zip(appointments, items, rows, strict=True)
                    ]
                )
    return count
