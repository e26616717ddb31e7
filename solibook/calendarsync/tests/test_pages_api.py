"""The pages and the API of calendar sync: connecting a master's CalDAV
calendar (the password never shown back), "Sync now", conflicts and the
rule on the page, Google's consent round trip, a master's own page, other
salons' masters invisible (404), and the client's own feed."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from solibook.accounts.roles import Role
from solibook.calendarsync.models import ClientFeedToken, Connection
from solibook.calendarsync.tests import fakegoogle
from solibook.calendarsync.tests.conftest import at, day_ahead
from solibook.calendarsync.tests.helpers import book_now, connect_caldav, free_starts
from solibook.catalog.models import Master
from solibook.core.tenancy import scopes_disabled
from solibook.testing.booking import book
from solibook.testing.clients import api_as, pages_as, sign_in
from solibook.testing.factories import BusinessFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def page(salon, name, *args, lang="en"):
    with translation.override(lang):
        return reverse(f"calendarsync:{name}", args=[salon.business.slug, *args])


def api(salon, suffix="", master=None):
    master = master or salon.lea
    return f"/api/v1/businesses/{salon.business.pk}/masters/{master.pk}/calendar-sync/{suffix}"


def test_the_owner_connects_a_calendar_in_the_pages_and_syncs_now(
    salon, calendar_url, phone, radicale
):
    pages = pages_as(salon.business)
    day = day_ahead()
    overview = pages.get(page(salon, "overview"))
    assert overview.status_code == 200 and "Léa" in overview.content.decode()

    answer = pages.post(
        page(salon, "master", salon.lea.pk),
        {"url": calendar_url, "username": "anna", "password": "secret"},
    )
    assert answer.status_code == 302
    phone.save_event(dtstart=at(day, 11), dtend=at(day, 12), summary="Dentist", uid="d1")
    answer = pages.post(page(salon, "sync", salon.lea.pk), follow=True)
    body = answer.content.decode()
    assert "Busy periods from the calendar: 1." in body
    assert "secret" not in body  # the password is never shown back
    assert "Bookings win" in body
    assert "11:00" not in free_starts(salon, day)

    answer = pages.post(page(salon, "disconnect", salon.lea.pk), follow=True)
    assert "Calendar disconnected" in answer.content.decode()
    assert "11:00" in free_starts(salon, day)


def test_wrong_credentials_on_the_page_are_a_form_error_in_french(salon, calendar_url):
    pages = pages_as(salon.business)
    answer = pages.post(
        page(salon, "master", salon.lea.pk, lang="fr"),
        {"url": calendar_url, "username": "anna", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert answer.status_code == 400
    assert "refusé" in answer.content.decode()
    with scopes_disabled():
        assert not Connection.objects.exists()


def test_conflicts_are_listed_on_the_page(
    salon, calendar_url, phone, django_capture_on_commit_callbacks
):
    day = day_ahead()
    connection = connect_caldav(salon, calendar_url)
    book_now(salon, at(day, 10), django_capture_on_commit_callbacks, client_name="Chloé")
    phone.save_event(dtstart=at(day, 10), dtend=at(day, 11), summary="Doctor", uid="doc")
    pages = pages_as(salon.business)
    pages.post(page(salon, "sync", salon.lea.pk))
    body = pages.get(page(salon, "master", salon.lea.pk)).content.decode()
    assert "Chloé" in body and "No conflict" not in body
    assert connection.pk


def test_the_api_connects_reports_syncs_and_disconnects(salon, calendar_url, phone):
    owner = api_as(salon.business)
    answer = owner.post(
        api(salon, "caldav/"),
        {"url": calendar_url, "username": "anna", "password": "secret"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert "password" not in answer.json()["connection"] and "secret" not in answer.content.decode()
    day = day_ahead()
    phone.save_event(dtstart=at(day, 11), dtend=at(day, 12), summary="Dentist", uid="d1")
    report = owner.post(api(salon, "sync/")).json()
    assert report["ok"] and report["busy_periods"] == 1
    state = owner.get(api(salon)).json()
    assert state["connection"]["health"] == "ok" and state["rule"].startswith("Bookings win")
    assert (
        owner.post(
            api(salon, "caldav/"), {"url": calendar_url, "password": "secret"}, format="json"
        ).status_code
        == 400
    )  # already connected
    assert owner.delete(api(salon)).status_code == 204
    assert owner.get(api(salon)).json()["connection"] is None


def test_bad_input_through_the_api(salon, calendar_url, settings):
    owner = api_as(salon.business)
    wrong = owner.post(
        api(salon, "caldav/"),
        {"url": calendar_url, "username": "anna", "password": "x"},
        format="json",
    )
    assert wrong.status_code == 400 and wrong.json()["error"]["fields"]["url"]
    settings.CALENDARSYNC_ALLOW_PRIVATE_URLS = False
    private = owner.post(api(salon, "caldav/"), {"url": "https://192.168.1.10/dav/"}, format="json")
    assert private.status_code == 400
    assert owner.post(api(salon, "sync/")).status_code == 400  # nothing connected


def test_another_salons_master_is_invisible(salon, calendar_url):
    other = BusinessFactory()
    stranger = api_as(other)
    assert stranger.get(api(salon)).status_code == 404
    theirs = f"/api/v1/businesses/{other.pk}/masters/{salon.lea.pk}/calendar-sync/"
    assert stranger.get(theirs).status_code == 404
    assert (
        stranger.post(f"{theirs}caldav/", {"url": calendar_url}, format="json").status_code == 404
    )
    pages = pages_as(other)
    with translation.override("en"):
        url = reverse("calendarsync:master", args=[other.slug, salon.lea.pk])
    assert pages.get(url).status_code == 404


def test_a_receptionist_cannot_connect_calendars(salon):
    desk = api_as(salon.business, Role.RECEPTIONIST)
    assert desk.get(api(salon)).status_code == 403
    assert (
        pages_as(salon.business, Role.RECEPTIONIST).get(page(salon, "overview")).status_code == 403
    )


def test_a_master_connects_their_own_calendar(salon, calendar_url):
    pages = Client()
    user = sign_in(pages, salon.business, Role.MASTER)
    with scopes_disabled():
        Master.objects.filter(pk=salon.marc.pk).update(user=user)
    answer = pages.post(
        page(salon, "own"), {"url": calendar_url, "username": "anna", "password": "secret"}
    )
    assert answer.status_code == 302
    with scopes_disabled():
        assert Connection.objects.get().master_id == salon.marc.pk
    own_api = api_as(salon.business, Role.MASTER)
    assert (
        own_api.get(f"/api/v1/businesses/{salon.business.pk}/my-calendar-sync/").status_code == 404
    )


def test_google_consent_round_trip_through_the_pages(salon, google):
    pages = Client()
    sign_in(pages, salon.business)
    start = pages.post(page(salon, "google", salon.lea.pk))
    assert start.status_code == 302
    target = urlsplit(start["Location"])
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{google.url}/auth"
    assert query["client_id"] == [fakegoogle.CLIENT_ID]
    assert query["access_type"] == ["offline"]
    assert query["scope"] == ["https://www.googleapis.com/auth/calendar.events"]
    # Google sends the person back with a code and the state.
    with translation.override("en"):
        callback = reverse("calendarsync:google_callback")
    assert query["redirect_uri"] == [f"http://testserver{callback}"]
    back = pages.get(callback, {"code": fakegoogle.AUTH_CODE, "state": query["state"][0]})
    assert back.status_code == 302 and back["Location"].endswith(f"/calendar-sync/{salon.lea.pk}/")
    with scopes_disabled():
        assert Connection.objects.get().kind == "google"
    # A forged or someone else's state connects nothing.
    intruder = Client()
    intruder.force_login(member(salon.business))
    assert intruder.get(callback, {"code": "x", "state": query["state"][0]}).status_code == 404
    assert pages.get(callback, {"code": "x", "state": "forged"}).status_code == 404


def test_the_clients_feed_has_their_visits_and_stops_when_revoked(salon):
    account = UserFactory()
    visit = book(salon, at(day_ahead(), 10), account=account, actor=account, now=None)
    someone_else = book(salon, at(day_ahead(), 15), now=None)
    pages = Client()
    pages.force_login(account)
    with translation.override("en"):
        feed_page = reverse("calendarsync:feed_page")
        issue = reverse("calendarsync:feed_issue")
        stop = reverse("calendarsync:feed_revoke")
    assert pages.get(feed_page).status_code == 200
    shown = pages.post(issue, follow=True).content.decode()
    url = shown.split('id="feed-url" type="text" readonly value="', 1)[1].split('"', 1)[0]
    assert "/calendar/visits/" in url
    assert pages.get(feed_page).content.decode().count(url) == 0  # shown once

    feed = Client().get(urlsplit(url).path)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    text = feed.content.decode()
    assert f"UID:appointment-{visit.pk}@solibook.localhost" in text
    assert f"appointment-{someone_else.pk}@" not in text
    assert "Cut" in text and salon.business.name in text

    pages.post(stop)
    assert Client().get(urlsplit(url).path).status_code == 404
    with scopes_disabled():
        assert ClientFeedToken.objects.get().revoked_at is not None


def test_the_client_feed_api(salon):
    from rest_framework.test import APIClient

    account = UserFactory()
    client = APIClient()
    client.force_authenticate(account)
    assert client.get("/api/v1/me/calendar-feed/").json()["active"] is False
    issued = client.post("/api/v1/me/calendar-feed/").json()
    assert issued["active"] and "/calendar/visits/" in issued["url"]
    assert client.get("/api/v1/me/calendar-feed/").json()["url"] == ""
    assert client.delete("/api/v1/me/calendar-feed/").status_code == 204
    assert APIClient().get("/api/v1/me/calendar-feed/").status_code in (401, 403)
