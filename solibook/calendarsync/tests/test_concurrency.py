"""A booking and a sync racing for the same time (PostgreSQL, threads). The
sync writes busy time under the master's booking lock, so exactly one of two
things happens, whatever the order: the busy time came first and the booking
is refused (409 `slot_taken`), or the booking came first and stands, with
the busy time recorded as a conflict. Never a booking over busy time that
nobody was told about. And two syncs at once write each busy period once."""

import pytest
from django.db import transaction
from django.utils import timezone

from solibook.booking import services as booking
from solibook.booking.models import Appointment, Source
from solibook.booking.selectors import ItemSpec
from solibook.calendarsync import services
from solibook.calendarsync.models import Conflict, PushedEvent
from solibook.calendarsync.tests.conftest import at, day_ahead
from solibook.calendarsync.tests.helpers import busy_rows, connect_caldav
from solibook.core.errors import Conflict as Refused
from solibook.core.tenancy import business_scope, scopes_disabled
from solibook.testing.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROUNDS = 4


def test_a_booking_and_a_sync_for_the_same_time(salon, calendar_url, phone):
    connection = connect_caldav(salon, calendar_url)
    for round_ in range(ROUNDS):
        day = day_ahead(3 + round_)
        phone.save_event(dtstart=at(day, 11), dtend=at(day, 12), summary="Busy", uid=f"b{round_}")

        def attempt(i, day=day):
            if i == 0:
                return services.connection_sync(connection_id=connection.pk, wait_seconds=30)
            with business_scope(salon.business), transaction.atomic():
                return booking.appointment_create(
                    business=salon.business,
                    location_id=salon.location.pk,
                    specs=[ItemSpec(salon.cut.pk, master_id=salon.lea.pk)],
                    start=at(day, 11),
                    source=Source.MARKETPLACE,
                    now=timezone.now(),
                )

        sync_report, booked = race(2, attempt)
        assert sync_report.ok, sync_report
        with scopes_disabled():
            conflicts = Conflict.objects.filter(
                resolved_at__isnull=True, busy_from=at(day, 11)
            ).count()
        if isinstance(booked, Appointment):
            assert conflicts == 1  # the booking came first: it stands, the salon is told
        else:
            assert isinstance(booked, Refused) and booked.code == "slot_taken", booked
            assert conflicts == 0
        assert (at(day, 11), at(day, 12)) in busy_rows(connection)


def test_two_syncs_at_once_write_each_busy_period_once(
    salon, calendar_url, phone, django_capture_on_commit_callbacks
):
    connection = connect_caldav(salon, calendar_url)
    day = day_ahead()
    for hour in (9, 13, 16):
        phone.save_event(dtstart=at(day, hour), dtend=at(day, hour + 1), uid=f"e{hour}")
    with business_scope(salon.business):
        booking.appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(salon.cut.pk, master_id=salon.lea.pk)],
            start=at(day, 11),
            source=Source.BACK_OFFICE,
            now=timezone.now(),
        )

    race(4, lambda i: services.connection_sync(connection_id=connection.pk, wait_seconds=30))

    assert busy_rows(connection) == [(at(day, h), at(day, h + 1)) for h in (9, 13, 16)]
    with scopes_disabled():
        assert PushedEvent.objects.count() == 1
    assert len(phone.events()) == 4
