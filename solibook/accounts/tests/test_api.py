import time

import jwt
import pytest
from django.conf import settings

from solibook.accounts.models import User
from solibook.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _tokens(api_client, email):
    response = api_client.post("/api/v1/auth/token/", {"email": email, "password": TEST_PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()


def test_register_through_the_api(api_client):
    response = api_client.post(
        "/api/v1/auth/register/",
        {
            "email": "ira@example.test",
            "password": "moscow-winter-2026!",
            "full_name": "Ирина Волкова",
            "language": "ru",
            "time_zone": "Europe/Moscow",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["email"] == "ira@example.test"
    assert User.objects.get().language == "ru"


def test_errors_have_one_shape_in_the_requests_language(api_client):
    response = api_client.post(
        "/api/v1/auth/register/",
        {"email": "not-an-email", "password": "x", "full_name": ""},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) >= {"email", "full_name"}
    assert error["fields"]["email"] == ["Saisissez une adresse e-mail valide."]
    assert not User.objects.exists()


def test_malformed_json_is_a_clear_400(api_client):
    response = api_client.generic(
        "POST", "/api/v1/auth/register/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_jwt_obtain_use_and_rotate(api_client):
    user = UserFactory()
    tokens = _tokens(api_client, user.email)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert api_client.get("/api/v1/me/").json()["email"] == user.email

    rotated = api_client.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]})
    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != tokens["refresh"]
    # The old refresh token is revoked by the rotation.
    replay = api_client.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]})
    assert replay.status_code == 401


def test_tokens_with_alg_none_wrong_audience_or_expired_are_refused(api_client):
    user = UserFactory()
    now = int(time.time())
    claims = {"token_type": "access", "user_id": str(user.pk), "jti": "x", "iss": "solibook"}
    forged = [
        jwt.encode({**claims, "aud": "solibook-api", "exp": now + 60}, key=None, algorithm="none"),
        jwt.encode(
            {**claims, "aud": "another-app", "exp": now + 60},
            settings.SECRET_KEY,
            algorithm="HS256",
        ),
        jwt.encode(
            {**claims, "aud": "solibook-api", "exp": now - 60},
            settings.SECRET_KEY,
            algorithm="HS256",
        ),
    ]
    for token in forged:
        response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 401, token
        assert response.json()["error"]["code"] in {"token_not_valid", "authentication_failed"}


def test_wrong_password_gets_401_in_the_error_shape(api_client):
    user = UserFactory()
    response = api_client.post("/api/v1/auth/token/", {"email": user.email, "password": "wrong"})
    assert response.status_code == 401
    assert response.json()["error"]["message"]


def test_profile_patch_validates(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)
    assert (
        api_client.patch("/api/v1/me/", {"time_zone": "Asia/Riyadh"}).json()["time_zone"]
        == "Asia/Riyadh"
    )
    bad = api_client.patch("/api/v1/me/", {"time_zone": "Nowhere/Land", "phone": "123"})
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"time_zone", "phone"}
    user.refresh_from_db()
    assert user.time_zone == "Asia/Riyadh"


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/businesses/{business_id}/locations/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()
