"""The free-time summary follows every booking change in the booking's own
transaction, and free-time search reads only the summary."""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from solibook.booking import services
from solibook.catalog.models import Category
from solibook.core.tenancy import business_scope
from solibook.marketplace import search
from solibook.marketplace.index import business_refresh
from solibook.marketplace.models import FreeTime
from solibook.marketplace.search import SearchQuery, salon_search
from solibook.marketplace.tests.conftest import refresh
from solibook.testing.booking import book
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, make_service
from solibook.testing.salon import MONDAY, NOW, give_shifts, paris

pytestmark = pytest.mark.django_db


def tonight(time_from=time(17), **kwargs):
    with scopes_disabled():
        haircut = Category.objects.get(slug="womens-haircut")
        return salon_search(
            query=SearchQuery(
                category=haircut, day=MONDAY, time_from=time_from, time_to=time(20), **kwargs
            ),
            now=NOW,
        )


def test_the_summary_holds_each_masters_free_intervals(listed_salon):
    with scopes_disabled():
        row = FreeTime.objects.get(
            location=listed_salon.location, day=MONDAY, subject=f"m:{listed_salon.lea.pk}"
        )
    assert [tuple(i) for i in row.free] == [
        (int(paris(9).timestamp()) // 60, int(paris(18).timestamp()) // 60)
    ]
    assert row.longest == 9 * 60


def test_booking_cancelling_and_moving_rewrite_the_summary_in_the_same_transaction(listed_salon):
    salon = listed_salon
    [result] = tonight().results
    assert result.local_slot.time() == time(17)
    first = book(salon, paris(17), master=salon.lea)
    assert tonight().results[0].slot.master_id == salon.marc.pk  # Marc is still free at 17:00
    book(salon, paris(17), master=salon.marc)
    assert tonight().results == []  # 17:00 is the last start of a 60-minute cut before 18:00
    with business_scope(salon.business):
        services.appointment_reschedule(
            business=salon.business, appointment_id=first.pk, start=paris(10), now=NOW
        )
    [result] = tonight().results
    assert (result.slot.master_id, result.local_slot.time()) == (salon.lea.pk, time(17))
    with business_scope(salon.business):
        services.appointment_cancel(
            business=salon.business, appointment_id=first.pk, by_client=False, now=NOW
        )
    with scopes_disabled():
        row = FreeTime.objects.get(location=salon.location, day=MONDAY, subject=f"m:{salon.lea.pk}")
    assert row.longest == 9 * 60


def test_a_refused_booking_leaves_the_summary_as_it_was(listed_salon):
    salon = listed_salon
    book(salon, paris(17), master=salon.lea)
    with scopes_disabled():
        before = list(
            FreeTime.objects.filter(day=MONDAY).order_by("subject").values_list("subject", "free")
        )
    with pytest.raises(Exception):  # noqa: B017 - a 409 of any kind
        book(salon, paris(17, 30), master=salon.lea)
    with scopes_disabled():
        assert (
            list(
                FreeTime.objects.filter(day=MONDAY)
                .order_by("subject")
                .values_list("subject", "free")
            )
            == before
        )


def _another_salon(n: int):
    business = BusinessFactory(lead_time_minutes=0, horizon_days=3650)
    location = LocationFactory(business=business, latitude=48.85 + n / 1000, longitude=2.35)
    cut = make_service(business, name=f"Coupe {n}", steps=[(45, True)], price=3000 + n)
    for i in range(3):
        master = make_master(business, locations=[location], services=[cut], name=f"M{n}-{i}")
        give_shifts(master, location, start=time(10), end=time(19))
    refresh(business)
    return business


def test_free_time_search_runs_a_fixed_number_of_queries(listed_salon):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = tonight()
        return len(queries), page.total

    few, found = count()
    for n in range(8):
        _another_salon(n)
    many, found_many = count()
    assert found == 1 and found_many == 9
    assert many == few


def test_a_schedule_change_reaches_the_summary_through_the_task(
    listed_salon, django_capture_on_commit_callbacks
):
    salon = listed_salon
    connection.run_on_commit.clear()  # the fixture's own, never committed in this test
    with django_capture_on_commit_callbacks(execute=True) as callbacks, scopes_disabled():
        salon.lea.weekly_shifts.filter(weekday=MONDAY.weekday()).update(end=time(20))
        salon.lea.weekly_shifts.first().save()  # a signal-sending write schedules the refresh
        salon.marc.weekly_shifts.first().save()  # the same business: still one refresh
    assert len(callbacks) == 1
    with scopes_disabled():
        # The task rebuilt the coming days from the real today; the test's
        # fixed Monday is rebuilt the same way.
        assert FreeTime.objects.filter(location=salon.location).exclude(day__gte=MONDAY).exists()
        business_refresh(salon.business.pk, start=MONDAY, days=1, now=NOW)
        row = FreeTime.objects.get(location=salon.location, day=MONDAY, subject=f"m:{salon.lea.pk}")
    assert row.free[-1][1] == int(paris(20).timestamp()) // 60
    [result] = tonight(time_from=time(18)).results  # only Léa works after 18:00 now
    assert (result.slot.master_id, result.local_slot.time()) == (salon.lea.pk, time(18))


def test_the_portable_path_finds_what_the_bundled_query_finds(listed_salon, monkeypatch):
    """PostgreSQL reads services and summary rows with the listings (JSON
    aggregates); other databases read them in two more queries: same results."""
    for n in range(3):
        _another_salon(n)
    book(listed_salon, paris(17), master=listed_salon.lea)

    def found():
        return [
            (r.salon.pk, r.slot.start, r.slot.service_id, r.slot.master_id, r.price)
            for r in tonight(sort="earliest").results
        ]

    bundled = found()
    monkeypatch.setattr(search, "can_bundle", lambda: False)
    assert found() == bundled
    assert len(bundled) == 4
