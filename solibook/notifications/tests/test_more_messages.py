"""Waitlist offers, visit outcomes, salon choices, the HTTP provider, the worker."""

import json
import threading
from datetime import time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from solibook.booking.models import Status
from solibook.booking.services import appointment_set_status
from solibook.booking.services.no_show import no_show_finalise, no_show_mark
from solibook.booking.services.waitlist import waitlist_join, waitlist_offer
from solibook.core.tenancy import business_scope
from solibook.notifications.consumer import consume_outbox
from solibook.notifications.dispatcher import dispatch_due
from solibook.notifications.models import Kind, Notification, NotificationStatus
from solibook.notifications.providers import OutgoingMessage, PermanentFailure, WebhookProvider
from solibook.notifications.services import notification_settings_update
from solibook.notifications.tasks import notifications_pass
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import MONDAY, NOW, paris

pytestmark = pytest.mark.django_db


def rows(**filters):
    with scopes_disabled():
        return list(Notification.objects.filter(**filters).order_by("due_at", "id"))


def test_waitlist_offer_is_sent_and_an_expired_one_is_not(salon, smtp):
    first = UserFactory(email="wait1@example.test", language="fr")
    with business_scope(salon.business):
        waitlist_join(
            business=salon.business,
            account=first,
            location_id=salon.location.pk,
            service_id=salon.cut.pk,
            day=MONDAY,
            time_from=time(9),
            time_to=time(12),
            now=NOW,
        )
        [entry] = waitlist_offer(
            business=salon.business, location_id=salon.location.pk, day=MONDAY, now=NOW
        )
    consume_outbox(now=NOW)
    assert [n.kind for n in rows()] == [Kind.WAITLIST_OFFER]  # a hold gets no confirmation
    assert dispatch_due(now=NOW).sent == 1
    [message] = smtp.to("wait1@example.test")
    assert "Un créneau s’est libéré" in message["Subject"]
    assert "réservé jusqu’au" in message.get_body(preferencelist=("plain",)).get_content()

    # Same offer processed again: the unique key keeps one row.
    with scopes_disabled():
        from solibook.core.outbox import outbox_emit

        outbox_emit(
            topic="waitlist.offered",
            business=salon.business,
            payload={"entry_id": entry.pk, "appointment_id": entry.offer_id},
        )
    consume_outbox(now=NOW)
    assert len(rows(kind=Kind.WAITLIST_OFFER)) == 1


def test_expired_offer_is_cancelled_at_dispatch(salon, smtp):
    client = UserFactory(email="wait2@example.test")
    with business_scope(salon.business):
        waitlist_join(
            business=salon.business,
            account=client,
            location_id=salon.location.pk,
            service_id=salon.cut.pk,
            day=MONDAY,
            time_from=time(9),
            time_to=time(12),
            now=NOW,
        )
        [entry] = waitlist_offer(
            business=salon.business, location_id=salon.location.pk, day=MONDAY, now=NOW
        )
    consume_outbox(now=NOW)
    result = dispatch_due(now=entry.offer_expires_at + timedelta(minutes=1))
    assert result.sent == 0 and result.cancelled == 1
    assert smtp.to("wait2@example.test") == []


def test_completed_visit_gets_a_review_request_and_no_show_a_notice(salon, smtp, settings):
    settings.NOTIFICATIONS_REVIEW_DELAY_MINUTES = 120
    done = book(salon, paris(10), account=UserFactory(email="happy@example.test"))
    missed = book(salon, paris(12), account=UserFactory(email="absent@example.test"))
    consume_outbox(now=NOW)
    with business_scope(salon.business):
        appointment_set_status(
            business=salon.business, appointment_id=done.pk, status=Status.COMPLETED
        )
        no_show_mark(business=salon.business, appointment_id=missed.pk, now=paris(12, 30))
    consume_outbox(now=paris(13))
    assert rows(kind=Kind.NO_SHOW) == []  # not during the undo window
    with business_scope(salon.business):
        no_show_finalise(business=salon.business, appointment_id=missed.pk, now=paris(12, 45))
    consume_outbox(now=paris(13))
    [review] = rows(kind=Kind.REVIEW_REQUEST)
    assert review.due_at == done.ends_at + timedelta(hours=2) or review.due_at == paris(
        13
    ) + timedelta(hours=2)
    assert [n.status for n in rows(kind=Kind.REMINDER)] == [
        NotificationStatus.CANCELLED
    ] * 4  # none left pending
    dispatch_due(now=paris(13))
    assert [m["Subject"] for m in smtp.to("absent@example.test")][-1].startswith("We missed you")
    assert all(not m["Subject"].startswith("How was") for m in smtp.to("happy@example.test"))
    dispatch_due(now=review.due_at)
    assert smtp.to("happy@example.test")[-1]["Subject"].startswith("How was your visit")


def test_salon_reminder_offsets(salon, smtp):
    with business_scope(salon.business):
        notification_settings_update(
            business=salon.business, reminder_minutes=[48 * 60, 60], channels=["email"]
        )
    appointment = book(salon, paris(12), account=UserFactory())
    consume_outbox(now=NOW)
    assert [r.due_at for r in rows(kind=Kind.REMINDER)] == [
        appointment.starts_at - timedelta(hours=48),
        appointment.starts_at - timedelta(hours=1),
    ]


class _Api(BaseHTTPRequestHandler):
    received: list = []
    answer = (200, {"id": "msg-1"})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append((self.headers.get("Authorization"), body))
        status, payload = type(self).answer
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def sms_api():
    _Api.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield _Api, f"http://127.0.0.1:{server.server_address[1]}/messages"
    server.shutdown()
    server.server_close()


def test_webhook_provider_posts_json_and_reads_the_id(sms_api):
    api, url = sms_api
    provider = WebhookProvider(url=url, token="secret-token", sender="Solibook")
    message_id = provider.send(
        OutgoingMessage(channel="sms", to="+33612345678", subject="", text="Bonjour", language="fr")
    )
    assert message_id == "msg-1"
    [(auth, body)] = api.received
    assert auth == "Bearer secret-token"
    assert body == {
        "channel": "sms",
        "to": "+33612345678",
        "from": "Solibook",
        "text": "Bonjour",
        "language": "fr",
    }


def test_webhook_provider_errors(sms_api):
    api, url = sms_api
    provider = WebhookProvider(url=url, token="t", timeout=2)
    message = OutgoingMessage(channel="sms", to="+33612345678", subject="", text="x")
    api.answer = (500, {"error": "down"})
    with pytest.raises(RuntimeError, match="HTTP 500"):
        provider.send(message)
    api.answer = (400, {"error": "bad number"})
    with pytest.raises(PermanentFailure, match="HTTP 400"):
        provider.send(message)
    api.answer = (200, {"ok": True})
    with pytest.raises(RuntimeError, match="no message id"):
        provider.send(message)
    with pytest.raises(PermanentFailure):
        WebhookProvider(url="file:///etc/passwd").send(message)
    api.answer = (200, {"id": "msg-1"})


def test_sms_through_the_webhook_end_to_end(salon, smtp, settings, sms_api):
    api, url = sms_api
    settings.NOTIFICATIONS_CHANNELS = ["sms"]
    settings.NOTIFICATIONS_PROVIDERS = {
        **settings.NOTIFICATIONS_PROVIDERS,
        "sms": "solibook.notifications.providers.WebhookProvider",
    }
    settings.NOTIFICATIONS_SMS_WEBHOOK_URL = url
    settings.NOTIFICATIONS_SMS_WEBHOOK_TOKEN = "tok"
    api.answer = (503, {"error": "busy"})
    book(salon, paris(10), account=UserFactory(phone="+33612345678"))
    consume_outbox(now=NOW)
    assert dispatch_due(now=NOW).retrying == 1
    api.answer = (200, {"message_id": "sms-42"})
    assert dispatch_due(now=NOW + timedelta(hours=1)).sent == 1
    [row] = rows(kind=Kind.CONFIRMATION)
    assert row.provider_message_id == "sms-42" and row.attempts == 2


def test_run_notifications_once_and_the_task(salon, smtp):
    book(salon, paris(10), account=UserFactory(email="cmd@example.test"))
    call_command("run_notifications", "--once", verbosity=0)
    # The appointment is in 2030: only the confirmation is due now.
    assert len(smtp.to("cmd@example.test")) == 1
    book(salon, paris(12), account=UserFactory(email="task@example.test"))
    result = notifications_pass.enqueue(batch=10)
    assert result.return_value["consumed"] == 1 and result.return_value["sent"] == 1
    assert len(smtp.to("task@example.test")) == 1
