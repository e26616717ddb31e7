from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.api.models import IdempotencyRecord
from solibook.booking.models import Appointment, Status
from solibook.testing.factories import UserFactory, member
from solibook.testing.salon import MONDAY, paris

YESTERDAY = (timezone.now() - timedelta(days=1)).replace(second=0, microsecond=0).isoformat()

pytestmark = pytest.mark.django_db


def availability(api_client, salon, **params):
    query = {"service": [salon.cut.pk], "date": MONDAY.isoformat(), "days": 1, **params}
    return api_client.get(f"/api/v1/locations/{salon.location.pk}/availability/", query)


def book_body(salon, hour=10, minute=0, **extra):
    return {
        "location_id": salon.location.pk,
        "items": [{"service_id": salon.cut.pk, "master_id": salon.lea.pk}],
        "start": paris(hour, minute).isoformat(),
        **extra,
    }


def test_public_availability_lists_local_times_with_masters_and_prices(api_client, salon):
    response = availability(api_client, salon, master=[str(salon.lea.pk)])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["time_zone"] == "Europe/Paris"
    first = body["slots"][0]
    assert first["start"] == "2030-06-03T09:00:00+02:00"
    assert first["items"][0]["master_name"] == "Léa"
    assert (first["price_amount"], first["currency"]) == (4500, "EUR")
    assert body["late_cancellation_fee_percent"] == 50


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"date": "2030-13-45"}, 400),
        ({"days": 0}, 400),
        ({"service": ["abc"]}, 400),
        ({"master": ["x1"]}, 400),
        ({"service": [999999]}, 404),
    ],
)
def test_bad_availability_queries_are_clear_4xx(api_client, salon, params, status):
    response = availability(api_client, salon, **params)
    assert response.status_code == status
    assert response.json()["error"]["message"]


def test_a_client_books_and_a_second_client_gets_409_with_alternatives(api_client, salon):
    api_client.force_authenticate(UserFactory())
    first = api_client.post("/api/v1/appointments/", book_body(salon), format="json")
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "confirmed"
    assert first.json()["cancellation_policy"]["late_fee_percent"] == 50

    api_client.force_authenticate(UserFactory())
    second = api_client.post(
        "/api/v1/appointments/", book_body(salon), format="json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert second.status_code == 409
    error = second.json()["error"]
    assert error["code"] == "slot_taken"
    assert error["alternatives"]
    assert "disponible" in error["message"]


def test_idempotency_key_replays_and_refuses_another_body(api_client, salon):
    api_client.force_authenticate(UserFactory())
    headers = {"HTTP_IDEMPOTENCY_KEY": "booking-123"}
    first = api_client.post("/api/v1/appointments/", book_body(salon), format="json", **headers)
    again = api_client.post("/api/v1/appointments/", book_body(salon), format="json", **headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    other = api_client.post(
        "/api/v1/appointments/", book_body(salon, hour=15), format="json", **headers
    )
    assert other.status_code == 422
    with scopes_disabled():
        assert Appointment.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_a_replayed_conflict_gets_the_same_409(api_client, salon):
    api_client.force_authenticate(UserFactory())
    api_client.post("/api/v1/appointments/", book_body(salon), format="json")
    api_client.force_authenticate(UserFactory())
    headers = {"HTTP_IDEMPOTENCY_KEY": "again"}
    one = api_client.post("/api/v1/appointments/", book_body(salon), format="json", **headers)
    two = api_client.post("/api/v1/appointments/", book_body(salon), format="json", **headers)
    assert one.status_code == two.status_code == 409
    assert one.json() == two.json()


def test_client_cancels_and_reschedules_only_their_own_visits(api_client, salon):
    owner_of_visit, stranger = UserFactory(), UserFactory()
    api_client.force_authenticate(owner_of_visit)
    visit = api_client.post("/api/v1/appointments/", book_body(salon), format="json").json()
    moved = api_client.post(
        f"/api/v1/appointments/{visit['id']}/reschedule/",
        {"start": paris(11).isoformat()},
        format="json",
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["starts_at"].startswith("2030-06-03T09:00:00")  # 11:00 Paris in UTC

    api_client.force_authenticate(stranger)
    assert (
        api_client.post(
            f"/api/v1/appointments/{visit['id']}/cancel/", {}, format="json"
        ).status_code
        == 404
    )
    assert api_client.get(f"/api/v1/appointments/{visit['id']}/").status_code == 404

    api_client.force_authenticate(owner_of_visit)
    cancelled = api_client.post(
        f"/api/v1/appointments/{visit['id']}/cancel/", {"reason": "ill"}, format="json"
    )
    assert cancelled.json()["status"] == "cancelled"
    assert [a["id"] for a in api_client.get("/api/v1/appointments/").json()["results"]] == [
        visit["id"]
    ]


def test_hold_then_confirm(api_client, salon):
    api_client.force_authenticate(UserFactory())
    held = api_client.post(
        "/api/v1/appointments/", book_body(salon, hold=True), format="json"
    ).json()
    assert held["status"] == Status.HOLD and held["hold_expires_at"]
    confirmed = api_client.post(f"/api/v1/appointments/{held['id']}/confirm/", format="json")
    assert confirmed.json()["status"] == Status.CONFIRMED


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"start": "not-a-date"}, 400, "invalid"),
        # A past time inside the engine's date bound reaches the booking service...
        ({"start": YESTERDAY}, 400, "in_the_past"),
        # ...one before the bound is refused by the serializer, with the same message.
        ({"start": "2020-01-01T10:00:00+01:00"}, 400, "invalid"),
        ({"items": [{"service_id": 999999}]}, 404, "not_found"),
        ({"items": []}, 400, "invalid"),
        ({"location_id": 999999}, 404, "not_found"),
    ],
)
def test_bad_bookings_write_nothing(api_client, salon, change, status, code):
    api_client.force_authenticate(UserFactory())
    response = api_client.post(
        "/api/v1/appointments/", {**book_body(salon), **change}, format="json"
    )
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code, response.content
    if "start" in change and change["start"] != "not-a-date":
        assert response.json()["error"]["fields"]["start"] == ["This time is in the past."]
    with scopes_disabled():
        assert not Appointment.objects.exists()


def test_the_front_desk_books_moves_and_marks_arrival(api_client, salon):
    receptionist = member(salon.business, Role.RECEPTIONIST)
    api_client.force_authenticate(receptionist)
    base = f"/api/v1/businesses/{salon.business.pk}/appointments/"
    created = api_client.post(
        base,
        {**book_body(salon), "client_name": "Walk-in", "client_phone": "+33612345678"},
        format="json",
    )
    assert created.status_code == 201, created.content
    appointment_id = created.json()["id"]
    assert (
        api_client.post(
            f"{base}{appointment_id}/reschedule/", {"start": paris(12).isoformat()}, format="json"
        ).status_code
        == 200
    )
    assert (
        api_client.post(
            f"{base}{appointment_id}/status/", {"status": "arrived"}, format="json"
        ).json()["status"]
        == "arrived"
    )
    bad = api_client.post(f"{base}{appointment_id}/status/", {"status": "arrived"}, format="json")
    assert bad.status_code == 400
    listed = api_client.get(base, {"from": paris(0).isoformat(), "to": paris(23).isoformat()})
    assert [a["id"] for a in listed.json()["results"]] == [appointment_id]
    assert api_client.get(base, {"from": "yesterday"}).status_code == 400


def test_a_master_sees_only_their_own_calendar_and_cannot_book(api_client, salon):
    master_user = member(salon.business, Role.MASTER)
    with scopes_disabled():
        salon.marc.user = master_user
        salon.marc.save()
    api_client.force_authenticate(member(salon.business, Role.RECEPTIONIST))
    base = f"/api/v1/businesses/{salon.business.pk}/appointments/"
    api_client.post(base, book_body(salon, client_name="Anna"), format="json")
    mine = api_client.post(
        base,
        {
            **book_body(salon, client_name="Bob"),
            "items": [{"service_id": salon.cut.pk, "master_id": salon.marc.pk}],
        },
        format="json",
    ).json()
    api_client.force_authenticate(master_user)
    assert [a["id"] for a in api_client.get(base).json()["results"]] == [mine["id"]]
    assert api_client.post(base, book_body(salon, hour=16), format="json").status_code == 403


def test_series_and_waitlist_through_the_api(api_client, salon):
    client = UserFactory()
    api_client.force_authenticate(client)
    series = api_client.post(
        "/api/v1/appointments/series/",
        {**book_body(salon, hour=16), "interval_weeks": 2, "occurrences": 3},
        format="json",
    )
    assert series.status_code == 201, series.content
    assert len(series.json()["placed"]) == 3 and series.json()["failed"] == []
    joined = api_client.post(
        "/api/v1/waitlist/",
        {
            "location_id": salon.location.pk,
            "service_id": salon.cut.pk,
            "date": MONDAY.isoformat(),
            "time_from": "09:00",
            "time_to": "12:00",
        },
        format="json",
    )
    assert joined.status_code == 201, joined.content
    assert joined.json()["state"] == "waiting"
    bad = api_client.post(
        "/api/v1/waitlist/",
        {
            "location_id": salon.location.pk,
            "service_id": salon.cut.pk,
            "date": MONDAY.isoformat(),
            "time_from": "12:00",
            "time_to": "09:00",
        },
        format="json",
    )
    assert bad.status_code == 400 and "time_to" in bad.json()["error"]["fields"]
    left = api_client.post(f"/api/v1/waitlist/{joined.json()['id']}/leave/")
    assert left.json()["state"] == "cancelled"
    api_client.force_authenticate(UserFactory())
    assert api_client.post(f"/api/v1/waitlist/{joined.json()['id']}/leave/").status_code == 404
