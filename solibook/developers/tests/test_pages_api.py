"""The developer page and the webhooks API: one write path, errors shown."""

import re

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from standardwebhooks.webhooks import Webhook

from solibook.accounts.roles import Role
from solibook.developers import delivery
from solibook.developers.models import ApiKey, WebhookDelivery, WebhookEndpoint
from solibook.testing.booking import book
from solibook.testing.clients import pages_as

pytestmark = pytest.mark.django_db


def page(salon, lang="en") -> str:
    return f"/{lang}/office/{salon.business.slug}/developers/"


def test_the_page_is_for_owners_and_managers(salon):
    assert pages_as(salon.business, Role.RECEPTIONIST).get(page(salon)).status_code == 403
    assert pages_as(salon.business, Role.MANAGER).get(page(salon)).status_code == 200
    assert Client().get(page(salon)).status_code == 302


@pytest.mark.parametrize("lang", ["en", "fr", "ru", "ar"])
def test_the_page_shows_examples_in_each_language(salon, owner_pages, lang):
    html = owner_pages.get(page(salon, lang)).content.decode()
    assert "/api/docs/" in html and "Api-Key sbk_" in html
    assert "standardwebhooks" in html and "createHmac" in html
    if lang == "fr":
        assert "Clés d’API" in html


def test_a_key_made_in_the_page_is_shown_once(salon, owner_pages):
    response = owner_pages.post(
        f"{page(salon)}keys/new/",
        {"name": "Till", "scopes": ["catalog:read", "bookings:write"], "rate_per_minute": 60},
    )
    assert response.status_code == 200
    raw = re.search(r'value="(sbk_[^"]+)"', response.content.decode()).group(1)
    with scopes_disabled():
        key = ApiKey.objects.get()
    assert key.scopes == ["bookings:write", "catalog:read"] and key.prefix == raw[:12]
    assert raw not in owner_pages.get(page(salon)).content.decode()


def test_an_internal_address_is_refused_in_the_page(salon, owner_pages, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    response = owner_pages.post(
        f"/fr{page(salon)[3:]}webhooks/new/",
        {"url": "http://169.254.169.254/latest/", "events": ["booking.created"]},
    )
    assert response.status_code == 400
    assert "réseau privé ou local" in response.content.decode()
    with scopes_disabled():
        assert not WebhookEndpoint.objects.exists()


def test_webhook_made_in_the_page_delivers_and_replays(salon, owner_pages, partner):
    response = owner_pages.post(
        f"{page(salon)}webhooks/new/", {"url": partner.url, "events": ["booking.created"]}
    )
    assert response.status_code == 200
    secret = re.search(r'value="(whsec_[^"]+)"', response.content.decode()).group(1)
    book(salon)
    delivery.pump()
    with scopes_disabled():
        endpoint = WebhookEndpoint.objects.get()
        row = WebhookDelivery.objects.get()
    detail = f"{page(salon)}webhooks/{endpoint.pk}/"
    html = owner_pages.get(detail).content.decode()
    assert row.message_id in html and "Delivered" in html
    owner_pages.post(f"{detail}deliveries/{row.pk}/replay/")
    delivery.pump()
    assert len(partner.received) == 2
    for got in partner.received:
        Webhook(secret).verify(got.body, got.headers)


def test_webhooks_api(salon, owner_api, partner):
    base = f"/api/v1/businesses/{salon.business.pk}/developers/webhooks/"
    made = owner_api.post(base, {"url": partner.url, "events": ["booking.created"]})
    assert made.status_code == 201 and made.json()["secret"].startswith("whsec_")
    hook = made.json()
    assert "secret" not in owner_api.get(f"{base}{hook['id']}/").json()
    bad = owner_api.patch(f"{base}{hook['id']}/", {"events": ["booking.exploded"]})
    assert bad.status_code == 400 and "events.0" in bad.json()["error"]["fields"]
    changed = owner_api.patch(f"{base}{hook['id']}/", {"events": ["booking.cancelled"]})
    assert changed.json()["events"] == ["booking.cancelled"]
    assert owner_api.post(f"{base}{hook['id']}/test/").status_code == 202
    delivery.pump()
    log = owner_api.get(f"{base}{hook['id']}/deliveries/").json()["results"]
    assert [d["event_type"] for d in log] == ["webhook.test"]
    assert log[0]["state"] == "succeeded" and len(log[0]["tries"]) == 1
    replay = owner_api.post(f"{base}{hook['id']}/deliveries/{log[0]['id']}/replay/")
    assert replay.status_code == 202 and replay.json()["state"] == "pending"
    assert owner_api.delete(f"{base}{hook['id']}/").status_code == 204
    assert owner_api.get(f"{base}{hook['id']}/").status_code == 404
