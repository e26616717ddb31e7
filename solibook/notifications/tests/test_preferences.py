"""Channel choices: the salon's client card consents (clients app), the
client's own choice (global or per salon), from the page and the API; a
consent withdrawn after a reminder was planned stops it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from solibook.clients.models import Client, ClientConsent
from solibook.clients.services import client_consent_record
from solibook.core.tenancy import business_scope
from solibook.notifications.consumer import consume_outbox
from solibook.notifications.dispatcher import dispatch_due
from solibook.notifications.models import ChannelPreference, Kind, Notification, NotificationStatus
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def channels(settings, tmp_path):
    settings.NOTIFICATIONS_CHANNELS = ["email", "sms", "whatsapp"]
    settings.NOTIFICATIONS_PROVIDERS = {
        **settings.NOTIFICATIONS_PROVIDERS,
        "sms": "solibook.notifications.providers.FileSmsProvider",
        "whatsapp": "solibook.notifications.providers.FileSmsProvider",
    }
    settings.NOTIFICATIONS_SMS_FILE_PATH = str(tmp_path / "sms.jsonl")


def rows(**filters):
    with scopes_disabled():
        return list(Notification.objects.filter(**filters).order_by("due_at", "id"))


def card_of(salon, user) -> Client:
    with business_scope(salon.business):
        return Client.objects.get(user=user)


def test_the_client_card_consents_choose_the_channels(salon, smtp, channels):
    client = UserFactory(email="card@example.test", phone="+33612345678")
    # First visit: the booking makes the card; WhatsApp needs an opt-in, so e-mail and SMS only.
    book(salon, paris(9), account=client)
    consume_outbox(now=NOW)
    assert sorted(n.channel for n in rows(kind=Kind.CONFIRMATION)) == ["email", "sms"]

    card = card_of(salon, client)
    with business_scope(salon.business):
        client_consent_record(
            business=salon.business, client=card, kind="sms", granted=False, source="test"
        )
        client_consent_record(
            business=salon.business, client=card, kind="whatsapp", granted=True, source="test"
        )
    book(salon, paris(14), account=client)
    consume_outbox(now=NOW)
    second = [n for n in rows(kind=Kind.CONFIRMATION) if n.appointment.starts_at == paris(14)]
    assert sorted(n.channel for n in second) == ["email", "whatsapp"]


def test_a_consent_withdrawn_after_planning_stops_the_reminder(salon, smtp, channels):
    client = UserFactory(email="late@example.test", phone="+33612345678")
    appointment = book(salon, paris(10), account=client)
    consume_outbox(now=NOW)
    assert {n.channel for n in rows(kind=Kind.REMINDER)} == {"email", "sms"}
    dispatch_due(now=NOW)
    with business_scope(salon.business):
        client_consent_record(
            business=salon.business,
            client=card_of(salon, client),
            kind="sms",
            granted=False,
            source="client",
        )
    result = dispatch_due(now=appointment.starts_at - timedelta(hours=24))
    assert (result.sent, result.cancelled) == (1, 1)
    [sms] = rows(
        kind=Kind.REMINDER, channel="sms", due_at=appointment.starts_at - timedelta(hours=24)
    )
    assert (
        sms.status == NotificationStatus.CANCELLED
        and sms.last_error == "the client turned this channel off"
    )


def test_own_choice_for_every_salon_applies_without_a_card(salon, smtp, channels):
    from solibook.notifications.services import channel_preferences_set

    # A booking by name and phone only: the card is found by phone, no user.
    client = UserFactory(email="own@example.test", phone="+33612345678")
    channel_preferences_set(user=client, channels=["sms"])
    with scopes_disabled():
        assert ChannelPreference.objects.get(user=client, business=None).channels == ["sms"]
    book(salon, paris(10), account=client)
    consume_outbox(now=NOW)
    assert [n.channel for n in rows(kind=Kind.CONFIRMATION)] == ["sms"]


def test_preferences_page_records_consents_on_the_card(salon, smtp, channels, client):
    user = UserFactory(email="page@example.test", phone="+33612345678")
    book(salon, paris(10), account=user)  # makes the card
    client.force_login(user)
    url = reverse("notifications:preferences")
    page = client.get(url)
    assert page.status_code == 200 and salon.business.name.encode() in page.content
    assert (
        b'data-vapid-key="' in page.content
        and b"js/notifications/push.js" in page.content
        and b"<script>" not in page.content
    )

    assert (
        client.post(
            url, {"business": salon.business.pk, "channels": ["email", "whatsapp"]}
        ).status_code
        == 302
    )
    card = card_of(salon, user)
    with business_scope(salon.business):
        decisions = {(c.kind, c.granted) for c in ClientConsent.objects.filter(client=card)}
    assert decisions == {
        ("sms", False),
        ("push", False),
        ("whatsapp", True),
    }  # e-mail was already allowed: no row
    with scopes_disabled():
        assert ChannelPreference.objects.get(user=user, business=salon.business).channels == [
            "email",
            "whatsapp",
        ]

    assert client.post(url, {"channels": ["email"]}).status_code == 302  # every salon
    with scopes_disabled():
        assert ChannelPreference.objects.get(user=user, business=None).channels == ["email"]
    assert client.post(url, {"channels": ["fax"]}).status_code == 200  # refused, shown
    assert client.post(url, {"business": 2**40, "channels": ["email"]}).status_code == 200


def test_preferences_api(salon, smtp, channels, api_client):
    user = UserFactory(email="api@example.test", phone="+33612345678")
    book(salon, paris(10), account=user)
    other_salon_user = UserFactory()
    api_client.force_authenticate(user)
    url = "/api/v1/me/notification-preferences/"
    state = api_client.get(url).json()
    assert state["all"] is None
    assert state["salons"] == [
        {
            "business_id": salon.business.pk,
            "business_name": salon.business.name,
            "channels": ["email", "sms", "push"],
            "on_card": True,
        }
    ]
    changed = api_client.put(
        url, {"business_id": salon.business.pk, "channels": ["whatsapp"]}, format="json"
    ).json()
    assert changed["salons"][0]["channels"] == ["whatsapp"]
    assert api_client.put(url, {"channels": ["email", "sms"]}, format="json").json()["all"] == [
        "email",
        "sms",
    ]
    assert api_client.put(url, {"channels": ["pigeon"]}, format="json").status_code == 400
    assert (
        api_client.put(url, {"business_id": 2**40, "channels": []}, format="json").status_code
        == 404
    )
    # Another user sees nothing of it.
    api_client.force_authenticate(other_salon_user)
    assert api_client.get(url).json() == {"all": None, "salons": []}
    # The next booking follows the choice for this salon (WhatsApp), not the one for every salon.
    book(salon, paris(14), account=user)
    consume_outbox(now=NOW)
    assert [
        n.channel for n in rows(kind=Kind.CONFIRMATION) if n.appointment.starts_at == paris(14)
    ] == ["whatsapp"]
