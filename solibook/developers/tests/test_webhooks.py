"""Webhooks: signed per Standard Webhooks, from the outbox only, retried with
backoff, paused after failing for long, replayed; redirects, slow and
internal addresses refused."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled
from standardwebhooks.webhooks import Webhook

from solibook.booking.models import Appointment
from solibook.core.errors import ValidationFailed
from solibook.core.models import OutboxEvent
from solibook.core.outbox import outbox_emit
from solibook.core.tenancy import business_scope
from solibook.developers import delivery, services
from solibook.developers.models import (
    DeliveryState,
    FanOutCursor,
    FanOutSeen,
    WebhookDelivery,
    WebhookEndpoint,
)
from solibook.testing.booking import book
from solibook.testing.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_salon(salon):
    """Services run in the salon's scope, as the pages and the API run them."""
    with business_scope(salon.business):
        yield


def subscribe(salon, url, events=("booking.created",)):
    owner = member(salon.business)
    return services.endpoint_create(
        business=salon.business, actor=owner, url=url, events=list(events)
    )


def run(now=None):
    delivery.fan_out(now=now)
    return delivery.deliver_due(now=now)


def the_delivery(endpoint) -> WebhookDelivery:
    with scopes_disabled():
        return WebhookDelivery.objects.get(endpoint=endpoint)


def test_a_booking_reaches_the_subscriber_signed(salon, partner):
    issued = subscribe(salon, partner.url)
    assert issued.secret.startswith("whsec_")
    appointment = book(salon)
    assert partner.received == []  # booking itself sends nothing
    assert run() == 1
    [got] = partner.received
    assert got.path == "/hooks/solibook"
    assert {"webhook-id", "webhook-timestamp", "webhook-signature"} <= set(got.headers)
    assert got.headers["webhook-signature"].startswith("v1,")
    message = Webhook(issued.secret).verify(got.body, got.headers)
    assert message["type"] == "booking.created"
    assert message["data"]["appointment_id"] == appointment.pk
    assert message["data"]["business_id"] == salon.business.pk
    # Another secret does not verify it: the signature is really checked.
    other = subscribe(salon, partner.url).secret
    with pytest.raises(Exception, match="signature"):
        Webhook(other).verify(got.body, got.headers)
    row = the_delivery(issued.obj)
    assert row.state == DeliveryState.SUCCEEDED and row.last_status == 200
    assert got.headers["webhook-id"] == row.message_id


def test_a_rolled_back_booking_sends_nothing(salon, partner):
    subscribe(salon, partner.url)
    with pytest.raises(RuntimeError), transaction.atomic():
        book(salon)
        raise RuntimeError("the booking transaction fails after writing")
    assert run() == 0
    assert partner.received == []
    with scopes_disabled():
        assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_delivery_runs_after_the_booking_committed(salon, partner):
    """The subscriber, asked through its own database connection, already sees
    the booking: the message left after the commit, not inside it."""
    from django.db import connection

    def look(body):
        appointment_id = json.loads(body)["data"]["appointment_id"]
        try:
            with scopes_disabled():
                return Appointment.objects.filter(pk=appointment_id).exists()
        finally:
            connection.close()

    partner.on_request = look
    subscribe(salon, partner.url)
    book(salon)  # commits; its on-commit kick runs a pass (the immediate task backend)
    assert len(partner.received) == 1
    assert partner.seen == [True]


def test_only_chosen_events_and_each_once(salon, partner):
    created = subscribe(salon, partner.url, events=["booking.created"]).obj
    cancelled = subscribe(salon, partner.url, events=["booking.cancelled"]).obj
    book(salon)
    delivery.fan_out()
    delivery.fan_out()  # again: nothing twice
    with scopes_disabled():
        assert WebhookDelivery.objects.filter(endpoint=created).count() == 1
        assert not WebhookDelivery.objects.filter(endpoint=cancelled).exists()


def test_an_event_committed_late_with_a_smaller_id_is_not_skipped(salon, partner):
    endpoint = subscribe(salon, partner.url, events=["client.created"]).obj
    first = outbox_emit(topic="client.created", business=salon.business, payload={"client_id": 1})
    # An event whose transaction commits after a later one: a higher id seen first.
    later = OutboxEvent.objects.create(
        pk=first.pk + 10, topic="client.created", business=salon.business, payload={"client_id": 2}
    )
    OutboxEvent.objects.filter(pk=first.pk).delete()  # not yet visible...
    assert delivery.fan_out() == 1
    OutboxEvent.objects.create(  # ...now it commits, with its smaller id
        pk=first.pk + 5, topic="client.created", business=salon.business, payload={"client_id": 3}
    )
    assert delivery.fan_out() == 1
    with scopes_disabled():
        got = sorted(
            json.loads(d.body)["data"]["client_id"]
            for d in WebhookDelivery.objects.filter(endpoint=endpoint)
        )
    assert got == [2, 3]
    # Once settled, the cursor passes them and forgets the ids it kept.
    delivery.fan_out(now=timezone.now() + timedelta(hours=1))
    assert FanOutCursor.objects.get().after_id >= later.pk
    assert not FanOutSeen.objects.filter(event_id__lte=later.pk).exists()


def test_backoff_grows_exponentially_with_jitter(settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 30
    settings.WEBHOOKS_RETRY_MAX_SECONDS = 3600
    firsts = {delivery.backoff(1).total_seconds() for _ in range(50)}
    assert all(24 <= s <= 36 for s in firsts) and len(firsts) > 1  # jitter
    assert all(96 <= delivery.backoff(3).total_seconds() <= 144 for _ in range(20))
    assert delivery.backoff(20).total_seconds() <= 3600 * 1.2  # capped


def test_a_failing_subscriber_is_retried_then_succeeds(salon, partner, settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 30
    endpoint = subscribe(salon, partner.url).obj
    book(salon)
    partner.status = 500
    before = timezone.now()
    run()
    row = the_delivery(endpoint)
    assert row.state == DeliveryState.PENDING and row.attempts == 1 and row.last_status == 500
    first_wait = (row.next_attempt_at - before).total_seconds()
    assert 23 <= first_wait <= 37
    assert delivery.deliver_due() == 0  # not due yet
    run(now=row.next_attempt_at)
    row = the_delivery(endpoint)
    assert row.attempts == 2
    partner.status = 204
    run(now=row.next_attempt_at)
    row = the_delivery(endpoint)
    assert row.state == DeliveryState.SUCCEEDED and row.attempts == 3
    assert len(partner.received) == 3
    assert len({r.headers["webhook-id"] for r in partner.received}) == 1  # one message
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_gives_up_after_the_last_attempt(salon, partner, settings):
    settings.WEBHOOKS_MAX_ATTEMPTS = 2
    endpoint = subscribe(salon, partner.url).obj
    book(salon)
    partner.status = 503
    run()
    run(now=the_delivery(endpoint).next_attempt_at)
    row = the_delivery(endpoint)
    assert row.state == DeliveryState.FAILED and row.next_attempt_at is None


def test_a_subscriber_failing_for_a_day_is_paused_and_its_owner_told(
    salon, partner, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_PAUSE_AFTER_FAILURES = 3
    settings.WEBHOOKS_PAUSE_AFTER_HOURS = 24
    endpoint = subscribe(salon, partner.url).obj
    owner = member(salon.business, email="owner-paused@example.com")
    book(salon)
    partner.status = 500
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        run()
        for _ in range(3):  # many failures, but within minutes: not paused yet
            run(now=the_delivery(endpoint).next_attempt_at)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 4 and endpoint.paused_at is None
    with scopes_disabled():
        WebhookDelivery.objects.filter(endpoint=endpoint).update(
            next_attempt_at=start + timedelta(days=1, minutes=1)
        )
    with django_capture_on_commit_callbacks(execute=True):
        run(now=start + timedelta(days=1, minutes=1))
    endpoint.refresh_from_db()
    assert endpoint.paused_at is not None and "500" in endpoint.pause_reason
    to_owner = [m for m in mail.outbox if owner.email in m.to]
    assert len(to_owner) == 1
    assert partner.url in to_owner[0].subject
    assert f"/developers/webhooks/{endpoint.pk}/" in to_owner[0].body
    # Paused: nothing more goes out, whatever is due.
    sent = len(partner.received)
    assert run(now=start + timedelta(days=30)) == 0 and len(partner.received) == sent
    # Resumed: the waiting message goes out.
    partner.status = 200
    services.endpoint_resume(business=salon.business, actor=owner, endpoint_id=endpoint.pk)
    run(now=start + timedelta(days=30))
    assert the_delivery(endpoint).state == DeliveryState.SUCCEEDED


def test_replay_sends_the_same_message_with_a_fresh_signature(salon, partner):
    issued = subscribe(salon, partner.url)
    book(salon)
    run()
    row = the_delivery(issued.obj)
    services.delivery_replay(
        business=salon.business, actor=None, endpoint_id=issued.obj.pk, delivery_id=row.pk
    )
    run()
    first, second = partner.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body
    assert Webhook(issued.secret).verify(second.body, second.headers)["type"] == "booking.created"
    with scopes_disabled():
        tries = list(the_delivery(issued.obj).tries.order_by("at", "id"))
    assert [t.replay for t in tries] == [False, True]


def test_a_redirect_is_not_followed(salon, partner):
    endpoint = subscribe(salon, partner.url).obj
    partner.status, partner.location = 302, f"http://127.0.0.1:{partner.port}/elsewhere"
    book(salon)
    run()
    assert [r.path for r in partner.received] == ["/hooks/solibook"]
    row = the_delivery(endpoint)
    assert row.state == DeliveryState.PENDING and row.last_status == 302
    assert "redirect" in row.last_error


def test_a_slow_subscriber_times_out_and_is_retried(salon, partner, settings):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.3
    endpoint = subscribe(salon, partner.url).obj
    partner.delay = 1.5
    book(salon)
    run()
    row = the_delivery(endpoint)
    assert row.state == DeliveryState.PENDING and row.attempts == 1
    assert row.last_error == "timed out" and row.next_attempt_at > timezone.now()


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/hook",
        "http://127.0.0.1:8000/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:8000/hook",  # a host name that resolves to loopback
        "http://[::ffff:127.0.0.1]/hook",
        "ftp://example.com/hook",
    ],
)
def test_internal_addresses_are_refused_when_subscribing(salon, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(ValidationFailed) as refused:
        subscribe(salon, url)
    assert "url" in refused.value.fields
    with scopes_disabled():
        assert not WebhookEndpoint.objects.exists()


def test_an_address_that_turned_internal_is_refused_at_delivery(salon, partner, settings):
    endpoint = subscribe(salon, partner.url).obj  # allowed when subscribing (tests)...
    book(salon)
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False  # ...production: checked again
    run()
    assert partner.received == []
    row = the_delivery(endpoint)
    assert row.state == DeliveryState.PENDING and "private" in row.last_error


def test_a_test_message_and_a_rotated_secret(salon, partner):
    issued = subscribe(salon, partner.url)
    rotated = services.endpoint_rotate_secret(
        business=salon.business, actor=None, endpoint_id=issued.obj.pk
    )
    assert rotated.secret != issued.secret
    services.endpoint_ping(business=salon.business, actor=None, endpoint_id=issued.obj.pk)
    run()
    [got] = partner.received
    assert Webhook(rotated.secret).verify(got.body, got.headers)["type"] == "webhook.test"
    with pytest.raises(Exception, match="signature"):
        Webhook(issued.secret).verify(got.body, got.headers)
