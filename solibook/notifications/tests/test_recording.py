"""On PostgreSQL the dispatcher records each outcome as one autocommitted UPDATE on
Django's connection, its commit not waiting for the disk while the batch is sent:
every outcome kept, each committed before the next message goes, and the connection
back to waiting for the disk afterwards, however the batch ended."""

from unittest import mock

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from solibook.notifications.consumer import consume_outbox
from solibook.notifications.dispatcher import dispatch_due
from solibook.notifications.models import Kind, Notification, NotificationStatus
from solibook.notifications.providers import EmailProvider
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW, paris

ADDRESSES = ["one@example.test", "busy@example.test", "gone@example.test", "two@example.test"]


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def confirmations() -> dict[str, Notification]:
    with scopes_disabled():
        return {n.email: n for n in Notification.objects.filter(kind=Kind.CONFIRMATION)}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_each_outcome_is_recorded_before_the_next_message_goes(salon, smtp, monkeypatch):
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into

    smtp.refuse.add("busy@example.test")  # 451: tried again later
    smtp.reject.add("gone@example.test")  # 550: failed for good
    try:
        for hour, address in zip((10, 11, 12, 13), ADDRESSES, strict=True):
            book(salon, paris(hour), account=UserFactory(email=address))
        consume_outbox(now=NOW)

        seen: list[tuple[str, dict]] = []  # each send: the statuses the database holds then
        durability: list[str] = []  # each send: the connection's synchronous_commit
        send = EmailProvider.send

        def looking(self, message):
            seen.append((message.to, {a: n.status for a, n in confirmations().items()}))
            durability.append(synchronous_commit())
            return send(self, message)

        with mock.patch.object(EmailProvider, "send", looking):
            result = dispatch_due(now=NOW)

        assert (result.sent, result.retrying, result.failed) == (2, 1, 1)
        assert [to for to, _statuses in seen] == ADDRESSES
        for i, (to, statuses) in enumerate(seen):
            assert statuses[to] == NotificationStatus.SENDING
            # Every earlier message's outcome was committed before this one went.
            assert all(statuses[a] != NotificationStatus.SENDING for a in ADDRESSES[:i]), statuses

        rows = confirmations()
        for address in ("one@example.test", "two@example.test"):
            row = rows[address]
            assert (row.status, row.attempts, row.claimed_by, row.last_error) == (
                NotificationStatus.SENT,
                1,
                "",
                "",
            )
            assert row.provider_message_id == f"<{row.delivery_key}@solibook.localhost>"
            assert row.sent_at is not None and row.next_attempt_at is None
        busy, gone = rows["busy@example.test"], rows["gone@example.test"]
        assert (busy.status, busy.attempts) == (NotificationStatus.FAILED, 1)
        assert busy.next_attempt_at is not None and "451" in busy.last_error
        assert (gone.status, gone.attempts) == (NotificationStatus.FAILED, 1)
        assert gone.next_attempt_at is None and "refused the address" in gone.last_error
        assert len(smtp.messages) == 2
        assert durability == ["off"] * 4
        assert synchronous_commit() == "on"  # the rest of the worker's writes wait again
    finally:
        load_into(Category)  # the flush after a transactional test removed the taxonomy


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_batch_stopped_by_the_database_leaves_the_connection_waiting_for_the_disk(
    salon, smtp, monkeypatch
):
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into
    from solibook.notifications import dispatcher

    record = dispatcher._record

    def failing(notification, **fields):
        if fields.get("status") == NotificationStatus.SENT and smtp.messages[1:]:
            raise RuntimeError("the database went away")
        record(notification, **fields)

    monkeypatch.setattr(dispatcher, "_record", failing)
    try:
        for hour, address in zip((10, 11, 12), ADDRESSES, strict=False):
            book(salon, paris(hour), account=UserFactory(email=address))
        consume_outbox(now=NOW)
        with pytest.raises(RuntimeError):
            dispatch_due(now=NOW)
        assert synchronous_commit() == "on"
        statuses = {a: n.status for a, n in confirmations().items()}
        # The first recorded, the second sent and not recorded (due again once its
        # lease runs out, with the same Message-ID), the third not sent.
        assert [statuses[a] for a in ADDRESSES[:3]] == [NotificationStatus.SENT] + [
            NotificationStatus.SENDING
        ] * 2
        assert len(smtp.messages) == 2
    finally:
        load_into(Category)
