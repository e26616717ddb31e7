"""Google Calendar through its API client against a local server that checks
the requests (paths, bearer token, bodies, the OAuth token endpoint's forms):
connecting with an authorization code, busy events blocking, visits written
by a stable id, incremental sync tokens, an expired or revoked token."""

import json
from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from solibook.booking import services as booking
from solibook.calendarsync import sealing, services
from solibook.calendarsync.adapters.google_calendar import event_id
from solibook.calendarsync.models import Connection, Health
from solibook.calendarsync.tests import fakegoogle
from solibook.calendarsync.tests.conftest import at, day_ahead
from solibook.calendarsync.tests.helpers import book_now, busy_rows, free_starts, sync
from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope, scopes_disabled
from solibook.testing.factories import member

pytestmark = pytest.mark.django_db

REDIRECT = "https://solibook.example/en/calendar-sync/google/callback/"


def connect(salon, google) -> Connection:
    with business_scope(salon.business):
        return services.google_connect(
            business=salon.business,
            master_id=salon.lea.pk,
            code=fakegoogle.AUTH_CODE,
            redirect_uri=REDIRECT,
        )


def iso(moment) -> str:
    return moment.astimezone(UTC).isoformat()


def test_connecting_exchanges_the_code_and_seals_the_tokens(salon, google):
    connection = connect(salon, google)

    [exchange] = google.calls("POST", "/token")
    assert exchange.body == {
        "code": fakegoogle.AUTH_CODE,
        "client_id": fakegoogle.CLIENT_ID,
        "client_secret": fakegoogle.CLIENT_SECRET,
        "redirect_uri": REDIRECT,
        "grant_type": "authorization_code",
    }
    assert fakegoogle.REFRESH_TOKEN not in connection.secret
    tokens = json.loads(sealing.unseal(connection.secret))
    assert tokens["refresh_token"] == fakegoogle.REFRESH_TOKEN
    assert tokens["access_token"] == "access-2"


def test_a_refused_code_connects_nothing(salon, google):
    with business_scope(salon.business), pytest.raises(ValidationFailed):
        services.google_connect(
            business=salon.business, master_id=salon.lea.pk, code="4/forged", redirect_uri=REDIRECT
        )
    with scopes_disabled():
        assert not Connection.objects.exists()


def test_busy_events_block_and_visits_are_written_moved_and_deleted(
    salon, google, django_capture_on_commit_callbacks
):
    day = day_ahead()
    connection = connect(salon, google)
    google.put_external(
        "phone1", start={"dateTime": iso(at(day, 11))}, end={"dateTime": iso(at(day, 12))}
    )
    google.put_external(
        "free1",
        start={"dateTime": iso(at(day, 15))},
        end={"dateTime": iso(at(day, 16))},
        transparency="transparent",
    )
    report = sync(connection)
    assert report.ok
    assert busy_rows(connection) == [(at(day, 11), at(day, 12))]
    assert "11:00" not in free_starts(salon, day) and "15:00" in free_starts(salon, day)
    [listing] = google.calls("GET", "/events")
    assert listing.path == "/calendar/v3/calendars/primary/events"
    assert listing.authorization == "Bearer access-2"
    assert listing.query["singleEvents"] == "true" and "timeMin" in listing.query

    visit = book_now(salon, at(day, 10), django_capture_on_commit_callbacks, client_name="Chloé")
    uid = f"solibook-{visit.pk}-0@solibook.localhost"
    gid = event_id(uid)
    [update] = google.calls("PUT")  # first an update (404: not there yet), then an insert
    [insert] = google.calls("POST", "/events")
    assert update.path == f"/calendar/v3/calendars/primary/events/{gid}"
    assert insert.body["id"] == gid and insert.body["iCalUID"] == uid
    assert insert.body["start"] == {"dateTime": iso(at(day, 10))}
    assert insert.body["end"] == {"dateTime": iso(at(day, 11))}
    assert insert.body["summary"] == "Cut · Chloé"
    assert insert.authorization == "Bearer access-2"

    with django_capture_on_commit_callbacks(execute=True), business_scope(salon.business):
        booking.appointment_reschedule(
            business=salon.business, appointment_id=visit.pk, start=at(day, 14)
        )
    assert google.events[gid]["start"] == {"dateTime": iso(at(day, 14))}

    with django_capture_on_commit_callbacks(execute=True), business_scope(salon.business):
        booking.appointment_cancel(business=salon.business, appointment_id=visit.pk, by_client=True)
    [delete] = google.calls("DELETE")
    assert delete.path.endswith(f"/events/{gid}")
    assert google.events[gid]["status"] == "cancelled"


def test_the_second_pull_is_incremental_and_a_forgotten_token_lists_again(salon, google):
    day = day_ahead()
    connection = connect(salon, google)
    google.put_external(
        "e1", start={"dateTime": iso(at(day, 11))}, end={"dateTime": iso(at(day, 12))}
    )
    sync(connection)
    google.cancel_external("e1")
    google.put_external(
        "e2", start={"dateTime": iso(at(day, 13))}, end={"dateTime": iso(at(day, 14))}
    )

    sync(connection)

    second = google.calls("GET", "/events")[-1]
    assert second.query["syncToken"] == "sync-1" and "timeMin" not in second.query
    assert busy_rows(connection) == [(at(day, 13), at(day, 14))]

    google.forgotten_before = 10**6  # Google answers 410: start over
    sync(connection)
    last_two = google.calls("GET", "/events")[-2:]
    assert "syncToken" in last_two[0].query and "timeMin" in last_two[1].query
    assert busy_rows(connection) == [(at(day, 13), at(day, 14))]


def test_an_all_day_event_and_an_event_without_an_end(salon, google):
    day = day_ahead()
    connection = connect(salon, google)
    google.put_external("allday", start={"date": day.isoformat()}, end={})
    google.put_external("instant", start={"dateTime": iso(at(day + timedelta(days=1), 11))})
    report = sync(connection)
    assert busy_rows(connection) == [(at(day, 0), at(day + timedelta(days=1), 0))]
    assert report.ignored_without_end == 1


def test_an_expired_access_token_is_refreshed_and_kept(salon, google):
    connection = connect(salon, google)
    with scopes_disabled():
        tokens = json.loads(sealing.unseal(connection.secret))
        tokens["expiry"] = (timezone.now() - timedelta(minutes=5)).isoformat()
        Connection.objects.filter(pk=connection.pk).update(secret=sealing.seal(json.dumps(tokens)))

    assert sync(connection).ok

    [refresh] = [
        c for c in google.calls("POST", "/token") if c.body["grant_type"] == "refresh_token"
    ]
    assert refresh.body["refresh_token"] == fakegoogle.REFRESH_TOKEN
    assert google.calls("GET", "/events")[-1].authorization == "Bearer access-3"
    with scopes_disabled():
        stored = json.loads(sealing.unseal(Connection.objects.get(pk=connection.pk).secret))
    assert stored["access_token"] == "access-3"
    assert stored["refresh_token"] == fakegoogle.REFRESH_TOKEN
    # The next run uses the stored token: no second refresh.
    sync(connection)
    assert (
        len([c for c in google.calls("POST", "/token") if c.body["grant_type"] == "refresh_token"])
        == 1
    )


def test_a_revoked_grant_asks_for_reconnection_and_loses_nothing(
    salon, google, django_capture_on_commit_callbacks
):
    day = day_ahead()
    owner = member(salon.business, email="owner@salon.test")
    connection = connect(salon, google)
    google.put_external(
        "e1", start={"dateTime": iso(at(day, 11))}, end={"dateTime": iso(at(day, 12))}
    )
    sync(connection)
    google.valid_tokens = set()  # the access token is no longer accepted ...
    google.script["refresh"] = "refuse"  # ... and the refresh token was revoked

    report = sync(connection)

    assert not report.ok
    with scopes_disabled():
        connection.refresh_from_db()
    assert connection.health == Health.RECONNECT
    assert busy_rows(connection) == [(at(day, 11), at(day, 12))]
    [message] = mail.outbox
    assert owner.email in message.to
    visit = book_now(salon, at(day, 14), django_capture_on_commit_callbacks)
    assert visit.status == "confirmed"  # bookings go on; the push waits for reconnection
