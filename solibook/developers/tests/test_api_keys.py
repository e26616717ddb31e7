"""API keys: shown once, scoped, their business only, revoked, rotated, rate-limited."""

import pytest
from django.core.cache import cache
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from solibook.accounts.roles import Role
from solibook.developers.models import ApiKey
from solibook.testing.booking import book
from solibook.testing.clients import api_as
from solibook.testing.factories import BusinessFactory

pytestmark = pytest.mark.django_db


def keys_url(business) -> str:
    return f"/api/v1/businesses/{business.pk}/developers/keys/"


def create_key(owner_api, business, scopes, rate=120) -> dict:
    response = owner_api.post(
        keys_url(business), {"name": "Partner", "scopes": scopes, "rate_per_minute": rate}
    )
    assert response.status_code == 201, response.json()
    return response.json()


def with_key(raw: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return api


def test_a_key_is_shown_once_and_stored_hashed(salon, owner_api):
    made = create_key(owner_api, salon.business, ["catalog:read"])
    assert made["key"].startswith("sbk_") and made["prefix"] == made["key"][:12]
    listed = owner_api.get(keys_url(salon.business)).json()["results"]
    assert [k["id"] for k in listed] == [made["id"]]
    assert "key" not in listed[0]
    with scopes_disabled():
        stored = ApiKey.objects.get(pk=made["id"])
    assert made["key"] not in (stored.key_hash, stored.prefix)


def test_only_owners_and_managers_manage_keys(salon):
    desk = api_as(salon.business, Role.RECEPTIONIST)
    response = desk.post(keys_url(salon.business), {"name": "x", "scopes": ["catalog:read"]})
    assert response.status_code == 403
    manager = api_as(salon.business, Role.MANAGER)
    assert manager.get(keys_url(salon.business)).status_code == 200


def test_bad_input_is_refused_clearly(salon, owner_api):
    response = owner_api.post(keys_url(salon.business), {"name": "x", "scopes": ["root"]})
    assert response.status_code == 400
    assert any(f.startswith("scopes") for f in response.json()["error"]["fields"])
    response = owner_api.post(keys_url(salon.business), {"name": "x", "scopes": []})
    assert response.status_code == 400


def test_scopes_decide_the_routes(salon, owner_api):
    key = with_key(create_key(owner_api, salon.business, ["catalog:read"])["key"])
    base = f"/api/v1/businesses/{salon.business.pk}"
    assert key.get(f"{base}/services/").status_code == 200
    refused = key.get(f"{base}/appointments/")
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == "scope_missing" and "bookings:read" in error["message"]
    # Reading the catalogue does not write it.
    write = key.post(f"{base}/services/", {"name": "Hack"})
    assert write.status_code == 403 and "catalog:write" in write.json()["error"]["message"]
    # Nor manage keys, nor reach a person's own routes.
    assert key.get(keys_url(salon.business)).status_code == 403
    assert key.get("/api/v1/me/").status_code == 403


def test_a_read_scope_cannot_write(salon, owner_api):
    book(salon)
    key = with_key(create_key(owner_api, salon.business, ["bookings:read"])["key"])
    base = f"/api/v1/businesses/{salon.business.pk}/appointments/"
    listed = key.get(base)
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert key.post(base, {}).status_code == 403
    writer = with_key(create_key(owner_api, salon.business, ["bookings:write"])["key"])
    assert writer.post(base, {}).status_code == 400  # through the door, then bad input


def test_a_key_reaches_its_own_business_only(salon, owner_api):
    other = BusinessFactory()
    key = with_key(create_key(owner_api, salon.business, ["catalog:read"])["key"])
    assert key.get(f"/api/v1/businesses/{other.pk}/services/").status_code == 404


def test_revoked_and_rotated_keys_stop_working(salon, owner_api):
    made = create_key(owner_api, salon.business, ["catalog:read"])
    url = f"/api/v1/businesses/{salon.business.pk}/services/"
    rotated = owner_api.post(f"{keys_url(salon.business)}{made['id']}/rotate/").json()
    assert with_key(made["key"]).get(url).status_code == 401
    assert with_key(rotated["key"]).get(url).status_code == 200
    with scopes_disabled():
        assert ApiKey.objects.get(pk=made["id"]).last_used_at is not None
    owner_api.post(f"{keys_url(salon.business)}{made['id']}/revoke/")
    refused = with_key(rotated["key"]).get(url)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "authentication_failed"
    assert with_key("sbk_made-up").get(url).status_code == 401


def test_each_key_has_its_own_rate_limit(salon, owner_api):
    cache.clear()
    slow = with_key(create_key(owner_api, salon.business, ["catalog:read"], rate=2)["key"])
    other = with_key(create_key(owner_api, salon.business, ["catalog:read"], rate=50)["key"])
    url = f"/api/v1/businesses/{salon.business.pk}/services/"
    assert [slow.get(url).status_code for _ in range(2)] == [200, 200]
    limited = slow.get(url)
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "throttled" and limited["Retry-After"]
    assert other.get(url).status_code == 200


def test_another_salon_cannot_touch_our_keys_or_webhooks(salon, owner_api, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    made = create_key(owner_api, salon.business, ["catalog:read"])
    hook = owner_api.post(
        f"/api/v1/businesses/{salon.business.pk}/developers/webhooks/",
        {"url": "http://127.0.0.1:9/hook", "events": ["booking.created"]},
    ).json()
    other = BusinessFactory()
    stranger = api_as(other)
    # Their own routes with our ids.
    mine = f"/api/v1/businesses/{other.pk}/developers"
    assert stranger.post(f"{mine}/keys/{made['id']}/revoke/").status_code == 404
    assert stranger.get(f"{mine}/webhooks/{hook['id']}/").status_code == 404
    assert stranger.get(f"{mine}/webhooks/{hook['id']}/deliveries/").status_code == 404
    assert stranger.get(f"{mine}/keys/").json()["count"] == 0
    # Our routes.
    ours = f"/api/v1/businesses/{salon.business.pk}/developers"
    assert stranger.get(f"{ours}/keys/").status_code == 404
    with scopes_disabled():
        assert ApiKey.objects.get(pk=made["id"]).revoked_at is None
