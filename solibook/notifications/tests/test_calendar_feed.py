"""The per-master private calendar feed."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking.services import appointment_cancel
from solibook.core.tenancy import business_scope
from solibook.notifications.models import CalendarFeedToken
from solibook.notifications.services import calendar_feed_issue, calendar_feed_revoke
from solibook.testing.booking import book
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db


def upcoming(hour: int):
    """A day soon enough for the feed's window, in Paris."""
    day = (timezone.now() + timedelta(days=3)).date()
    return paris(hour, day=day)


def feed(client, token: str):
    return client.get(reverse("calendar-feed", args=[token]))


def test_feed_lists_only_that_masters_visits(salon, client):
    now = timezone.now()
    lea_visit = book(salon, upcoming(10), master=salon.lea, client_name="Zoé", now=now)
    book(salon, upcoming(10), master=salon.marc, client_name="Marc's client", now=now)
    cancelled = book(salon, upcoming(14), master=salon.lea, client_name="Cancelled", now=now)
    with business_scope(salon.business):
        appointment_cancel(
            business=salon.business, appointment_id=cancelled.pk, by_client=False, now=now
        )
        _row, secret = calendar_feed_issue(business=salon.business, master_id=salon.lea.pk)

    response = feed(client, secret)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    assert len(events) == 1
    [event] = events
    assert "Zoé" in str(event["SUMMARY"]) and "Cut" in str(event["SUMMARY"])
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART") == lea_visit.starts_at
    assert "METHOD" not in cal
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_revoked_or_unknown_token_is_404(salon, client):
    with business_scope(salon.business):
        _row, secret = calendar_feed_issue(business=salon.business, master_id=salon.lea.pk)
    assert feed(client, secret).status_code == 200
    with business_scope(salon.business):
        calendar_feed_revoke(business=salon.business, master_id=salon.lea.pk)
    assert feed(client, secret).status_code == 404
    assert feed(client, "not-a-token").status_code == 404


def test_reissuing_revokes_the_old_url_and_only_a_digest_is_stored(salon, client):
    with business_scope(salon.business):
        _first, old = calendar_feed_issue(business=salon.business, master_id=salon.lea.pk)
        _second, new = calendar_feed_issue(business=salon.business, master_id=salon.lea.pk)
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200
    with scopes_disabled():
        hashes = set(CalendarFeedToken.objects.values_list("token_hash", flat=True))
    assert old not in hashes and new not in hashes and CalendarFeedToken.digest(new) in hashes
