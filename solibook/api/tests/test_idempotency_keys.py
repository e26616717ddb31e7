"""`Idempotency-Key` details (issue #17, point 9): a non-ASCII key gets its own
message; a replay is byte-for-byte the first response."""

import pytest

from solibook.testing.factories import UserFactory
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db


def book_body(salon, hour=10):
    return {
        "location_id": salon.location.pk,
        "items": [{"service_id": salon.cut.pk, "master_id": salon.lea.pk}],
        "start": paris(hour).isoformat(),
    }


@pytest.mark.parametrize("key", ["clé-1", "ключ", "مفتاح", "é" * 150, "tab\there"])
def test_a_key_outside_printable_ascii_is_refused_with_that_reason(api_client, salon, key):
    api_client.force_authenticate(UserFactory())
    response = api_client.post(
        "/api/v1/appointments/", book_body(salon), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "ASCII" in message and "200" not in message


def test_a_key_too_long_still_gets_the_length_message(api_client, salon):
    api_client.force_authenticate(UserFactory())
    response = api_client.post(
        "/api/v1/appointments/", book_body(salon), format="json", HTTP_IDEMPOTENCY_KEY="k" * 201
    )
    assert response.status_code == 400
    assert "200" in response.json()["error"]["message"]


def test_a_replay_is_byte_for_byte_the_first_response(api_client, salon):
    api_client.force_authenticate(UserFactory())
    headers = {"HTTP_IDEMPOTENCY_KEY": "bytes-1"}
    first = api_client.post("/api/v1/appointments/", book_body(salon), format="json", **headers)
    again = api_client.post("/api/v1/appointments/", book_body(salon), format="json", **headers)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.content == again.content


def test_a_replayed_refusal_is_byte_for_byte_the_first_one(api_client, salon):
    api_client.force_authenticate(UserFactory())
    api_client.post("/api/v1/appointments/", book_body(salon), format="json")
    api_client.force_authenticate(UserFactory())
    headers = {"HTTP_IDEMPOTENCY_KEY": "bytes-2"}
    one = api_client.post("/api/v1/appointments/", book_body(salon), format="json", **headers)
    two = api_client.post("/api/v1/appointments/", book_body(salon), format="json", **headers)
    assert one.status_code == two.status_code == 409
    assert one.content == two.content
