"""Tickets through `support.services`: the hand-over door, replies by both
sides, e-mail out with the reply address, statuses and the rating once."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from solibook.core.errors import Conflict, Forbidden, ValidationFailed
from solibook.support import services
from solibook.support.models import Attachment, Message, Source, Status, Ticket
from solibook.support.tests.helpers import PNG, open_ticket
from solibook.support.uploads import MAX_BYTES, Upload
from solibook.testing.factories import BusinessFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=False)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_assistant_hand_over_opens_a_ticket_with_its_transcript(django_capture_on_commit_callbacks):
    client = UserFactory(email="amira@example.test", language="ar")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.ticket_open(
            subject="أريد تغيير موعدي",
            body="The assistant could not move my visit.",
            requester_email="Amira@Example.test",
            requester_account=client,
            source=Source.ASSISTANT,
            transcript=[
                {"role": "client", "text": "move my visit"},
                {"role": "assistant", "text": "…"},
            ],
            language="ar",
        )
    assert ticket.status == Status.NEW and ticket.priority == "normal"
    assert ticket.requester_email == "amira@example.test"
    assert ticket.transcript[0] == {"role": "client", "text": "move my visit"}
    assert ticket.messages.count() == 1
    (receipt,) = mail.outbox
    assert receipt.to == ["amira@example.test"]
    assert receipt.reply_to == [f"support+{ticket.token}@solibook.test"]
    assert f"#{ticket.pk}" in receipt.subject and "طلبك" in receipt.body or "#" in receipt.subject
    assert f"/ar/support/t/{ticket.token}/" in receipt.body


def test_bad_input_is_refused_per_field_and_nothing_is_written():
    with pytest.raises(ValidationFailed) as refused:
        open_ticket(subject="", requester_email="not-an-email", body=" ")
    assert set(refused.value.fields) == {"subject", "requester_email", "body"}
    assert not Ticket.objects.exists()


def test_salon_tickets_start_high_and_unknown_language_is_english():
    business = BusinessFactory()
    ticket = open_ticket(business=business, source=Source.OFFICE, language="de", now=T0)
    assert ticket.priority == "high" and ticket.language == "en"
    assert ticket.first_response_due == T0 + timedelta(hours=4)
    assert ticket.resolution_due == T0 + timedelta(hours=24)


def test_staff_reply_waits_on_requester_and_mails_in_their_language(
    agent, django_capture_on_commit_callbacks
):
    ticket = open_ticket(now=T0)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_reply(
            ticket_id=ticket.pk,
            body="Bonjour, c'est réparé.",
            author=agent,
            as_staff=True,
            now=T0 + timedelta(hours=1),
        )
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING
    assert ticket.first_responded_at == T0 + timedelta(hours=1)
    assert ticket.assignee == agent  # the first to answer takes it
    reply = mail.outbox[-1]
    assert "Bonjour, c'est réparé." in reply.body
    assert "du support a écrit" in reply.body  # French, the requester’s language
    # The requester answers: the ticket is open again.
    services.ticket_reply(ticket_id=ticket.pk, body="Merci, mais…", now=T0 + timedelta(hours=3))
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.paused_seconds == 2 * 3600  # two hours waiting are not counted
    assert ticket.resolution_due == T0 + timedelta(hours=74)


def test_only_support_staff_answer(moderator):
    ticket = open_ticket()
    with pytest.raises(Forbidden):
        services.ticket_reply(ticket_id=ticket.pk, body="hi", author=moderator, as_staff=True)
    client = UserFactory()
    with pytest.raises(Forbidden):
        services.ticket_reply(ticket_id=ticket.pk, body="hi", author=client, as_staff=True)
    assert ticket.messages.count() == 1


def test_closed_ticket_refuses_the_requester():
    ticket = open_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.CLOSED)
    with pytest.raises(Conflict):
        services.ticket_reply(ticket_id=ticket.pk, body="again")


def test_rating_once_only_after_resolution(agent, django_capture_on_commit_callbacks):
    ticket = open_ticket()
    with pytest.raises(Conflict):
        services.ticket_rate(ticket_id=ticket.pk, rating=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_reply(
            ticket_id=ticket.pk, body="Fixed.", author=agent, as_staff=True, status=Status.RESOLVED
        )
    assert f"/fr/support/t/{ticket.token}/rate/" in mail.outbox[-1].body
    with pytest.raises(ValidationFailed):
        services.ticket_rate(ticket_id=ticket.pk, rating=6)
    services.ticket_rate(ticket_id=ticket.pk, rating=4, comment="Rapide")
    with pytest.raises(Conflict) as again:
        services.ticket_rate(ticket_id=ticket.pk, rating=1)
    assert again.value.code == "rated"
    ticket.refresh_from_db()
    assert (ticket.rating, ticket.rating_comment) == (4, "Rapide")


def test_oversized_attachment_refused_and_nothing_half_saved(settings):
    big = Upload("photo.png", "image/png", PNG + b"\x00" * MAX_BYTES)
    good = Upload("ok.png", "image/png", PNG)
    with pytest.raises(ValidationFailed) as refused:
        open_ticket(attachments=[good, big])
    assert refused.value.code == "too_large"
    assert "photo.png" in refused.value.fields["attachments"][0]
    assert not Ticket.objects.exists() and not Attachment.objects.exists()
    media = settings.MEDIA_ROOT / "support"
    assert not media.exists() or not any(media.iterdir())


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (Upload("run.exe", "application/octet-stream", b"MZ\x90\x00"), "file_type"),
        (Upload("fake.png", "image/png", b"MZ\x90\x00 not a png"), "file_type"),
        (Upload("pic.pdf", "image/png", PNG), "file_type"),
    ],
)
def test_attachment_types_checked(upload, code):
    ticket = open_ticket()
    with pytest.raises(ValidationFailed) as refused:
        services.ticket_reply(ticket_id=ticket.pk, body="see file", attachments=[upload])
    assert refused.value.code == code
    assert Message.objects.filter(ticket=ticket).count() == 1


def test_attachment_saved_with_the_message():
    ticket = open_ticket(attachments=[Upload("screen.png", "image/png", PNG)])
    (attachment,) = Attachment.objects.filter(message__ticket=ticket)
    assert attachment.size == len(PNG) and attachment.file.read() == PNG
    assert attachment.file.name.startswith("support/")
