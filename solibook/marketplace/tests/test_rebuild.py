"""The batched rebuild (every salon in a fixed number of queries) writes
exactly what the per-location refresh writes, from equal catalogue snapshots."""

import threading
from datetime import time, timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from solibook.booking import services
from solibook.booking.models import Appointment, Source
from solibook.booking.selectors import ItemSpec, _load_snapshot
from solibook.catalog.models import (
    DateOverride,
    Location,
    LocationClosure,
    Resource,
    ResourceType,
    ServiceResourceType,
    ShiftBreak,
    TimeOff,
    WeeklyShift,
)
from solibook.catalog.versioning import catalog_changed
from solibook.core.tenancy import business_scope
from solibook.marketplace.index import free_time_refresh, load_snapshots, rebuild
from solibook.marketplace.models import FreeTime, SalonListing, ServiceListing
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, make_service
from solibook.testing.salon import MONDAY, NOW, give_shifts, paris

pytestmark = pytest.mark.django_db
DAYS = 2


def _busy_salon(n: int, zone: str = "Asia/Riyadh"):
    """A salon using every schedule feature: break, override, closure, time off, a resource, a booking."""
    business = BusinessFactory(lead_time_minutes=0, horizon_days=3650)
    location = LocationFactory(business=business, time_zone=zone, latitude=24.7, longitude=46.7)
    cut = make_service(business, name=f"قص {n}", steps=[(45, True)], price=9000)
    colour = make_service(
        business,
        name=f"Colour {n}",
        steps=[(30, True), (35, False), (20, True)],
        price=8000,
        category_slug="colouring",
    )
    first = make_master(business, locations=[location], services=[cut, colour], name=f"A{n}")
    second = make_master(business, locations=[location], services=[cut], name=f"B{n}")
    for master in (first, second):
        give_shifts(master, location, start=time(10), end=time(21))
    with scopes_disabled():
        shift = WeeklyShift.objects.filter(master=first, weekday=MONDAY.weekday()).first()
        ShiftBreak.objects.create(business=business, shift=shift, start=time(13), end=time(14))
        DateOverride.objects.create(
            business=business,
            master=second,
            location=location,
            date=MONDAY,
            start=time(15),
            end=time(19),
        )
        LocationClosure.objects.create(
            business=business, location=location, date=MONDAY + timedelta(days=2), name="Holiday"
        )
        TimeOff.objects.create(
            business=business, master=first, starts_at=paris(16), ends_at=paris(17)
        )
        kind = ResourceType.objects.create(business=business, name="Basin")
        Resource.objects.create(
            business=business, location=location, resource_type=kind, name="Basin", capacity=2
        )
        ServiceResourceType.objects.create(business=business, service=colour, resource_type=kind)
    catalog_changed(business.pk)
    with business_scope(business):
        services.appointment_create(
            business=business,
            location_id=location.pk,
            specs=[ItemSpec(colour.pk, master_id=first.pk)],
            start=paris(9),
            source=Source.BACK_OFFICE,
            now=NOW,
        )
    return location


def _summary() -> list[tuple]:
    return list(
        FreeTime.objects.order_by("location_id", "day", "subject").values_list(
            "location_id", "day", "subject", "free", "longest", "local_from", "local_until"
        )
    )


def test_batched_snapshots_equal_the_booking_engines(salon):
    locations = [salon.location, _busy_salon(1), _busy_salon(2, zone="Europe/Moscow")]
    with scopes_disabled():
        loaded = list(
            Location.objects.filter(pk__in=[loc.pk for loc in locations]).select_related("business")
        )
        batched = load_snapshots(loaded)
        for location in loaded:
            single = _load_snapshot(location)
            assert batched[location.pk] == single
            assert single.breaks and single.overrides or location == salon.location


def test_rebuild_writes_what_the_per_location_refresh_writes(salon):
    locations = [salon.location, _busy_salon(1), _busy_salon(2, zone="Europe/Moscow")]
    days = [MONDAY + timedelta(days=i) for i in range(DAYS + 1)]
    with scopes_disabled():
        rebuild(start=MONDAY, days=DAYS, now=NOW)
        batched = _summary()
        assert SalonListing.objects.count() == 3
        # Colour: busy 30, processing 35, busy 20 (30 in the fixture's salon).
        assert ServiceListing.objects.filter(min_busy_run=30, duration_max=85).count() == 2
        assert (
            ServiceListing.objects.filter(
                min_busy_run=30, duration_max=95, service=salon.colour
            ).count()
            == 1
        )
        FreeTime.objects.all().delete()
        for location in Location.objects.filter(
            pk__in=[loc.pk for loc in locations]
        ).select_related("business"):
            free_time_refresh(location, days)
        assert _summary() == batched
    assert any(subject.startswith("u:") for _l, _d, subject, *_rest in batched)
    assert {d for _l, d, *_rest in batched} == set(days)


def test_rebuild_runs_a_fixed_number_of_queries_and_drops_what_is_gone(salon):
    def run() -> int:
        with CaptureQueriesContext(connection) as queries, scopes_disabled():
            rebuild(start=MONDAY, days=DAYS, now=NOW)
        return len(queries)

    _busy_salon(1)
    few = run()
    for n in range(2, 6):
        _busy_salon(n)
    assert run() == few
    with scopes_disabled():
        salon.business.is_listed = False
        salon.business.save(update_fields=["is_listed"])
        stale = FreeTime.objects.create(
            location=salon.location,
            business=salon.business,
            day=MONDAY - timedelta(days=5),
            subject="open",
        )
    run()
    with scopes_disabled():
        assert not SalonListing.objects.filter(location=salon.location).exists()
        assert not FreeTime.objects.filter(pk=stale.pk).exists()
        assert SalonListing.objects.count() == 5
        assert FreeTime.objects.filter(day__lt=MONDAY).count() == 0


def test_the_summary_records_where_the_free_time_starts_and_ends_in_local_minutes(salon):
    with scopes_disabled():
        rebuild(start=MONDAY, days=0, now=NOW)
        row = FreeTime.objects.get(location=salon.location, day=MONDAY, subject=f"m:{salon.lea.pk}")
    assert (row.local_from, row.local_until) == (9 * 60, 18 * 60)
    assert row.free == [[int(paris(9).timestamp()) // 60, int(paris(18).timestamp()) // 60]]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_booking_committed_while_a_rebuild_computes_keeps_its_fresher_rows(salon, monkeypatch):
    """The rebuild is paused right after it has read the masters' taken time;
    a booking is made meanwhile. The booking must not lose its rows to the
    rebuild's older picture: afterwards the summary equals one computed from
    scratch, with the booked hour gone from the master's free time."""
    from solibook.marketplace import index

    def lea_free_minutes() -> int:
        row = FreeTime.objects.get(location=salon.location, day=MONDAY, subject=f"m:{salon.lea.pk}")
        return sum(end - start for start, end in row.free)

    with scopes_disabled():
        rebuild(start=MONDAY, days=DAYS, now=NOW)
        free_before = lea_free_minutes()
    has_read, resume = threading.Event(), threading.Event()
    taken_many = index._taken_many

    def read_then_wait(*args, **kwargs):
        busy = taken_many(*args, **kwargs)
        has_read.set()
        resume.wait(timeout=30)
        return busy

    monkeypatch.setattr(index, "_taken_many", read_then_wait)

    def rebuilding():
        try:
            with scopes_disabled():
                rebuild(start=MONDAY, days=DAYS, now=NOW)
        finally:
            connections.close_all()

    def booking():
        try:
            with business_scope(salon.business):
                services.appointment_create(
                    business=salon.business,
                    location_id=salon.location.pk,
                    specs=[ItemSpec(salon.cut.pk, master_id=salon.lea.pk)],
                    start=paris(10),
                    source=Source.MARKETPLACE,
                    now=NOW,
                )
        finally:
            connections.close_all()

    rebuilder = threading.Thread(target=rebuilding)
    rebuilder.start()
    assert has_read.wait(timeout=30)
    booker = threading.Thread(target=booking)
    booker.start()
    # Without the summary lock the booking commits here, under the paused rebuild.
    booker.join(timeout=5)
    resume.set()
    rebuilder.join(timeout=60)
    booker.join(timeout=60)
    assert not rebuilder.is_alive() and not booker.is_alive()

    with scopes_disabled():
        assert Appointment.objects.filter(location=salon.location).count() == 1
        after = _summary()
        assert lea_free_minutes() < free_before  # the booked hour is gone
        FreeTime.objects.all().delete()
        rebuild(start=MONDAY, days=DAYS, now=NOW)
        assert _summary() == after


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_masters_booked_at_once_on_one_day_both_stay_current(salon, monkeypatch):
    """Léa's booking is paused right after its refresh has read the masters' taken
    time; Marc is booked on the same day meanwhile. Each refresh rewrites both
    masters' rows, so without the day's lock Léa's refresh, committing last, would
    put back Marc's row as it was before his booking. Afterwards the summary must
    equal one computed from scratch."""
    from solibook.marketplace import index

    with scopes_disabled():
        rebuild(start=MONDAY, days=DAYS, now=NOW)
    has_read, resume = threading.Event(), threading.Event()
    taken = index.taken_intervals
    paused = []

    def read_then_wait(*args, **kwargs):
        busy = taken(*args, **kwargs)
        if not paused:  # Léa's refresh, the first to read
            paused.append(True)
            has_read.set()
            resume.wait(timeout=30)
        return busy

    monkeypatch.setattr(index, "taken_intervals", read_then_wait)

    def book(master, hour):
        try:
            with business_scope(salon.business):
                services.appointment_create(
                    business=salon.business,
                    location_id=salon.location.pk,
                    specs=[ItemSpec(salon.cut.pk, master_id=master.pk)],
                    start=paris(hour),
                    source=Source.MARKETPLACE,
                    now=NOW,
                )
        finally:
            connections.close_all()

    lea = threading.Thread(target=book, args=(salon.lea, 10))
    lea.start()
    assert has_read.wait(timeout=30)
    marc = threading.Thread(target=book, args=(salon.marc, 11))
    marc.start()
    # Without the lock Marc's booking commits here, under Léa's paused refresh.
    marc.join(timeout=5)
    resume.set()
    lea.join(timeout=60)
    marc.join(timeout=60)
    assert not lea.is_alive() and not marc.is_alive()

    with scopes_disabled():
        assert Appointment.objects.filter(location=salon.location).count() == 2
        after = _summary()
        FreeTime.objects.all().delete()
        rebuild(start=MONDAY, days=DAYS, now=NOW)
        assert _summary() == after


def test_a_booking_rewrites_only_the_rows_whose_free_time_changed(salon):
    """A booking's refresh recomputes every master's day but writes only the rows
    that differ from the summary: Léa's, not Marc's nor the opening hours'."""
    with scopes_disabled():
        rebuild(start=MONDAY, days=DAYS, now=NOW)
        before = {
            subject: (free, computed_at)
            for subject, free, computed_at in FreeTime.objects.filter(
                location=salon.location, day=MONDAY
            ).values_list("subject", "free", "computed_at")
        }
    with business_scope(salon.business):
        services.appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(salon.cut.pk, master_id=salon.lea.pk)],
            start=paris(10),
            source=Source.MARKETPLACE,
            now=NOW,
        )
    with scopes_disabled():
        after = {
            subject: (free, computed_at)
            for subject, free, computed_at in FreeTime.objects.filter(
                location=salon.location, day=MONDAY
            ).values_list("subject", "free", "computed_at")
        }
        assert after.keys() == before.keys()
        rewritten = {s for s in after if after[s][1] != before[s][1]}
        changed = {s for s in after if after[s][0] != before[s][0]}
        assert f"m:{salon.lea.pk}" in changed
        assert f"m:{salon.marc.pk}" not in changed
        assert rewritten == changed
        # And what it left alone is what a rebuild from scratch writes.
        summary = _summary()
        FreeTime.objects.all().delete()
        rebuild(start=MONDAY, days=DAYS, now=NOW)
        assert _summary() == summary
