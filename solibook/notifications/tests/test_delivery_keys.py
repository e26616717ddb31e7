"""Under a crash a message may be sent again: every attempt at it carries the
same key (e-mail Message-ID, gateway Idempotency-Key, web push Topic and tag),
and a worker that lost its claim to another one sends and records nothing."""

from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.notifications.consumer import consume_outbox
from solibook.notifications.dispatcher import _record, claim, dispatch_due, release_stuck, renew
from solibook.notifications.models import Kind, Notification, NotificationStatus
from solibook.notifications.providers import OutgoingMessage, WebhookProvider
from solibook.notifications.push import WebPushProvider, topic
from solibook.notifications.services import push_subscribe
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db


def confirmation(email: str) -> Notification:
    with scopes_disabled():
        return Notification.objects.get(kind=Kind.CONFIRMATION, email=email)


def test_a_retried_email_carries_the_same_message_id(salon, smtp, settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    book(salon, paris(10), account=UserFactory(email="again@example.test"))
    consume_outbox(now=NOW)
    smtp.refuse.add("again@example.test")
    assert dispatch_due(now=NOW).retrying == 1
    smtp.refuse.clear()
    assert dispatch_due(now=NOW + timedelta(minutes=2)).sent == 1
    [mail] = smtp.to("again@example.test")
    row = confirmation("again@example.test")
    key = row.delivery_key
    assert mail["Message-ID"] == f"<{key}@{settings.NOTIFICATIONS_CALENDAR_DOMAIN}>"
    assert row.provider_message_id == mail["Message-ID"] and row.claimed_by == ""
    # Unique per message: another booking's confirmation has another key.
    book(salon, paris(12), account=UserFactory(email="other@example.test"))
    consume_outbox(now=NOW)
    assert confirmation("other@example.test").delivery_key != key


def test_the_sms_gateway_gets_the_same_idempotency_key_on_every_attempt(http_api):
    provider = WebhookProvider(url=f"{http_api.url}/sms", token="t")
    message = OutgoingMessage(
        channel="sms", to="+33612345678", subject="", text="Hi", key="solibook-notification-7-1"
    )
    http_api.answer(500, {"message": "down"})
    with pytest.raises(RuntimeError):
        provider.send(message)
    http_api.answer(200, {"id": "m1"})
    assert provider.send(message) == "m1"
    keys = [(r.headers["idempotency-key"], r.json()["idempotency_key"]) for r in http_api.requests]
    assert keys == [("solibook-notification-7-1", "solibook-notification-7-1")] * 2


def test_web_push_carries_a_topic_and_a_tag_per_message(http_api):
    user = UserFactory()
    push_subscribe(user=user, endpoint=f"{http_api.url}/push/abc", p256dh=_P256DH, auth=_AUTH)
    http_api.answer(201, {})
    provider = WebPushProvider(timeout=2)
    provider.open()
    try:
        for _ in range(2):
            provider.send(
                OutgoingMessage(channel="push", to=str(user.pk), subject="s", text="t", key="k-1")
            )
    finally:
        provider.close()
    assert [r.headers["topic"] for r in http_api.requests] == [topic("k-1")] * 2
    assert len(topic("k-1")) <= 32 and topic("k-1") != topic("k-2")


def test_a_worker_that_lost_its_lease_sends_and_records_nothing(salon, smtp, settings):
    """A worker stalls past its lease; another takes the message over. The first
    one, back, finds the claim gone: it neither renews nor records it."""
    settings.NOTIFICATIONS_CLAIM_LEASE_SECONDS = 20
    book(salon, paris(10), account=UserFactory(email="slow@example.test"))
    consume_outbox(now=NOW)
    with scopes_disabled():
        [mine], _ = claim(NOW, 10, "slow-worker")
        assert release_stuck(NOW + timedelta(seconds=10)) == 0  # within the lease
        assert renew([mine.pk], "slow-worker", NOW + timedelta(seconds=15)) == {mine.pk}
        assert release_stuck(NOW + timedelta(seconds=30)) == 0  # renewed at 15 s
        assert release_stuck(NOW + timedelta(seconds=36)) == 1  # the worker stalled
        assert dispatch_due(now=NOW + timedelta(seconds=36)).sent == 1  # another one sends
        assert renew([mine.pk], "slow-worker", NOW + timedelta(seconds=40)) == set()
        _record(mine, status=NotificationStatus.FAILED, last_error="late")
    row = confirmation("slow@example.test")
    assert row.status == NotificationStatus.SENT and row.attempts == 1
    assert len(smtp.to("slow@example.test")) == 1


# A device's public keys (RFC 8291 test vector), enough to encrypt for it.
_P256DH = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
_AUTH = "BTBZMqHH6r4Tts7J_aSIgg"
