"""Days that cross a DST change, and zones without DST."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scopes_disabled

from solibook.booking import services
from solibook.booking.models import BookingSegment, Source
from solibook.booking.selectors import ItemSpec
from solibook.core.tenancy import business_scope
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, make_service
from solibook.testing.salon import give_shifts

pytestmark = pytest.mark.django_db

SPRING = date(2030, 3, 31)  # Paris: 02:00 -> 03:00
AUTUMN = date(2030, 10, 27)  # Paris: 03:00 -> 02:00


def night_salon(zone: str, start=time(1), end=time(5)):
    business = BusinessFactory(lead_time_minutes=0, horizon_days=3650, slot_step_minutes=30)
    location = LocationFactory(business=business, time_zone=zone)
    service = make_service(business, steps=[(60, True)])
    master = make_master(business, locations=[location], services=[service])
    give_shifts(master, location, start=start, end=end)
    return business, location, service, master


def local_starts(business, location, service, day):
    with business_scope(business):
        loaded, slots = services.slots_available(
            business=business,
            location_id=location.pk,
            specs=[ItemSpec(service.pk)],
            start_date=day,
            days=1,
            now=datetime(2030, 1, 1, tzinfo=UTC),
        )
    return [services.slot_as_dict(loaded, s)["start"][11:16] for s in slots], [
        s.start for s in slots
    ]


def test_spring_forward_day_has_one_hour_less_and_no_phantom_times():
    business, location, service, _master = night_salon("Europe/Paris")
    wall, minutes = local_starts(business, location, service, SPRING)
    # Shift 01:00-05:00 local is 3 real hours; 02:xx does not exist.
    assert wall == ["01:00", "01:30", "03:00", "03:30", "04:00"]
    assert minutes[2] - minutes[1] == 30  # 01:30 CET to 03:00 CEST is half a real hour


def test_autumn_day_has_one_hour_more_and_offers_both_0230s():
    business, location, service, _master = night_salon("Europe/Paris")
    wall, minutes = local_starts(business, location, service, AUTUMN)
    assert wall == ["01:00", "01:30", "02:00", "02:30", "02:00", "02:30", "03:00", "03:30", "04:00"]
    assert len(set(minutes)) == len(minutes)


@pytest.mark.parametrize("zone", ["Europe/Moscow", "Asia/Riyadh"])
def test_zones_without_dst_keep_the_same_slots_all_year(zone):
    business, location, service, _master = night_salon(zone, start=time(10), end=time(12))
    for day in (date(2030, 3, 31), date(2030, 7, 1), date(2030, 10, 27)):
        wall, _minutes = local_starts(business, location, service, day)
        assert wall == ["10:00", "10:30", "11:00"]


def test_a_booking_across_the_autumn_change_blocks_real_time():
    business, location, service, master = night_salon("Europe/Paris")
    start = datetime(
        2030, 10, 27, 2, 30, tzinfo=ZoneInfo("Europe/Paris"), fold=1
    )  # the second 02:30 (CET)
    with business_scope(business):
        appointment = services.appointment_create(
            business=business,
            location_id=location.pk,
            specs=[ItemSpec(service.pk, master_id=master.pk)],
            start=start,
            source=Source.BACK_OFFICE,
            now=datetime(2030, 1, 1, tzinfo=UTC),
        )
    with scopes_disabled():
        segment = BookingSegment.objects.get(appointment=appointment)
    assert segment.starts_at == datetime(2030, 10, 27, 1, 30, tzinfo=UTC)
    assert segment.ends_at - segment.starts_at == timedelta(hours=1)
