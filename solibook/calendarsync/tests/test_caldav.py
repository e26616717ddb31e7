"""Two-way sync with a real CalDAV server (Radicale, started by the tests):
the master's busy events block booking, visits appear in the calendar and
follow reschedules and cancellations, conflicts follow the stated rule."""

from datetime import UTC, timedelta

import pytest
from django.core import mail

from solibook.booking import services as booking
from solibook.booking.models import Status
from solibook.calendarsync import sealing, services
from solibook.calendarsync.models import Conflict, Connection, Health, PushedEvent
from solibook.calendarsync.tests.conftest import at, day_ahead
from solibook.calendarsync.tests.helpers import (
    book_now,
    busy_rows,
    connect_caldav,
    free_starts,
    sync,
)
from solibook.catalog.models import TimeOff
from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope, scopes_disabled
from solibook.testing.factories import member

pytestmark = pytest.mark.django_db

NO_END = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Phone//EN
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20260101T000000Z
DTSTART{start}
SUMMARY:{summary}
{extra}END:VEVENT
END:VCALENDAR
"""


def _ics(uid: str, start: str, summary: str = "Private", extra: str = "") -> str:
    return NO_END.format(uid=uid, start=start, summary=summary, extra=extra)


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _events(phone) -> dict[str, tuple]:
    found = {}
    for resource in phone.events():
        component = resource.icalendar_component
        found[str(component["uid"])] = (component["dtstart"].dt, component["dtend"].dt)
    return found


def test_a_busy_event_on_the_masters_phone_blocks_the_slot(salon, calendar_url, phone):
    day = day_ahead()
    connection = connect_caldav(salon, calendar_url)
    assert "11:00" in free_starts(salon, day)

    phone.save_event(dtstart=at(day, 11), dtend=at(day, 12), summary="Dentist", uid="dentist-1")
    report = sync(connection)

    assert report.ok and report.added == 1
    starts = free_starts(salon, day)
    assert "11:00" not in starts and "11:30" not in starts and "10:30" not in starts
    assert "10:00" in starts and "12:00" in starts
    with scopes_disabled():
        row = TimeOff.objects.get(external_ref__startswith=connection.ref_prefix)
    assert (row.starts_at, row.ends_at) == (at(day, 11), at(day, 12))
    assert row.reason == TimeOff.Reason.OTHER


def test_the_secret_is_sealed_and_synced_time_off_is_not_edited_as_time_off(
    salon, calendar_url, phone
):
    connection = connect_caldav(salon, calendar_url)
    assert "secret" not in connection.secret and sealing.unseal(connection.secret) == "secret"
    day = day_ahead()
    phone.save_event(dtstart=at(day, 14), dtend=at(day, 15), summary="Gym", uid="gym")
    sync(connection)
    from solibook.catalog.services import time_off_remove

    with scopes_disabled():
        row = TimeOff.objects.get(external_ref__startswith=connection.ref_prefix)
    with business_scope(salon.business), pytest.raises(ValidationFailed):
        time_off_remove(actor=None, business=salon.business, time_off_id=row.pk)


def test_syncing_twice_is_the_same_state(
    salon, calendar_url, phone, django_capture_on_commit_callbacks
):
    day = day_ahead()
    connection = connect_caldav(salon, calendar_url)
    phone.save_event(dtstart=at(day, 15), dtend=at(day, 16), summary="School run", uid="school")
    book_now(salon, at(day, 10), django_capture_on_commit_callbacks)
    first = sync(connection)
    with scopes_disabled():
        rows = list(TimeOff.objects.filter(external_ref__startswith=connection.ref_prefix).values())
        pushed = list(PushedEvent.objects.values("uid", "fingerprint", "pushed_at"))
    second = sync(connection)
    with scopes_disabled():
        assert (
            list(TimeOff.objects.filter(external_ref__startswith=connection.ref_prefix).values())
            == rows
        )
        assert list(PushedEvent.objects.values("uid", "fingerprint", "pushed_at")) == pushed
    assert (second.added, second.removed, second.pushed, second.deleted) == (0, 0, 0, 0)
    assert first.pulled == second.pulled == 1
    assert len(_events(phone)) == 2  # the school run and the visit, once each


def test_a_booking_appears_moves_and_disappears(
    salon, calendar_url, phone, django_capture_on_commit_callbacks
):
    day = day_ahead()
    connect_caldav(salon, calendar_url)
    visit = book_now(salon, at(day, 10), django_capture_on_commit_callbacks, client_name="Chloé")

    [(uid, (start, end))] = _events(phone).items()
    assert uid == f"solibook-{visit.pk}-0@solibook.localhost"
    assert (start, end) == (at(day, 10), at(day, 11))
    [resource] = phone.events()
    assert "Cut · Chloé" in str(resource.icalendar_component["summary"])

    with django_capture_on_commit_callbacks(execute=True), business_scope(salon.business):
        booking.appointment_reschedule(
            business=salon.business, appointment_id=visit.pk, start=at(day, 14)
        )
    assert _events(phone) == {uid: (at(day, 14), at(day, 15))}

    with django_capture_on_commit_callbacks(execute=True), business_scope(salon.business):
        booking.appointment_cancel(
            business=salon.business, appointment_id=visit.pk, by_client=False
        )
    assert _events(phone) == {}
    with scopes_disabled():
        assert not PushedEvent.objects.exists()


def test_our_own_event_does_not_block_its_own_visit_and_an_edit_there_is_written_back(
    salon, calendar_url, phone, django_capture_on_commit_callbacks
):
    day = day_ahead()
    connection = connect_caldav(salon, calendar_url)
    visit = book_now(salon, at(day, 10), django_capture_on_commit_callbacks)
    [resource] = phone.events()
    # The master drags the visit to 16:00 on the phone.
    component = resource.icalendar_component
    component["dtstart"].dt = at(day, 16)
    component["dtend"].dt = at(day, 17)
    resource.save()

    report = sync(connection)

    assert report.ok and busy_rows(connection) == []  # never busy time of its own
    assert list(_events(phone).values()) == [(at(day, 10), at(day, 11))]  # written back
    with scopes_disabled():
        visit.refresh_from_db()
    assert visit.starts_at == at(day, 10)

    # Deleted on the phone: written back too.
    phone.event_by_uid(f"solibook-{visit.pk}-0@solibook.localhost").delete()
    sync(connection)
    assert list(_events(phone).values()) == [(at(day, 10), at(day, 11))]


def test_events_without_an_end_follow_rfc_5545(salon, calendar_url, phone):
    day = day_ahead(4)
    connection = connect_caldav(salon, calendar_url)
    # A timed event with neither DTEND nor DURATION lasts an instant: nothing blocked.
    phone.save_event(_ics("instant", f":{_utc(at(day, 11))}"))
    # With DURATION: DTSTART + DURATION.
    phone.save_event(_ics("duration", f":{_utc(at(day, 14))}", extra="DURATION:PT90M\n"))
    # An all-day event without DTEND: that whole day, in the salon's zone.
    other = day + timedelta(days=1)
    phone.save_event(_ics("allday", f";VALUE=DATE:{other:%Y%m%d}"))

    report = sync(connection)

    assert report.ok
    assert busy_rows(connection) == [
        (at(day, 14), at(day, 15, 30)),
        (at(other, 0), at(other + timedelta(days=1), 0)),
    ]
    assert report.ignored_without_end == 1
    with scopes_disabled():
        assert Connection.objects.get(pk=connection.pk).ignored_without_end == 1
    assert "11:00" in free_starts(salon, day)
    assert free_starts(salon, other) == set()


def test_free_and_cancelled_events_do_not_block_and_removed_events_free_the_time(
    salon, calendar_url, phone
):
    day = day_ahead()
    connection = connect_caldav(salon, calendar_url)
    phone.save_event(
        _ics(
            "free", f":{_utc(at(day, 9))}", extra=f"DTEND:{_utc(at(day, 10))}\nTRANSP:TRANSPARENT\n"
        )
    )
    phone.save_event(
        _ics(
            "gone", f":{_utc(at(day, 12))}", extra=f"DTEND:{_utc(at(day, 13))}\nSTATUS:CANCELLED\n"
        )
    )
    phone.save_event(dtstart=at(day, 15), dtend=at(day, 16), summary="Busy", uid="busy")
    sync(connection)
    assert busy_rows(connection) == [(at(day, 15), at(day, 16))]

    phone.event_by_uid("busy").delete()
    report = sync(connection)
    assert report.removed == 1 and busy_rows(connection) == []
    assert "15:00" in free_starts(salon, day)


def test_a_weekly_event_blocks_each_occurrence(salon, calendar_url, phone):
    day = day_ahead()
    connection = connect_caldav(salon, calendar_url)
    phone.save_event(
        _ics(
            "weekly",
            f":{_utc(at(day, 8))}",
            extra=f"DTEND:{_utc(at(day, 9))}\nRRULE:FREQ=WEEKLY;COUNT=3\n",
        )
    )
    sync(connection)
    assert busy_rows(connection) == [
        (at(day + timedelta(weeks=w), 8), at(day + timedelta(weeks=w), 9)) for w in range(3)
    ]


def test_a_busy_event_over_a_booking_is_a_conflict_and_the_booking_stands(
    salon, calendar_url, phone, django_capture_on_commit_callbacks
):
    day = day_ahead()
    connection = connect_caldav(salon, calendar_url)
    visit = book_now(salon, at(day, 10), django_capture_on_commit_callbacks)
    phone.save_event(dtstart=at(day, 10, 30), dtend=at(day, 12), summary="Doctor", uid="doctor")

    report = sync(connection)

    assert report.conflicts == 1
    with scopes_disabled():
        visit.refresh_from_db()
        assert visit.status == Status.CONFIRMED
        [conflict] = Conflict.objects.filter(resolved_at__isnull=True)
    assert conflict.appointment_id == visit.pk
    assert (conflict.busy_from, conflict.busy_until) == (at(day, 10, 30), at(day, 12))
    assert sync(connection).conflicts == 1  # still one, not a second row
    with scopes_disabled():
        assert Conflict.objects.count() == 1

    # The master clears the event: the conflict is resolved.
    phone.event_by_uid("doctor").delete()
    assert sync(connection).conflicts == 0
    with scopes_disabled():
        assert Conflict.objects.get().resolved_at is not None


def test_wrong_credentials_are_refused_at_connect(salon, calendar_url):
    with pytest.raises(ValidationFailed) as refused:
        connect_caldav(salon, calendar_url, password="wrong")
    assert "refused" in str(refused.value.message)
    with scopes_disabled():
        assert not Connection.objects.exists()


def test_a_server_that_does_not_answer_is_refused_at_connect(salon, settings):
    settings.CALENDARSYNC_ALLOW_PRIVATE_URLS = True
    with pytest.raises(ValidationFailed) as refused:
        connect_caldav(salon, "http://127.0.0.1:9/anna/work/")
    assert "does not answer" in str(refused.value.message)


def test_a_private_address_is_refused_in_production(salon, settings):
    settings.CALENDARSYNC_ALLOW_PRIVATE_URLS = False
    for url in (
        "http://127.0.0.1:5232/anna/work/",
        "https://127.0.0.1/anna/",
        "https://10.0.0.8/x/",
        "ftp://x/",
    ):
        with pytest.raises(ValidationFailed):
            connect_caldav(salon, url)


def test_a_changed_password_asks_for_reconnection_and_loses_nothing(
    salon, calendar_url, phone, django_capture_on_commit_callbacks
):
    day = day_ahead()
    owner = member(salon.business, email="owner@salon.test")
    connection = connect_caldav(salon, calendar_url)
    phone.save_event(dtstart=at(day, 15), dtend=at(day, 16), summary="Busy", uid="busy")
    sync(connection)
    with scopes_disabled():
        Connection.objects.filter(pk=connection.pk).update(secret=sealing.seal("changed-on-server"))

    report = sync(connection)
    sync(connection)

    assert not report.ok
    with scopes_disabled():
        connection.refresh_from_db()
    assert connection.health == Health.RECONNECT
    assert busy_rows(connection) == [(at(day, 15), at(day, 16))]  # still blocking
    [message] = mail.outbox  # told once, not on every run
    assert owner.email in message.to and "reconnect" in message.body
    # Bookings go on.
    assert (
        book_now(salon, at(day, 10), django_capture_on_commit_callbacks).status == Status.CONFIRMED
    )
    # The periodic run leaves it alone until the salon reconnects.
    assert services.sync_all() == 0


def test_a_server_that_goes_down_is_retried_and_nothing_is_lost(
    salon, radicale, calendar_url, phone
):
    day = day_ahead()
    connection = connect_caldav(salon, calendar_url)
    phone.save_event(dtstart=at(day, 15), dtend=at(day, 16), summary="Busy", uid="busy")
    sync(connection)
    with scopes_disabled():
        Connection.objects.filter(pk=connection.pk).update(url="http://127.0.0.1:9/anna/work/")

    report = sync(connection)

    assert not report.ok
    with scopes_disabled():
        connection.refresh_from_db()
    assert connection.health == Health.FAILING and connection.last_error
    assert busy_rows(connection) == [(at(day, 15), at(day, 16))]
    assert services.sync_all() == 1  # still tried by the periodic run


def test_tenant_isolation_of_busy_time(salon, calendar_url, phone):
    from solibook.testing.factories import (
        BusinessFactory,
        LocationFactory,
        make_master,
        make_service,
    )
    from solibook.testing.salon import give_shifts

    other = BusinessFactory()
    location = LocationFactory(business=other, time_zone="Europe/Paris")
    cut = make_service(other, name="Cut", steps=[(60, True)], price=4500)
    stranger = make_master(other, locations=[location], services=[cut], name="Zoé")
    give_shifts(stranger, location)
    day = day_ahead()
    connection = connect_caldav(salon, calendar_url)
    phone.save_event(dtstart=at(day, 11), dtend=at(day, 12), summary="Busy", uid="busy")
    sync(connection)
    with scopes_disabled():
        assert set(
            TimeOff.objects.filter(external_ref__startswith=connection.ref_prefix).values_list(
                "business_id", "master_id"
            )
        ) == {(salon.business.pk, salon.lea.pk)}
    # Another salon cannot connect a master that is not its own.
    with business_scope(other), pytest.raises(Exception) as refused:
        services.caldav_connect(
            business=other,
            master_id=salon.lea.pk,
            url=calendar_url,
            username="anna",
            password="secret",
        )
    assert refused.type.__name__ == "NotFound"


def test_an_event_moved_on_the_phone_moves_the_busy_time(salon, calendar_url, phone):
    day = day_ahead()
    connection = connect_caldav(salon, calendar_url)
    phone.save_event(dtstart=at(day, 11), dtend=at(day, 12), summary="Dentist", uid="moving")
    sync(connection)
    with scopes_disabled():
        first = TimeOff.objects.get(external_ref__startswith=connection.ref_prefix).pk
    resource = phone.event_by_uid("moving")
    component = resource.icalendar_component
    component["dtstart"].dt = at(day, 15)
    component["dtend"].dt = at(day, 16)
    resource.save()

    sync(connection)

    with scopes_disabled():
        row = TimeOff.objects.get(external_ref__startswith=connection.ref_prefix)
    assert (row.pk, row.starts_at, row.ends_at) == (first, at(day, 15), at(day, 16))
    assert "11:00" in free_starts(salon, day) and "15:00" not in free_starts(salon, day)


def test_the_periodic_command_pulls_every_connected_calendar(salon, calendar_url, phone):
    from django.core.management import call_command

    day = day_ahead()
    connection = connect_caldav(salon, calendar_url)
    phone.save_event(dtstart=at(day, 11), dtend=at(day, 12), summary="Busy", uid="periodic")

    call_command("run_calendarsync", verbosity=0)

    assert busy_rows(connection) == [(at(day, 11), at(day, 12))]
