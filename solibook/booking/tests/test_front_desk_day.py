"""The calendar as the front desk (issue #15, point 1): booking a master who is
off lists real free times, several services and masters in one booking, the
shading of each master's day, the day's arrivals with check-in, the panel's
alerts and links, the printed day."""

from datetime import time, timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.booking import services
from solibook.booking.models import Appointment
from solibook.booking.selectors import ItemSpec
from solibook.catalog.models import LocationClosure, Service, ShiftBreak, TimeOff, WeeklyShift
from solibook.catalog.versioning import catalog_changed
from solibook.clients.models import Client, ClientPatchTest
from solibook.core.errors import Conflict
from solibook.core.tenancy import business_scope
from solibook.testing.booking import book
from solibook.testing.factories import BusinessFactory, LocationFactory, member
from solibook.testing.salon import MONDAY, NOW, paris

pytestmark = pytest.mark.django_db


def away(master, first_day, days):
    with scopes_disabled():
        TimeOff.objects.create(
            business=master.business,
            master=master,
            starts_at=paris(0, day=first_day),
            ends_at=paris(0, day=first_day + timedelta(days=days)),
            reason=TimeOff.Reason.VACATION,
        )


def desk_book(salon, specs, start, **client):
    with business_scope(salon.business):
        return services.appointment_create_at_desk(
            business=salon.business,
            location_id=salon.location.pk,
            specs=specs,
            start=start,
            now=NOW,
            **({"client_name": "Walk-in", "client_phone": "+33612345678"} | client),
        )


# --- the nearest free times are listed for real --------------------------------


def test_booking_a_master_who_is_off_lists_their_next_free_times(salon):
    """Marc is away Sunday to Tuesday: the three days the recount looks at hold
    no free time, so the answer used to say 'here are the nearest free times'
    with none. Now it looks further and finds Wednesday morning."""
    away(salon.marc, MONDAY - timedelta(days=1), 3)
    with pytest.raises(Conflict) as caught:
        desk_book(salon, [ItemSpec(salon.cut.pk, master_id=salon.marc.pk)], paris(10))
    assert caught.value.code == "slot_taken"
    alternatives = caught.value.extra["alternatives"]
    assert alternatives, "the answer promises free times: it must list them"
    wednesday = (MONDAY + timedelta(days=2)).isoformat()
    assert [a["start"][:10] for a in alternatives] == [wednesday] * len(alternatives)
    assert {i["master_name"] for a in alternatives for i in a["items"]} == {"Marc"}
    assert "nearest free times" in caught.value.message
    with scopes_disabled():
        assert not Appointment.objects.exists()
        assert not Client.objects.exists()  # a refused booking leaves no new card


def test_when_the_master_is_away_for_weeks_another_master_is_offered(salon):
    away(salon.marc, MONDAY - timedelta(days=1), 30)
    with pytest.raises(Conflict) as caught:
        desk_book(salon, [ItemSpec(salon.cut.pk, master_id=salon.marc.pk)], paris(10))
    alternatives = caught.value.extra["alternatives"]
    assert alternatives
    assert {i["master_name"] for a in alternatives for i in a["items"]} == {"Léa"}
    assert alternatives[0]["start"][:10] == MONDAY.isoformat()


def test_no_free_time_at_all_says_so_instead_of_promising_some(salon):
    away(salon.lea, MONDAY - timedelta(days=1), 30)  # only Léa does the colour
    with pytest.raises(Conflict) as caught:
        desk_book(salon, [ItemSpec(salon.colour.pk, master_id=salon.lea.pk)], paris(10))
    assert caught.value.extra["alternatives"] == []
    assert "no free time in the next two weeks" in caught.value.message
    assert "Here are" not in caught.value.message


# --- each master's day is shaded: working time, breaks, days off ----------------


def _calendar(api, salon, day=MONDAY):
    return api.get(
        f"/api/v1/businesses/{salon.business.pk}/calendar/",
        {
            "location_id": salon.location.pk,
            "start": day.isoformat(),
            "end": (day + timedelta(days=1)).isoformat(),
        },
    ).json()


def test_a_master_who_is_off_is_shaded_all_day_and_their_column_says_so(desk_api, salon):
    with scopes_disabled():
        WeeklyShift.objects.filter(master=salon.marc, weekday=MONDAY.weekday()).delete()
        shift = WeeklyShift.objects.get(master=salon.lea, weekday=MONDAY.weekday())
        ShiftBreak.objects.create(
            business=salon.business, shift=shift, start=time(13), end=time(13, 45)
        )
    catalog_changed(salon.business.pk)
    body = _calendar(desk_api, salon)
    notes = {r["id"]: r["extendedProps"]["note"] for r in body["resources"]}
    assert notes == {str(salon.lea.pk): "", str(salon.marc.pk): "Day off"}
    hours = [e for e in body["events"] if e["extendedProps"]["kind"] == "hours"]
    marc = [
        (e["start"], e["end"], e["classNames"][-1])
        for e in hours
        if e["resourceIds"] == [str(salon.marc.pk)]
    ]
    assert marc == [("2030-06-03T00:00", "2030-06-04T00:00", "sb-off")]
    lea = sorted(
        (e["start"], e["end"], e["classNames"][-1])
        for e in hours
        if e["resourceIds"] == [str(salon.lea.pk)]
    )
    assert lea == [
        ("2030-06-03T00:00", "2030-06-03T09:00", "sb-off"),
        ("2030-06-03T13:00", "2030-06-03T13:45", "sb-break"),
        ("2030-06-03T18:00", "2030-06-04T00:00", "sb-off"),
    ]
    assert all(e["display"] == "background" for e in hours)


def test_a_closed_day_and_a_day_of_time_off_say_so_in_the_language_of_the_page(desk_api, salon):
    with scopes_disabled():
        LocationClosure.objects.create(
            business=salon.business, location=salon.location, date=MONDAY + timedelta(days=1)
        )
    catalog_changed(salon.business.pk)
    away(salon.marc, MONDAY, 1)
    monday = _calendar(desk_api, salon)
    assert {r["extendedProps"]["note"] for r in monday["resources"]} == {"", "Away · Vacation"}
    tuesday = _calendar(desk_api, salon, MONDAY + timedelta(days=1))
    assert {r["extendedProps"]["note"] for r in tuesday["resources"]} == {"Salon closed"}
    desk_api.force_authenticate(None)


def test_the_columns_note_is_in_the_pages_language(client, salon):
    from solibook.booking.tests.test_calendar import page_config

    with scopes_disabled():
        LocationClosure.objects.create(
            business=salon.business, location=salon.location, date=MONDAY
        )
    catalog_changed(salon.business.pk)
    client.force_login(member(salon.business, Role.RECEPTIONIST))
    for lang, closed in (("ru", "Салон закрыт"), ("fr", "Salon fermé"), ("ar", "الصالون مغلق")):
        config = page_config(
            client.get(f"/{lang}/office/{salon.business.slug}/calendar/?date={MONDAY.isoformat()}")
        )
        assert {r["extendedProps"]["note"] for r in config["resources"]} == {closed}


def test_the_calendar_page_names_who_is_off_today(client, salon):
    from solibook.booking.tests.test_calendar import page_config

    with scopes_disabled():
        WeeklyShift.objects.filter(master=salon.marc).delete()
    catalog_changed(salon.business.pk)
    client.force_login(member(salon.business, Role.RECEPTIONIST))
    config = page_config(client.get(f"/en/office/{salon.business.slug}/calendar/"))
    notes = {r["title"]: r["extendedProps"]["note"] for r in config["resources"]}
    assert notes == {"Léa": "", "Marc": "Off today"}
    assert config["urls"]["checkout"].endswith(f"/{salon.business.slug}/finance/checkout/") or (
        "checkout" in config["urls"]["checkout"]
    )


@pytest.mark.parametrize(
    ("lang", "label"), [("en", "Name"), ("fr", "Nom"), ("ru", "Имя"), ("ar", "الاسم")]
)
def test_the_booking_form_asks_for_the_clients_name_as_a_persons_name(client, salon, lang, label):
    """Russian said 'Название' (a thing's name) above the new client's name."""
    client.force_login(member(salon.business, Role.RECEPTIONIST))
    page = client.get(f"/{lang}/office/{salon.business.slug}/calendar/").content.decode()
    assert f'<label class="form-label" for="booking-client-name">{label}</label>' in page


# --- several services and masters in one booking at the desk --------------------


def test_the_desk_books_two_services_with_two_masters_in_one_visit(desk_api, salon):
    response = desk_api.post(
        f"/api/v1/businesses/{salon.business.pk}/appointments/",
        {
            "location_id": salon.location.pk,
            "items": [
                {"service_id": salon.cut.pk, "master_id": salon.marc.pk},
                {"service_id": salon.colour.pk, "master_id": salon.lea.pk},
            ],
            "start": paris(10).isoformat(),
            "client_name": "Nina Phone",
            "client_phone": "+33 6 11 22 33 44",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    with scopes_disabled():
        visit = Appointment.objects.get(pk=response.json()["id"])
        items = list(visit.items.order_by("position"))
        assert [(i.service_id, i.master_id) for i in items] == [
            (salon.cut.pk, salon.marc.pk),
            (salon.colour.pk, salon.lea.pk),
        ]
        assert items[1].starts_at == items[0].ends_at == paris(11)
        assert visit.client_card.full_name == "Nina Phone"


def test_a_taken_time_at_the_desk_answers_409_with_the_free_times_listed(desk_api, salon):
    book(salon, hour=10, master=salon.marc)
    response = desk_api.post(
        f"/api/v1/businesses/{salon.business.pk}/appointments/",
        {
            "location_id": salon.location.pk,
            "items": [{"service_id": salon.cut.pk, "master_id": salon.marc.pk}],
            "start": paris(10).isoformat(),
            "client_name": "Second",
            "client_phone": "+33611223345",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["alternatives"] and all(
        a["items"][0]["master_name"] == "Marc" for a in error["alternatives"]
    )
    assert "nearest free times" not in error["message"]  # in French


# --- arrivals, check-in, alerts, the panel, the printed day ----------------------


def _arrivals(client, salon, lang="en"):
    return client.get(
        f"/{lang}/office/{salon.business.slug}/calendar/arrivals/",
        {"location": salon.location.pk, "date": MONDAY.isoformat()},
    )


@pytest.fixture
def visit_with_alerts(salon):
    visit = book(
        salon,
        hour=10,
        specs=[ItemSpec(salon.colour.pk, master_id=salon.lea.pk)],
        client_name="Alice Allergy",
        client_phone="+33600000001",
    )
    with scopes_disabled():
        card = visit.client_card
        card.allergies = "PPD (hair dye)"
        card.notes = "Prefers a quiet corner"
        card.save()
        Service.objects.filter(pk=salon.colour.pk).update(requires_patch_test=True)
    return visit


def test_the_days_arrivals_list_time_client_services_master_status_due_and_alerts(
    client, salon, visit_with_alerts
):
    book(salon, hour=11, master=salon.marc, client_name="Bob")
    client.force_login(member(salon.business, Role.RECEPTIONIST))
    response = _arrivals(client, salon)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Alice Allergy") < html.index("Bob")  # in time order
    assert "10:00–11:35" in html and "Colour" in html and "Léa" in html
    assert "Allergies: PPD (hair dye)" in html
    assert "No patch test on file for Colour." in html
    assert "Notes: Prefers a quiet corner" in html
    assert "Confirmed" in html
    assert "80.00" in html or "80,00" in html  # the colour's price is due
    check_in = (
        f"/en/office/{salon.business.slug}/calendar/arrivals/{visit_with_alerts.pk}/check-in/"
    )
    assert check_in in html
    assert f"checkout/?appointment={visit_with_alerts.pk}" in html


def test_check_in_marks_the_visit_arrived_once(client, salon, visit_with_alerts):
    client.force_login(member(salon.business, Role.RECEPTIONIST))
    url = f"/en/office/{salon.business.slug}/calendar/arrivals/{visit_with_alerts.pk}/check-in/"
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "Alice Allergy is checked in." in response.content.decode()
    visit_with_alerts.refresh_from_db()
    assert visit_with_alerts.status == "arrived"
    with scopes_disabled():
        events = visit_with_alerts.events.filter(kind="status").count()
    again = client.post(url, {"next": "https://evil.example/"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert again.status_code == 302 and "evil.example" not in again["Location"]
    with scopes_disabled():
        assert visit_with_alerts.events.filter(kind="status").count() == events


def test_check_in_in_another_business_is_not_found_and_a_master_may_not(
    client, salon, visit_with_alerts
):
    other = BusinessFactory()
    LocationFactory(business=other)
    client.force_login(member(other, Role.RECEPTIONIST))
    response = client.post(
        f"/en/office/{other.slug}/calendar/arrivals/{visit_with_alerts.pk}/check-in/"
    )
    assert response.status_code == 404
    client.force_login(member(salon.business, Role.MASTER))
    response = client.post(
        f"/en/office/{salon.business.slug}/calendar/arrivals/{visit_with_alerts.pk}/check-in/"
    )
    assert response.status_code == 403
    assert _arrivals(client, salon).status_code == 403
    visit_with_alerts.refresh_from_db()
    assert visit_with_alerts.status == "confirmed"


def test_the_panel_shows_the_cards_alerts_and_what_the_desk_can_do(
    desk_api, salon, visit_with_alerts
):
    response = desk_api.get(
        f"/api/v1/businesses/{salon.business.pk}/calendar/appointments/{visit_with_alerts.pk}/"
    )
    body = response.json()
    assert [a["kind"] for a in body["alerts"]] == ["allergy", "patch_test", "notes"]
    assert body["alerts"][0]["level"] == "danger"
    assert body["desk"] == {
        "check_in": True,
        "check_out": True,
        "checked_out": False,
        "no_show": True,
        "reschedule": True,
        "rebook": True,
    }
    assert body["rebook"]["items"] == [{"service_id": salon.colour.pk, "master_id": salon.lea.pk}]
    assert body["rebook"]["client_card_id"] == visit_with_alerts.client_card_id
    assert body["balance_due"]


def test_a_valid_patch_test_is_shown_as_such(desk_api, salon, visit_with_alerts):
    with scopes_disabled():
        ClientPatchTest.objects.create(
            business=salon.business,
            client=visit_with_alerts.client_card,
            service=salon.colour,
            taken_at=MONDAY - timedelta(days=5),
            valid_until=MONDAY + timedelta(days=30),
        )
    body = desk_api.get(
        f"/api/v1/businesses/{salon.business.pk}/calendar/appointments/{visit_with_alerts.pk}/"
    ).json()
    patch = [a for a in body["alerts"] if a["kind"] == "patch_test"]
    assert len(patch) == 1 and patch[0]["level"] == "info" and "valid until" in patch[0]["text"]


def test_the_printed_day_lists_each_masters_visits(client, salon, visit_with_alerts):
    book(salon, hour=11, master=salon.marc, client_name="Bob")
    client.force_login(member(salon.business, Role.RECEPTIONIST))
    response = client.get(
        f"/en/office/{salon.business.slug}/calendar/print/",
        {"location": salon.location.pk, "date": MONDAY.isoformat()},
    )
    assert response.status_code == 200
    html = response.content.decode()
    lea, marc = (
        html.index(f'id="master-{salon.lea.pk}"'),
        html.index(f'id="master-{salon.marc.pk}"'),
    )
    assert lea < html.index("Alice Allergy") < marc < html.index("Bob")
    assert "09:00–18:00" in html
    assert "@media print" not in html  # a stylesheet, not inline
    assert "solibook/desk" in html
