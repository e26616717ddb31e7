"""The HTTP channels against a local server: Twilio-shaped SMS, the WhatsApp
Cloud API, web push (VAPID JWT checked, payload decrypted); and their bad
answers: 500, 4xx, timeouts, expired push subscriptions."""

import base64
import json
import os
import time
import urllib.parse
from datetime import timedelta

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django_scopes import scopes_disabled

from solibook.notifications.consumer import consume_outbox
from solibook.notifications.dispatcher import dispatch_due
from solibook.notifications.models import Kind, Notification, NotificationStatus, PushSubscription
from solibook.notifications.providers import (
    OutgoingMessage,
    PermanentFailure,
    TwilioSmsProvider,
    WhatsAppCloudProvider,
)
from solibook.notifications.push import WebPushProvider, application_server_key
from solibook.notifications.services import push_subscribe
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db


def b64d(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64e(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).decode().rstrip("=")


def rows(**filters):
    with scopes_disabled():
        return list(Notification.objects.filter(**filters).order_by("due_at", "id"))


SMS = OutgoingMessage(
    channel="sms", to="+33 6 12 34 56 78", subject="", text="Bonjour", language="fr"
)


# --- Twilio-shaped SMS ---------------------------------------------------------------
def test_twilio_posts_the_form_with_basic_auth_and_returns_the_sid(http_api):
    http_api.answer(201, {"sid": "SM123", "status": "queued"})
    provider = TwilioSmsProvider(
        base_url=http_api.url,
        account_sid="AC42",
        auth_token="secret",
        sender="+33700000000",
        timeout=2,
    )
    assert provider.send(SMS) == "SM123"
    [request] = http_api.requests
    assert request.path == "/2010-04-01/Accounts/AC42/Messages.json"
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"AC42:secret").decode()
    assert urllib.parse.parse_qs(request.body.decode()) == {
        "To": ["+33612345678"],
        "From": ["+33700000000"],
        "Body": ["Bonjour"],
    }


def test_twilio_errors_are_permanent_or_retried(http_api):
    provider = TwilioSmsProvider(
        base_url=http_api.url, account_sid="AC42", auth_token="secret", sender="MG99", timeout=0.5
    )
    http_api.answer(400, {"code": 21211, "message": "Invalid 'To' Phone Number"})
    with pytest.raises(PermanentFailure, match="21211"):
        provider.send(SMS)
    http_api.answer(500, {"message": "down"})
    with pytest.raises(RuntimeError, match="HTTP 500"):
        provider.send(SMS)
    http_api.answer(429, {"message": "slow down"})
    with pytest.raises(RuntimeError, match="HTTP 429"):
        provider.send(SMS)
    http_api.answer(201, {"sid": "SM1"}, delay=1.5)  # answers after our timeout
    with pytest.raises(TimeoutError):
        provider.send(SMS)
    assert urllib.parse.parse_qs(http_api.requests[0].body.decode())["MessagingServiceSid"] == [
        "MG99"
    ]
    with pytest.raises(PermanentFailure, match="invalid phone number"):
        provider.send(OutgoingMessage(channel="sms", to="12", subject="", text="x"))
    with pytest.raises(PermanentFailure, match="must be set"):
        TwilioSmsProvider(base_url=http_api.url, account_sid="", auth_token="", sender="").send(SMS)


def test_sms_timeout_then_500_then_success_end_to_end(salon, smtp, settings, http_api):
    """The provider times out, then answers 500: retried with backoff, the
    worker goes on with other messages, and the message is sent once in the end."""
    settings.NOTIFICATIONS_CHANNELS = ["sms", "email"]
    settings.NOTIFICATIONS_PROVIDERS = {
        **settings.NOTIFICATIONS_PROVIDERS,
        "sms": "solibook.notifications.providers.TwilioSmsProvider",
    }
    settings.NOTIFICATIONS_TWILIO_BASE_URL = http_api.url
    (
        settings.NOTIFICATIONS_TWILIO_ACCOUNT_SID,
        settings.NOTIFICATIONS_TWILIO_AUTH_TOKEN,
        settings.NOTIFICATIONS_TWILIO_FROM,
    ) = "AC1", "tok", "+33700000000"
    settings.NOTIFICATIONS_HTTP_TIMEOUT = 0.5
    book(salon, paris(10), account=UserFactory(phone="+33612345678", email="both@example.test"))
    consume_outbox(now=NOW)

    http_api.answer(201, {"sid": "late"}, delay=1.5)
    first = dispatch_due(now=NOW)
    assert (first.sent, first.retrying) == (1, 1)  # the e-mail went; the SMS timed out
    assert len(smtp.to("both@example.test")) == 1
    [sms] = rows(kind=Kind.CONFIRMATION, channel="sms")
    assert (
        sms.status == NotificationStatus.FAILED
        and sms.next_attempt_at
        and "timed out" in sms.last_error.lower()
    )

    http_api.answer(500, {"message": "down"})
    assert dispatch_due(now=NOW + timedelta(hours=1)).retrying == 1
    http_api.answer(201, {"sid": "SM-ok"})
    assert dispatch_due(now=NOW + timedelta(hours=2)).sent == 1
    [sms] = rows(kind=Kind.CONFIRMATION, channel="sms")
    assert (
        sms.status == NotificationStatus.SENT
        and sms.provider_message_id == "SM-ok"
        and sms.attempts == 3
    )
    assert dispatch_due(now=NOW + timedelta(hours=3)).claimed == 0


# --- WhatsApp Cloud API --------------------------------------------------------------
def test_whatsapp_cloud_api(http_api):
    http_api.answer(
        200,
        {
            "messaging_product": "whatsapp",
            "contacts": [{"wa_id": "33612345678"}],
            "messages": [{"id": "wamid.HBg"}],
        },
    )
    provider = WhatsAppCloudProvider(
        base_url=http_api.url + "/v20.0",
        phone_number_id="1055",
        token="EAAG",
        template="",
        timeout=2,
    )
    message = OutgoingMessage(
        channel="whatsapp",
        to="+33612345678",
        subject="",
        text="Votre rendez-vous",
        language="fr",
        link="https://x.test/",
    )
    assert provider.send(message) == "wamid.HBg"
    [request] = http_api.requests
    assert request.path == "/v20.0/1055/messages"
    assert request.headers["authorization"] == "Bearer EAAG"
    assert request.json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "33612345678",
        "type": "text",
        "text": {"preview_url": True, "body": "Votre rendez-vous"},
    }
    templated = WhatsAppCloudProvider(
        base_url=http_api.url,
        phone_number_id="1055",
        token="EAAG",
        template="visit_update",
        timeout=2,
    )
    templated.send(message)
    body = http_api.requests[-1].json()
    assert (
        body["type"] == "template"
        and body["template"]["name"] == "visit_update"
        and body["template"]["language"] == {"code": "fr"}
    )
    assert body["template"]["components"][0]["parameters"] == [
        {"type": "text", "text": "Votre rendez-vous"}
    ]

    http_api.answer(
        400,
        {
            "error": {
                "message": "(#131030) Recipient phone number not in allowed list",
                "code": 131030,
            }
        },
    )
    with pytest.raises(PermanentFailure, match="131030"):
        provider.send(message)
    http_api.answer(503, {"error": {"message": "Service temporarily unavailable"}})
    with pytest.raises(RuntimeError, match="503"):
        provider.send(message)
    http_api.answer(200, {"messages": []})
    with pytest.raises(RuntimeError, match="no message id"):
        provider.send(message)


# --- web push ---------------------------------------------------------------------
class Device:
    """A browser's push subscription keys (what PushManager.subscribe makes)."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.p256dh = b64e(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )
        self.auth_secret = os.urandom(16)
        self.auth = b64e(self.auth_secret)

    def decrypt(self, body: bytes) -> dict:
        return json.loads(
            http_ece.decrypt(
                body,
                private_key=self.private_key,
                auth_secret=self.auth_secret,
                version="aes128gcm",
            )
        )


def verify_vapid(authorization: str, audience: str) -> dict:
    """RFC 8292: `vapid t=<JWT ES256>, k=<public key>`; checks the signature and claims."""
    scheme, _space, params = authorization.partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    public_raw = b64d(fields["k"])
    assert b64e(public_raw) == application_server_key()
    header_b64, payload_b64, signature_b64 = fields["t"].split(".")
    assert json.loads(b64d(header_b64)) == {"typ": "JWT", "alg": "ES256"}
    signature = b64d(signature_b64)
    assert len(signature) == 64
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public_raw)
    public_key.verify(
        der, f"{header_b64}.{payload_b64}".encode(), ec.ECDSA(hashes.SHA256())
    )  # raises if forged
    claims = json.loads(b64d(payload_b64))
    assert claims["aud"] == audience and claims["sub"] == "mailto:ops@solibook.test"
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    return claims


def test_web_push_is_encrypted_and_signed_with_vapid(http_api):
    user = UserFactory()
    device = Device()
    subscription = push_subscribe(
        user=user, endpoint=f"{http_api.url}/push/abc", p256dh=device.p256dh, auth=device.auth
    )
    http_api.answer(201, {})
    provider = WebPushProvider(timeout=2)
    provider.open()
    try:
        message_id = provider.send(
            OutgoingMessage(
                channel="push",
                to=str(user.pk),
                subject="Rappel",
                text="Demain 10:00",
                language="fr",
                link="https://x.test/fr/",
                from_name="Salon",
            )
        )
    finally:
        provider.close()
    [request] = http_api.requests
    assert request.path == "/push/abc" and message_id.endswith("/messages/1")
    assert request.headers["content-encoding"] == "aes128gcm"
    assert int(request.headers["ttl"]) == 24 * 3600
    verify_vapid(request.headers["authorization"], audience=http_api.url)
    assert device.decrypt(request.body) == {
        "title": "Rappel",
        "body": "Demain 10:00",
        "url": "https://x.test/fr/",
        "lang": "fr",
        "tag": "Salon",
    }
    subscription.refresh_from_db()
    assert subscription.last_success_at is not None
    # Another device's keys cannot read it.
    with pytest.raises(Exception):  # noqa: B017 - any decryption failure
        Device().decrypt(request.body)


def test_web_push_gone_subscription_is_deleted_and_errors_classified(http_api):
    user = UserFactory()
    device = Device()
    message = OutgoingMessage(channel="push", to=str(user.pk), subject="s", text="t")
    provider = WebPushProvider(timeout=0.5)
    with pytest.raises(PermanentFailure, match="no push subscription"):
        provider.send(message)
    push_subscribe(
        user=user, endpoint=f"{http_api.url}/push/1", p256dh=device.p256dh, auth=device.auth
    )
    http_api.answer(500, {})
    with pytest.raises(RuntimeError, match="HTTP 500"):
        provider.send(message)
    http_api.answer(201, {}, delay=1.5)
    with pytest.raises(RuntimeError, match="Timeout"):
        provider.send(message)
    http_api.answer(410, {})
    with pytest.raises(PermanentFailure, match="expired"):
        provider.send(message)
    assert not PushSubscription.objects.filter(user=user).exists()


def test_push_through_the_dispatcher_only_to_subscribed_clients(salon, smtp, settings, http_api):
    settings.NOTIFICATIONS_CHANNELS = ["email", "push"]
    with_app, without_app = (
        UserFactory(email="app@example.test", language="fr"),
        UserFactory(email="noapp@example.test"),
    )
    device = Device()
    push_subscribe(
        user=with_app, endpoint=f"{http_api.url}/push/dev1", p256dh=device.p256dh, auth=device.auth
    )
    book(salon, paris(10), account=with_app)
    book(salon, paris(12), account=without_app)
    consume_outbox(now=NOW)
    assert {(n.recipient_id, n.channel) for n in rows(kind=Kind.CONFIRMATION)} == {
        (with_app.pk, "email"),
        (with_app.pk, "push"),
        (without_app.pk, "email"),
    }
    http_api.answer(201, {})
    assert dispatch_due(now=NOW).sent == 3
    [request] = http_api.requests
    shown = device.decrypt(request.body)
    assert (
        shown["lang"] == "fr"
        and salon.business.name in shown["body"]
        and shown["url"].endswith(f"/fr/salons/{salon.business.slug}/")
    )
    [row] = rows(kind=Kind.CONFIRMATION, channel="push")
    assert row.status == NotificationStatus.SENT and row.provider_message_id.startswith(
        http_api.url
    )


def test_push_subscription_api_and_validation(api_client, http_api):
    user = UserFactory()
    api_client.force_authenticate(user)
    device = Device()
    url = "/api/v1/me/push-subscriptions/"
    good = {"endpoint": f"{http_api.url}/push/z", "p256dh": device.p256dh, "auth": device.auth}
    assert api_client.post(url, good, format="json").status_code == 201
    assert (
        api_client.post(url, good, format="json").status_code == 201
    )  # the same device again: updated, not doubled
    assert PushSubscription.objects.filter(user=user).count() == 1
    bad_key = api_client.post(url, {**good, "p256dh": "abc"}, format="json")
    assert bad_key.status_code == 400 and "p256dh" in bad_key.json()["error"]["fields"]
    bad_url = api_client.post(url, {**good, "endpoint": "http://push.example.com/x"}, format="json")
    assert bad_url.status_code == 400 and "endpoint" in bad_url.json()["error"]["fields"]
    assert (
        api_client.delete(url + "?endpoint=" + urllib.parse.quote(good["endpoint"])).status_code
        == 204
    )
    assert not PushSubscription.objects.filter(user=user).exists()
    key = api_client.get("/api/v1/push/key/").json()["public_key"]
    assert key == application_server_key() and len(b64d(key)) == 65
    api_client.force_authenticate(None)
    assert api_client.post(url, good, format="json").status_code in (401, 403)


def test_service_worker_and_manifest_are_served_from_the_root(client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("application/javascript")
    assert worker["Service-Worker-Allowed"] == "/"
    assert b'addEventListener("push"' in worker.content and b"showNotification" in worker.content
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert (
        data["scope"] == "/"
        and data["display"] == "standalone"
        and {i["sizes"] for i in data["icons"]} == {"192x192", "512x512"}
    )
    page = client.get("/en/")
    assert b'rel="manifest"' in page.content
