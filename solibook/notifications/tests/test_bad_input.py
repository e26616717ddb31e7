"""Bad input on the way out: an address the mail server rejects, a phone
number that is not one, a worker pass that crashes: logged, marked, and the
rest goes on; nothing is lost."""

import json
import signal
import threading
import time

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from solibook.notifications import consumer as consumer_module
from solibook.notifications.consumer import consume_outbox
from solibook.notifications.dispatcher import dispatch_due
from solibook.notifications.models import Kind, Notification, NotificationStatus
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db


def rows(**filters):
    with scopes_disabled():
        return list(Notification.objects.filter(**filters).order_by("due_at", "id"))


def test_a_mailbox_the_server_rejects_fails_for_good_and_the_batch_goes_on(salon, smtp):
    smtp.reject.add("nobody@example.test")
    book(salon, paris(10), account=UserFactory(email="nobody@example.test"))
    book(salon, paris(12), account=UserFactory(email="somebody@example.test"))
    consume_outbox(now=NOW)
    result = dispatch_due(now=NOW)
    assert (result.sent, result.failed, result.retrying) == (1, 1, 0)
    [rejected] = rows(kind=Kind.CONFIRMATION, email="nobody@example.test")
    assert (
        rejected.status == NotificationStatus.FAILED
        and rejected.next_attempt_at is None
        and "550" in rejected.last_error
    )
    assert len(smtp.to("somebody@example.test")) == 1


def test_a_phone_number_that_is_not_one_fails_for_good(salon, smtp, settings, tmp_path):
    settings.NOTIFICATIONS_CHANNELS = ["sms"]
    settings.NOTIFICATIONS_PROVIDERS = {
        **settings.NOTIFICATIONS_PROVIDERS,
        "sms": "solibook.notifications.providers.FileSmsProvider",
    }
    settings.NOTIFICATIONS_SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    book(salon, paris(10), client_name="Typo", client_phone="+33 12")
    book(salon, paris(12), client_name="Fine", client_phone="+33 6 12 34 56 78")
    consume_outbox(now=NOW)
    result = dispatch_due(now=NOW)
    assert (result.sent, result.failed) == (1, 1)
    failed = rows(status=NotificationStatus.FAILED)
    assert [f.recipient_name for f in failed] == ["Typo"] and "invalid phone number" in failed[
        0
    ].last_error
    [line] = (tmp_path / "sms.jsonl").read_text().splitlines()
    assert json.loads(line)["to"] == "+33612345678"


def test_the_looping_worker_survives_a_failing_pass(salon, smtp, monkeypatch):
    """The database goes away for one pass (say): logged, and the next pass sends."""
    calls = {"n": 0}
    real = consumer_module.consume_outbox

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("database went away")
        return real(**kwargs)

    from solibook.notifications.management.commands import run_notifications

    monkeypatch.setattr(run_notifications, "consume_outbox", flaky)
    monkeypatch.setattr(
        run_notifications, "close_old_connections", lambda: None
    )  # the test's connection holds its transaction
    book(salon, paris(10), account=UserFactory(email="loop@example.test"))
    command = run_notifications.Command()
    saved = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)

    def watch():  # stops the loop once the message arrived (or after 20 s)
        deadline = time.monotonic() + 20
        while not smtp.to("loop@example.test") and time.monotonic() < deadline:
            time.sleep(0.05)
        command.stopping = True

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        call_command(command, interval=0.05, verbosity=0)  # returns when stopping
    finally:
        watcher.join(timeout=30)
        signal.signal(signal.SIGTERM, saved[0])
        signal.signal(signal.SIGINT, saved[1])
    assert calls["n"] >= 2 and len(smtp.to("loop@example.test")) == 1
