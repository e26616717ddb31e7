"""Booking → outbox → notifications → a real SMTP server, parsed back."""

import socket
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django_scopes import scopes_disabled

from solibook.booking.services import appointment_cancel, appointment_reschedule
from solibook.core.models import OutboxEvent
from solibook.core.tenancy import business_scope
from solibook.notifications.consumer import consume_outbox
from solibook.notifications.dispatcher import dispatch_due
from solibook.notifications.ics import uid_for
from solibook.notifications.models import Kind, Notification, NotificationStatus
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.races import race
from solibook.testing.salon import MONDAY, NOW, paris

pytestmark = pytest.mark.django_db


def notifications(**filters) -> list[Notification]:
    with scopes_disabled():
        return list(Notification.objects.filter(**filters).order_by("due_at", "id"))


def calendar_of(message) -> icalendar.Calendar:
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in message.walk()]
    return icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))


def test_booking_sends_a_confirmation_in_the_clients_language_with_an_ics(salon, smtp):
    client = UserFactory(language="fr", email="amelie@example.test", full_name="Amélie Poulain")
    appointment = book(salon, paris(10), account=client)

    assert consume_outbox(now=NOW) == 1
    with scopes_disabled():
        assert OutboxEvent.objects.filter(processed_at__isnull=True).count() == 0
    result = dispatch_due(now=NOW)
    assert result.sent == 1

    [message] = smtp.to("amelie@example.test")
    assert "Votre rendez-vous" in message["Subject"] and salon.business.name in message["Subject"]
    assert message["Content-Language"] == "fr"
    assert salon.business.name in message["From"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Bonjour Amélie Poulain" in text and "Cut" in text and "Léa" in text
    assert 'lang="fr"' in html and "Bonjour" in html

    cal = calendar_of(message)
    assert str(cal["METHOD"]) == "REQUEST"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == uid_for(appointment.pk)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART") == paris(10)
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=2)
    assert int(event["SEQUENCE"]) == 0
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert "mailto:amelie@example.test" in str(event["ATTENDEE"])

    [sent] = notifications(kind=Kind.CONFIRMATION)
    assert (
        sent.status == NotificationStatus.SENT and sent.provider_message_id == message["Message-ID"]
    )
    assert sent.language == "fr" and sent.attempts == 1


def test_english_client_gets_english(salon, smtp):
    client = UserFactory(language="en", email="bob@example.test")
    book(salon, paris(10), account=client)
    consume_outbox(now=NOW)
    dispatch_due(now=NOW)
    [message] = smtp.to("bob@example.test")
    assert message["Subject"].startswith("Your visit to")


def test_reminders_24h_and_2h_before_sent_exactly_once(salon, smtp):
    client = UserFactory(email="carla@example.test")
    appointment = book(salon, paris(10), account=client)
    consume_outbox(now=NOW)
    reminders = notifications(kind=Kind.REMINDER)
    assert [r.due_at for r in reminders] == [
        appointment.starts_at - timedelta(hours=24),
        appointment.starts_at - timedelta(hours=2),
    ]
    dispatch_due(now=NOW)  # the confirmation
    assert len(smtp.to("carla@example.test")) == 1

    # Consuming again (nothing new) or running the dispatcher twice sends nothing more.
    assert consume_outbox(now=NOW) == 0
    day_before = appointment.starts_at - timedelta(hours=24) + timedelta(minutes=1)
    assert dispatch_due(now=day_before).sent == 1
    assert dispatch_due(now=day_before).sent == 0
    two_hours = appointment.starts_at - timedelta(hours=2)
    assert dispatch_due(now=two_hours).sent == 1
    assert dispatch_due(now=two_hours + timedelta(minutes=5)).sent == 0
    assert len(notifications(kind=Kind.REMINDER)) == 2

    subjects = [m["Subject"] for m in smtp.to("carla@example.test")]
    assert len(subjects) == 3 and sum(s.startswith("Reminder:") for s in subjects) == 2
    assert all(r.status == NotificationStatus.SENT for r in notifications(kind=Kind.REMINDER))


def test_reminders_already_past_are_skipped(salon, smtp):
    appointment = book(
        salon, paris(10), account=UserFactory(), now=paris(7)
    )  # booked 3 hours before
    consume_outbox(now=paris(7))
    [reminder] = notifications(kind=Kind.REMINDER)
    assert reminder.due_at == appointment.starts_at - timedelta(hours=2)


def test_cancelled_appointments_reminders_are_never_sent(salon, smtp):
    client = UserFactory(email="dora@example.test")
    appointment = book(salon, paris(10), account=client)
    consume_outbox(now=NOW)
    dispatch_due(now=NOW)  # confirmation
    with business_scope(salon.business):
        appointment_cancel(
            business=salon.business,
            appointment_id=appointment.pk,
            by_client=True,
            now=NOW + timedelta(minutes=5),
        )
    consume_outbox(now=NOW + timedelta(minutes=5))
    assert {r.status for r in notifications(kind=Kind.REMINDER)} == {NotificationStatus.CANCELLED}
    dispatch_due(now=appointment.starts_at - timedelta(minutes=30))

    kinds = [m["Subject"] for m in smtp.to("dora@example.test")]
    assert len(kinds) == 2 and "cancelled" in kinds[1]
    cal = calendar_of(smtp.to("dora@example.test")[1])
    assert str(cal["METHOD"]) == "CANCEL"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == uid_for(appointment.pk) and int(event["SEQUENCE"]) >= 1
    assert str(event["STATUS"]) == "CANCELLED"


def test_cancellation_before_the_worker_ran_sends_nothing(salon, smtp):
    appointment = book(salon, paris(10), account=UserFactory(email="eve@example.test"))
    with business_scope(salon.business):
        appointment_cancel(
            business=salon.business, appointment_id=appointment.pk, by_client=False, now=NOW
        )
    consume_outbox(now=NOW)
    dispatch_due(now=appointment.starts_at)
    assert smtp.to("eve@example.test") == []


def test_a_move_replaces_the_reminders_and_sends_a_change_with_a_higher_sequence(salon, smtp):
    client = UserFactory(email="flo@example.test")
    appointment = book(salon, paris(10), account=client)
    consume_outbox(now=NOW)
    dispatch_due(now=NOW)
    with business_scope(salon.business):
        appointment_reschedule(
            business=salon.business, appointment_id=appointment.pk, start=paris(14), now=NOW
        )
    consume_outbox(now=NOW)
    live = [r for r in notifications(kind=Kind.REMINDER) if r.status == NotificationStatus.PENDING]
    moved = paris(14).astimezone(UTC)
    assert sorted(r.due_at for r in live) == [
        moved - timedelta(hours=24),
        moved - timedelta(hours=2),
    ]
    assert (
        len(
            [
                r
                for r in notifications(kind=Kind.REMINDER)
                if r.status == NotificationStatus.CANCELLED
            ]
        )
        == 2
    )

    dispatch_due(now=NOW)
    change = smtp.to("flo@example.test")[-1]
    [event] = calendar_of(change).walk("VEVENT")
    assert str(calendar_of(change)["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == uid_for(appointment.pk)
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == paris(14)

    # The old 2-hour reminder time (08:00 Paris) passes: nothing is sent for 10:00.
    dispatch_due(now=paris(8, 1))
    assert len(smtp.to("flo@example.test")) == 3  # confirmation, change, 24 h reminder of 14:00
    dispatch_due(now=paris(12, 1))
    assert len(smtp.to("flo@example.test")) == 4
    assert all(
        "14:00" in m.get_body(preferencelist=("plain",)).get_content()
        or "2 p.m." in m.get_body(preferencelist=("plain",)).get_content()
        for m in smtp.to("flo@example.test")[2:]
    )


def test_provider_failure_is_retried_with_backoff_and_the_batch_goes_on(salon, smtp, settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    smtp.refuse.add("flaky@example.test")
    book(salon, paris(10), account=UserFactory(email="flaky@example.test"))
    book(salon, paris(12), account=UserFactory(email="fine@example.test"))
    consume_outbox(now=NOW)

    result = dispatch_due(now=NOW)
    assert (result.sent, result.retrying) == (1, 1)
    assert len(smtp.to("fine@example.test")) == 1
    [flaky] = notifications(kind=Kind.CONFIRMATION, email="flaky@example.test")
    assert flaky.status == NotificationStatus.FAILED and flaky.attempts == 1
    assert flaky.next_attempt_at == NOW + timedelta(seconds=60)
    assert "451" in flaky.last_error or "Refused" in flaky.last_error

    assert dispatch_due(now=NOW + timedelta(seconds=30)).claimed == 0  # not yet
    assert dispatch_due(now=NOW + timedelta(seconds=61)).retrying == 1
    [flaky] = notifications(kind=Kind.CONFIRMATION, email="flaky@example.test")
    assert flaky.attempts == 2 and flaky.next_attempt_at == NOW + timedelta(seconds=61 + 120)

    smtp.refuse.clear()
    assert dispatch_due(now=NOW + timedelta(seconds=200)).sent == 1
    [flaky] = notifications(kind=Kind.CONFIRMATION, email="flaky@example.test")
    assert (
        flaky.status == NotificationStatus.SENT
        and flaky.attempts == 3
        and flaky.provider_message_id
    )
    assert len(smtp.to("flaky@example.test")) == 1


def test_a_batch_goes_over_one_smtp_connection_and_reconnects_after_a_failure(salon, smtp):
    for hour, name in [(10, "one"), (11, "two"), (12, "three")]:
        book(salon, paris(hour), account=UserFactory(email=f"{name}@example.test"))
    consume_outbox(now=NOW)
    assert dispatch_due(now=NOW).sent == 3
    assert len(set(smtp.connections)) == 1  # not one connection (and handshake) a message

    book(salon, paris(14), account=UserFactory(email="before@example.test"))
    book(salon, paris(15), account=UserFactory(email="after@example.test"))
    consume_outbox(now=NOW)
    from solibook.notifications.providers import EmailProvider

    sent = EmailProvider.send

    def broken_after_first(self, message):
        if message.to == "after@example.test" and not getattr(self, "broke", False):
            self.broke = True
            self.connection.connection.sock.shutdown(socket.SHUT_RDWR)  # the line dropped mid-batch
        return sent(self, message)

    from unittest import mock

    with mock.patch.object(EmailProvider, "send", broken_after_first):
        result = dispatch_due(now=NOW)
    # The message on the dead connection waits for its retry; the batch went on.
    assert (result.sent, result.retrying) == (1, 1)
    assert dispatch_due(now=NOW + timedelta(hours=1)).sent == 1
    assert len(smtp.to("after@example.test")) == 1
    assert len(set(smtp.connections)) == 3


def test_giving_up_after_max_attempts(salon, smtp, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    smtp.refuse.add("gone@example.test")
    book(salon, paris(10), account=UserFactory(email="gone@example.test"))
    consume_outbox(now=NOW)
    dispatch_due(now=NOW)
    assert dispatch_due(now=NOW + timedelta(hours=1)).failed == 1
    [row] = notifications(kind=Kind.CONFIRMATION)
    assert (
        row.status == NotificationStatus.FAILED
        and row.next_attempt_at is None
        and row.attempts == 2
    )
    assert dispatch_due(now=NOW + timedelta(hours=20)).claimed == 0


def test_a_client_without_an_address_fails_clearly_and_others_are_sent(salon, smtp, settings):
    settings.NOTIFICATIONS_CHANNELS = ["email", "sms"]
    settings.NOTIFICATIONS_PROVIDERS = {
        **settings.NOTIFICATIONS_PROVIDERS,
        "sms": "solibook.notifications.providers.FileSmsProvider",
    }
    book(salon, paris(10), client_name="Walk-in", client_email="", client_phone="")
    book(salon, paris(12), account=UserFactory(email="gina@example.test"))
    consume_outbox(now=NOW)
    result = dispatch_due(now=NOW)
    assert result.sent == 1 and result.failed == 3  # walk-in: e-mail and SMS; Gina: no phone
    failed = notifications(status=NotificationStatus.FAILED)
    assert {f.last_error for f in failed} == {
        "no e-mail address for this recipient",
        "no phone number for this recipient",
    }
    assert all(f.next_attempt_at is None for f in failed)
    assert len(smtp.to("gina@example.test")) == 1


def test_sms_through_the_file_backend(salon, smtp, settings, tmp_path):
    import json

    settings.NOTIFICATIONS_CHANNELS = ["sms"]
    settings.NOTIFICATIONS_PROVIDERS = {
        **settings.NOTIFICATIONS_PROVIDERS,
        "sms": "solibook.notifications.providers.FileSmsProvider",
    }
    settings.NOTIFICATIONS_SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    book(salon, paris(10), account=UserFactory(language="fr", phone="+33612345678"))
    consume_outbox(now=NOW)
    assert dispatch_due(now=NOW).sent == 1
    [line] = (tmp_path / "sms.jsonl").read_text().splitlines()
    sms = json.loads(line)
    assert (
        sms["to"] == "+33612345678"
        and salon.business.name in sms["text"]
        and "Votre rendez-vous" in sms["text"]
    )
    [row] = notifications(kind=Kind.CONFIRMATION)
    assert row.provider_message_id == sms["id"]


def test_stale_reminder_is_cancelled_at_dispatch_even_if_the_consumer_lags(salon, smtp):
    """Belt and braces: a move not yet consumed still stops the old reminder."""
    appointment = book(salon, paris(10), account=UserFactory(email="hugo@example.test"))
    consume_outbox(now=NOW)
    dispatch_due(now=NOW)
    with business_scope(salon.business):
        appointment_reschedule(
            business=salon.business, appointment_id=appointment.pk, start=paris(15), now=NOW
        )
    result = dispatch_due(
        now=paris(10) - timedelta(hours=24) + timedelta(minutes=1)
    )  # outbox not consumed yet
    assert result.sent == 0 and result.cancelled == 1
    assert len(smtp.to("hugo@example.test")) == 1


def race_dispatchers(when, n: int = 8) -> list:
    """`n` threads run the dispatcher at once (small then large batches)."""
    results = race(
        n, lambda i: dispatch_due(now=when, batch=5).sent + dispatch_due(now=when, batch=50).sent
    )
    assert all(isinstance(r, int) for r in results), results
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_dispatchers_send_each_reminder_once(salon, smtp):
    for i in range(6):  # visits at 9:00 ... 14:00 on Monday, with Léa and with Marc
        book(
            salon, paris(9 + i), account=UserFactory(email=f"lea{i}@example.test"), master=salon.lea
        )
        book(
            salon,
            paris(9 + i),
            account=UserFactory(email=f"marc{i}@example.test"),
            master=salon.marc,
        )
    consume_outbox(now=NOW)
    assert len(notifications()) == 12 * 3  # a confirmation and two reminders each

    # Sunday 20:00: the confirmations and every 24 h reminder are due.
    assert sum(race_dispatchers(paris(20, day=MONDAY - timedelta(days=1)))) == 24
    # Monday 08:30: the 2 h reminders of the 9:00 and 10:00 visits.
    assert sum(race_dispatchers(paris(8, 30))) == 4
    # Everything again, later: nothing is sent twice.
    assert sum(race_dispatchers(paris(8, 45))) == 0

    sent = notifications(status=NotificationStatus.SENT)
    assert len(sent) == 28
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(ids) == len(set(ids)) == 28
    assert {n.provider_message_id for n in sent} == set(ids)
    for i in range(6):
        for who in ("lea", "marc"):
            assert len(smtp.to(f"{who}{i}@example.test")) == (3 if i < 2 else 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_consumers_share_the_outbox(salon, smtp):
    for i in range(8):
        appointment = book(
            salon,
            paris(9 + i),
            account=UserFactory(email=f"c{i}@example.test"),
            master=salon.marc if i % 2 else salon.lea,
        )
        if i % 2:
            with business_scope(salon.business):
                appointment_reschedule(
                    business=salon.business,
                    appointment_id=appointment.pk,
                    start=paris(9 + i, 30),
                    now=NOW,
                )
    counts = race(6, lambda i: sum(iter(lambda: consume_outbox(now=NOW, batch=3), 0)))
    assert all(isinstance(c, int) for c in counts), counts
    assert sum(counts) == 12  # 8 created + 4 rescheduled, each handled once
    pending = notifications(kind=Kind.REMINDER, status=NotificationStatus.PENDING)
    assert len(pending) == 16
    with scopes_disabled():
        from solibook.booking.models import Appointment

        starts = {a.pk: a.starts_at.isoformat() for a in Appointment.objects.all()}
    assert all(r.context["starts_at"] == starts[r.appointment_id] for r in pending)
    assert len(notifications(kind=Kind.CONFIRMATION)) == 8


def test_local_time_is_the_locations(salon, smtp):
    appointment = book(salon, paris(10), account=UserFactory(email="ines@example.test"))
    consume_outbox(now=NOW)
    dispatch_due(now=NOW)
    text = smtp.to("ines@example.test")[0].get_body(preferencelist=("plain",)).get_content()
    assert appointment.starts_at.astimezone(ZoneInfo("Europe/Paris")).hour == 10
    assert "10 a.m." in text or "10:00" in text
    assert datetime(2030, 6, 3, 8, tzinfo=UTC) == appointment.starts_at


def test_move_before_the_confirmation_went_out_sends_one_confirmation_with_the_new_time(
    salon, smtp
):
    appointment = book(salon, paris(10), account=UserFactory(email="jade@example.test"))
    consume_outbox(now=NOW)
    with business_scope(salon.business):
        appointment_reschedule(
            business=salon.business, appointment_id=appointment.pk, start=paris(16), now=NOW
        )
    consume_outbox(now=NOW)
    dispatch_due(now=NOW)
    [message] = smtp.to("jade@example.test")
    [event] = calendar_of(message).walk("VEVENT")
    assert event.decoded("DTSTART") == paris(16)
    assert notifications(kind=Kind.CHANGE) == []


def test_moved_away_and_back_gets_its_reminders_again(salon, smtp):
    appointment = book(salon, paris(10), account=UserFactory(email="kim@example.test"))
    consume_outbox(now=NOW)
    for hour in (15, 10):
        with business_scope(salon.business):
            appointment_reschedule(
                business=salon.business, appointment_id=appointment.pk, start=paris(hour), now=NOW
            )
        consume_outbox(now=NOW)
    pending = notifications(kind=Kind.REMINDER, status=NotificationStatus.PENDING)
    assert sorted(r.due_at for r in pending) == [
        appointment.starts_at - timedelta(hours=24),
        appointment.starts_at - timedelta(hours=2),
    ]
    assert len(notifications(kind=Kind.REMINDER)) == 4  # the two of 15:00 stay cancelled
    assert (
        dispatch_due(now=appointment.starts_at - timedelta(hours=2)).sent == 1 + 2
    )  # confirmation, two reminders


def test_two_moves_before_the_worker_sends_one_change_with_the_latest_time(salon, smtp):
    appointment = book(salon, paris(10), account=UserFactory(email="lou@example.test"))
    consume_outbox(now=NOW)
    dispatch_due(now=NOW)  # confirmation, SEQUENCE 0
    for hour in (14, 16):
        with business_scope(salon.business):
            appointment_reschedule(
                business=salon.business, appointment_id=appointment.pk, start=paris(hour), now=NOW
            )
        consume_outbox(now=NOW)
    assert dispatch_due(now=NOW).sent == 1
    change = smtp.to("lou@example.test")[-1]
    [event] = calendar_of(change).walk("VEVENT")
    assert event.decoded("DTSTART") == paris(16) and int(event["SEQUENCE"]) == 2
    assert [n.status for n in notifications(kind=Kind.CHANGE)] == [
        NotificationStatus.CANCELLED,
        NotificationStatus.SENT,
    ]
