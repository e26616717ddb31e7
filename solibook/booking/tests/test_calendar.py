"""The calendar page and its read API: who sees what, in which time zone."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.booking import services
from solibook.core.tenancy import business_scope
from solibook.testing.booking import book
from solibook.testing.factories import BusinessFactory, LocationFactory, UserFactory, member
from solibook.testing.salon import MONDAY, NOW, paris

pytestmark = pytest.mark.django_db


def page_config(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="calendar-config" type="application/json">') + len(
        '<script id="calendar-config" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def visits(body) -> list[dict]:
    """The calendar's events but the shading of working time (`kind` "hours")."""
    return [e for e in body["events"] if e["extendedProps"]["kind"] != "hours"]


def calendar_api(api_client, salon, **params):
    query = {
        "location_id": salon.location.pk,
        "start": MONDAY.isoformat(),
        "end": (MONDAY + timedelta(days=1)).isoformat(),
        **params,
    }
    return api_client.get(f"/api/v1/businesses/{salon.business.pk}/calendar/", query)


def test_the_page_renders_for_a_receptionist_with_the_vendored_calendar(client, salon):
    client.force_login(member(salon.business, Role.RECEPTIONIST))
    response = client.get(f"/en/office/{salon.business.slug}/calendar/?date={MONDAY.isoformat()}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/event-calendar/event-calendar.min.js" in html
    assert "vendor/event-calendar/event-calendar.min.css" in html
    assert "js/booking/calendar.js" in html
    assert 'id="booking-form"' in html  # the receptionist books
    config = page_config(response)
    assert config["timeZone"] == "Europe/Paris"
    assert config["date"] == MONDAY.isoformat()
    assert config["canManage"] is True
    assert [r["title"] for r in config["resources"]] == ["Léa", "Marc"]
    assert config["urls"]["reschedule"].endswith("/appointments/0/reschedule/")
    # Every per-object URL has the 0 calendar.js replaces (the <id:> route refuses 0 itself).
    business_id = salon.business.pk
    assert config["urls"]["panel"].endswith(f"/{business_id}/calendar/appointments/0/")
    assert config["urls"]["unblock"].endswith(f"/{business_id}/blocked-time/0/")
    assert config["urls"]["card"].endswith(f"/{salon.business.slug}/clients/0/")
    # The nav link.
    assert f'href="/en/office/{salon.business.slug}/calendar/"' in html


def test_the_page_speaks_the_pages_language_and_arabic_is_right_to_left(client, salon):
    client.force_login(member(salon.business, Role.RECEPTIONIST))
    config = page_config(client.get(f"/ar/office/{salon.business.slug}/calendar/"))
    assert config["locale"] == "ar"
    assert config["rtl"] is True
    french = page_config(client.get(f"/fr/office/{salon.business.slug}/calendar/"))
    assert french["locale"] == "fr"
    assert (
        french["strings"]["statuses"]["confirmed"] != "Confirmed"
    )  # translated by the model's catalogue


def test_a_master_sees_only_their_own_column_and_cannot_book(client, api_client, salon):
    user = member(salon.business, Role.MASTER)
    with scopes_disabled():
        salon.marc.user = user
        salon.marc.save()
    book(salon, hour=10, master=salon.lea, client_name="Léa's client")
    book(salon, hour=11, master=salon.marc, client_name="Marc's client")
    client.force_login(user)
    response = client.get(f"/en/office/{salon.business.slug}/calendar/")
    assert response.status_code == 200
    config = page_config(response)
    assert [r["title"] for r in config["resources"]] == ["Marc"]
    assert config["canManage"] is False
    assert 'id="booking-form"' not in response.content.decode()

    api_client.force_authenticate(user)
    body = calendar_api(api_client, salon).json()
    assert [r["title"] for r in body["resources"]] == ["Marc"]
    assert {e["extendedProps"]["client"] for e in visits(body)} == {"Marc's client"}
    # Another master's visit is invisible, and the client search is not theirs to use.
    lea_visit = book(salon, hour=15, master=salon.lea, client_name="Hidden")
    assert (
        api_client.get(
            f"/api/v1/businesses/{salon.business.pk}/calendar/appointments/{lea_visit.pk}/"
        ).status_code
        == 404
    )
    assert (
        api_client.get(
            f"/api/v1/businesses/{salon.business.pk}/appointments/{lea_visit.pk}/history/"
        ).status_code
        == 404
    )
    assert (
        api_client.get(
            f"/api/v1/businesses/{salon.business.pk}/clients/search/", {"q": "Hid"}
        ).status_code
        == 403
    )


def test_an_accountant_has_no_calendar(client, salon):
    client.force_login(member(salon.business, Role.ACCOUNTANT))
    assert client.get(f"/en/office/{salon.business.slug}/calendar/").status_code == 403


def test_calendar_feed_sends_local_wall_clock_times_and_processing_windows(api_client, salon):
    api_client.force_authenticate(member(salon.business, Role.RECEPTIONIST))
    visit = book(
        salon, hour=10, master=salon.lea, service=salon.colour, client_name="Anna"
    )  # 30 busy, 35 processing, 30 busy
    response = calendar_api(api_client, salon)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["time_zone"] == "Europe/Paris"
    mine = [e for e in body["events"] if e["extendedProps"].get("appointment_id") == visit.pk]
    background = [e for e in mine if e.get("display") == "background"]
    busy = [e for e in mine if e["extendedProps"]["kind"] == "busy"]
    # Paris wall-clock time, not UTC (10:00 Paris is 08:00 UTC in June).
    assert [(e["start"], e["end"]) for e in background] == [
        ("2030-06-03T10:00", "2030-06-03T11:35")
    ]
    assert [(e["start"], e["end"]) for e in busy] == [
        ("2030-06-03T10:00", "2030-06-03T10:30"),
        ("2030-06-03T11:05", "2030-06-03T11:35"),
    ]
    assert busy[0]["resourceIds"] == [str(salon.lea.pk)]
    assert busy[0]["extendedProps"]["status"] == "confirmed"
    assert busy[0]["extendedProps"]["appointment_start"] == "2030-06-03T10:00"
    assert busy[0]["extendedProps"]["movable"] is True
    # The next day shows nothing of it; a week per master filters by master.
    next_day = calendar_api(
        api_client,
        salon,
        start=(MONDAY + timedelta(days=1)).isoformat(),
        end=(MONDAY + timedelta(days=2)).isoformat(),
    )
    assert visits(next_day.json()) == []
    week_marc = calendar_api(
        api_client, salon, end=(MONDAY + timedelta(days=7)).isoformat(), master_id=salon.marc.pk
    ).json()
    assert visits(week_marc) == []
    assert [r["title"] for r in week_marc["resources"]] == ["Marc"]


def test_cancelled_visits_leave_the_calendar(api_client, salon):
    api_client.force_authenticate(member(salon.business, Role.RECEPTIONIST))
    visit = book(salon, hour=10, master=salon.lea)
    with business_scope(salon.business):
        services.appointment_cancel(
            business=salon.business, appointment_id=visit.pk, by_client=False, now=NOW
        )
    assert visits(calendar_api(api_client, salon).json()) == []


@pytest.mark.parametrize(
    "params", [{"start": "2030-13-01"}, {"end": "2030-01-01"}, {"location_id": "x"}]
)
def test_bad_calendar_queries_are_400(api_client, salon, params):
    api_client.force_authenticate(member(salon.business, Role.RECEPTIONIST))
    assert calendar_api(api_client, salon, **params).status_code == 400


def test_another_business_location_is_404_in_the_feed_and_the_page(client, api_client, salon):
    other = LocationFactory(business=BusinessFactory())
    user = member(salon.business, Role.RECEPTIONIST)
    api_client.force_authenticate(user)
    client.force_login(user)
    assert calendar_api(api_client, salon, location_id=other.pk).status_code == 404
    assert (
        client.get(f"/en/office/{salon.business.slug}/calendar/?location={other.pk}").status_code
        == 404
    )
    assert client.get(f"/en/office/{salon.business.slug}/calendar/?location=abc").status_code == 404


def test_client_search_finds_only_this_business_clients(api_client, salon):
    known = UserFactory(full_name="Zoé Dupont", email="zoe@example.test")
    book(salon, hour=10, master=salon.lea, account=known)
    book(salon, hour=12, master=salon.lea, client_name="Zoltan Walkin", client_phone="+33612345678")
    book(
        salon, hour=14, master=salon.lea, client_name="Zoltan Walkin", client_phone="+33612345678"
    )  # the same walk-in, listed once
    # Another salon's client with a matching name.
    other = BusinessFactory()
    other_location = LocationFactory(business=other)
    with scopes_disabled():
        from solibook.booking.models import Appointment

        Appointment.objects.create(
            business=other,
            location=other_location,
            client_name="Zora Elsewhere",
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=1),
            price_amount=100,
            currency="EUR",
        )
    api_client.force_authenticate(member(salon.business, Role.RECEPTIONIST))
    url = f"/api/v1/businesses/{salon.business.pk}/clients/search/"
    results = api_client.get(url, {"q": "zo"}).json()["results"]
    assert sorted(r["name"] for r in results) == ["Zoltan Walkin", "Zoé Dupont"]
    # Cards, never the platform account behind one (issue #17).
    assert all(set(r) == {"card_id", "name", "phone", "email"} for r in results)
    assert api_client.get(url, {"q": "3361234"}).json()["results"][0]["name"] == "Zoltan Walkin"
    assert api_client.get(url, {"q": "zoe@ex"}).json()["results"][0]["name"] == "Zoé Dupont"
    assert api_client.get(url, {"q": "z"}).json()["results"] == []  # too short
    assert api_client.get(url, {"q": "Zora"}).json()["results"] == []


def test_appointment_panel_and_history_say_who_did_what_when(api_client, salon):
    desk = member(salon.business, Role.RECEPTIONIST, full_name="Desk Person")
    visit = book(
        salon,
        hour=10,
        master=salon.lea,
        actor=desk,
        client_name="Anna",
        client_phone="+33600000001",
    )
    with business_scope(salon.business):
        services.appointment_reschedule(
            business=salon.business, appointment_id=visit.pk, start=paris(12), actor=desk, now=NOW
        )
    api_client.force_authenticate(desk)
    history = api_client.get(
        f"/api/v1/businesses/{salon.business.pk}/appointments/{visit.pk}/history/"
    )
    assert history.status_code == 200
    rows = history.json()["history"]
    assert [(r["kind"], r["actor"]) for r in rows] == [
        ("created", "Desk Person"),
        ("rescheduled", "Desk Person"),
    ]
    assert rows[1]["data"]["from"] == "2030-06-03T10:00"  # shown in the location's wall-clock time

    panel = api_client.get(
        f"/api/v1/businesses/{salon.business.pk}/calendar/appointments/{visit.pk}/",
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()
    assert panel["client"]["name"] == "Anna"
    assert panel["start"] == "2030-06-03T12:00"
    assert panel["price"] == "€45.00"
    assert panel["items"][0]["service"] == "Cut"
    assert panel["items"][0]["master"] == "Léa"
    assert [s["status"] for s in panel["next_statuses"]] == [
        "arrived",
        "in_progress",
        "completed",
        "no_show",
    ]
    assert panel["can_cancel"] is True
    assert len(panel["history"]) == 2


def test_time_off_shows_as_blocked_time_in_the_masters_column(api_client, salon):
    from solibook.catalog.models import TimeOff

    with scopes_disabled():
        TimeOff.objects.create(
            business=salon.business,
            master=salon.marc,
            starts_at=paris(14),
            ends_at=paris(16),
            note="Dentist",
        )
    api_client.force_authenticate(member(salon.business, Role.RECEPTIONIST))
    away = [
        e
        for e in calendar_api(api_client, salon).json()["events"]
        if e["extendedProps"]["kind"] == "away"
    ]
    assert [(e["resourceIds"], e["start"], e["end"], e["display"]) for e in away] == [
        ([str(salon.marc.pk)], "2030-06-03T14:00", "2030-06-03T16:00", "background")
    ]
