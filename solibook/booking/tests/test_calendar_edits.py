"""Resize and blocked time through the API (the calendar's drag and its
"Block time" form), client cards in the calendar's search and panel, and
resource columns."""

from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.booking.models import Appointment, AppointmentEvent, BookingSegment
from solibook.booking.tests.test_calendar import calendar_api
from solibook.catalog.models import Resource, ResourceType, ServiceResourceType, TimeOff
from solibook.catalog.versioning import catalog_changed
from solibook.clients.models import Client
from solibook.testing.booking import book
from solibook.testing.factories import member
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db


def api(salon, path):
    return f"/api/v1/businesses/{salon.business.pk}/{path}"


def test_resize_stretches_the_visit_and_its_segment(desk_api, salon):
    visit = book(salon, hour=10, master=salon.lea, client_name="Anna")
    response = desk_api.post(
        api(salon, f"appointments/{visit.pk}/resize/"),
        {"end": paris(11, 30).isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.content
    with scopes_disabled():
        visit.refresh_from_db()
        assert visit.ends_at == paris(11, 30)
        segment = BookingSegment.objects.get(appointment=visit, is_active=True)
        assert (segment.starts_at, segment.ends_at) == (paris(10), paris(11, 30))
        assert AppointmentEvent.objects.filter(appointment=visit, kind="resized").exists()
    shorter = desk_api.post(
        api(salon, f"appointments/{visit.pk}/resize/"),
        {"end": paris(10, 45).isoformat()},
        format="json",
    )
    assert shorter.status_code == 200
    with scopes_disabled():
        assert BookingSegment.objects.get(appointment=visit, is_active=True).ends_at == paris(
            10, 45
        )


def test_resize_over_another_visit_is_refused_and_nothing_changes(desk_api, salon):
    visit = book(salon, hour=10, master=salon.lea)
    book(salon, hour=11, master=salon.lea)
    response = desk_api.post(
        api(salon, f"appointments/{visit.pk}/resize/"),
        {"end": paris(11, 15).isoformat()},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "slot_taken"
    with scopes_disabled():
        visit.refresh_from_db()
        assert visit.ends_at == paris(11)
        assert BookingSegment.objects.get(appointment=visit, is_active=True).ends_at == paris(11)


@pytest.mark.parametrize(
    ("end", "code"),
    [
        ("2030-06-03T10:02:00+02:00", "too_short"),
        ("2030-06-03T23:30:00+02:00", None),
        ("not a time", None),
    ],
)
def test_resize_bad_input_is_a_clear_400(desk_api, salon, end, code):
    visit = book(salon, hour=10, master=salon.lea)
    response = desk_api.post(
        api(salon, f"appointments/{visit.pk}/resize/"), {"end": end}, format="json"
    )
    assert response.status_code == 400, response.content
    if code:
        assert response.json()["error"]["code"] == code


def test_a_master_cannot_resize(api_client, salon):
    visit = book(salon, hour=10, master=salon.lea)
    api_client.force_authenticate(member(salon.business, Role.MASTER))
    assert (
        api_client.post(
            api(salon, f"appointments/{visit.pk}/resize/"),
            {"end": paris(12).isoformat()},
            format="json",
        ).status_code
        == 403
    )


def test_blocked_time_stops_bookings_and_shows_in_the_calendar(desk_api, salon):
    response = desk_api.post(
        api(salon, "blocked-time/"),
        {
            "master_id": salon.lea.pk,
            "starts_at": paris(13).isoformat(),
            "ends_at": paris(14).isoformat(),
            "note": "Meeting",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    block_id = response.json()["id"]
    refused = desk_api.post(
        api(salon, "appointments/"),
        {
            "location_id": salon.location.pk,
            "items": [{"service_id": salon.cut.pk, "master_id": salon.lea.pk}],
            "start": paris(13, 30).isoformat(),
            "client_name": "Z",
        },
        format="json",
    )
    assert refused.status_code in (400, 409), refused.content
    events = calendar_api(desk_api, salon).json()["events"]
    blocked = [e for e in events if e["extendedProps"].get("blocked")]
    assert (
        len(blocked) == 1
        and blocked[0]["title"] == "Meeting"
        and blocked[0]["start"].endswith("13:00")
    )
    assert desk_api.delete(api(salon, f"blocked-time/{block_id}/")).status_code == 204
    with scopes_disabled():
        assert not TimeOff.objects.exists()


def test_blocking_over_a_visit_is_refused(desk_api, salon):
    book(salon, hour=10, master=salon.lea)
    response = desk_api.post(
        api(salon, "blocked-time/"),
        {
            "master_id": salon.lea.pk,
            "starts_at": paris(10, 30).isoformat(),
            "ends_at": paris(12).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 409
    with scopes_disabled():
        assert not TimeOff.objects.exists()
    backwards = desk_api.post(
        api(salon, "blocked-time/"),
        {
            "master_id": salon.lea.pk,
            "starts_at": paris(12).isoformat(),
            "ends_at": paris(11).isoformat(),
        },
        format="json",
    )
    assert backwards.status_code == 400


def test_vacations_cannot_be_removed_as_blocked_time(desk_api, salon):
    with scopes_disabled():
        vacation = TimeOff.objects.create(
            business=salon.business, master=salon.lea, starts_at=paris(8), ends_at=paris(9)
        )
    assert desk_api.delete(api(salon, f"blocked-time/{vacation.pk}/")).status_code == 404


def test_walk_in_booking_searches_cards_and_creates_a_new_one(desk_api, salon):
    response = desk_api.post(
        api(salon, "appointments/"),
        {
            "location_id": salon.location.pk,
            "items": [{"service_id": salon.cut.pk, "master_id": salon.lea.pk}],
            "start": paris(10).isoformat(),
            "client_name": "Nina Simone",
            "client_phone": "06 11 22 33 44",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    found = desk_api.get(api(salon, "clients/search/"), {"q": "nina"}).json()["results"]
    assert found == [
        {
            "card_id": found[0]["card_id"],
            "name": "Nina Simone",
            "phone": "+33611223344",
            "email": "",
        }
    ]
    again = desk_api.post(
        api(salon, "appointments/"),
        {
            "location_id": salon.location.pk,
            "items": [{"service_id": salon.cut.pk, "master_id": salon.lea.pk}],
            "start": paris(12).isoformat(),
            "client_card_id": found[0]["card_id"],
            "client_name": "Nina Simone",
        },
        format="json",
    )
    assert again.status_code == 201
    with scopes_disabled():
        assert Client.objects.count() == 1
        assert set(Appointment.objects.values_list("client_card_id", flat=True)) == {
            found[0]["card_id"]
        }
    panel = desk_api.get(api(salon, f"calendar/appointments/{again.json()['id']}/")).json()
    assert panel["client"]["card_id"] == found[0]["card_id"]


def test_resource_columns_show_what_holds_a_room(desk_api, salon):
    with scopes_disabled():
        room_type = ResourceType.objects.create(business=salon.business, name="Colour station")
        room = Resource.objects.create(
            business=salon.business,
            location=salon.location,
            resource_type=room_type,
            name="Station 1",
        )
        ServiceResourceType.objects.create(
            business=salon.business, service=salon.cut, resource_type=room_type
        )
    catalog_changed(salon.business.pk)
    book(salon, hour=10, master=salon.lea, client_name="Anna")
    body = calendar_api(desk_api, salon).json()
    assert {
        "id": f"res-{room.pk}",
        "title": "Station 1",
        "extendedProps": {"kind": "resource", "capacity": 1},
    } in body["resources"]
    held = [e for e in body["events"] if e["resourceIds"] == [f"res-{room.pk}"]]
    assert len(held) == 1 and held[0]["title"] == "Anna · Cut" and held[0]["end"].endswith("11:00")
    assert timedelta  # noqa: B018
