"""E-mail in through a real SMTP server: aiosmtpd with the desk's handler,
started here, and smtplib sending to it as a mail server would."""

import smtplib
import socket
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.core import mail

from solibook.support.inbound import SupportHandler, strip_quoted
from solibook.support.models import Attachment, Message, Source, Status, Ticket
from solibook.support.tests.helpers import PDF, open_ticket
from solibook.support.uploads import MAX_BYTES
from solibook.testing.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    controller = Controller(SupportHandler(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller
    controller.stop()


def _send(smtp, message: EmailMessage, to: str):
    with smtplib.SMTP(smtp.hostname, smtp.port) as client:
        return client.send_message(message, to_addrs=[to])


def _message(sender: str, subject: str, text: str, **headers) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@solibook.test"
    message["Subject"] = subject
    message.set_content(text)  # (it drops Content-* headers: set them after)
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    return message


def test_mail_to_support_opens_a_ticket_with_its_attachment(smtp):
    message = _message(
        "Léa Martin <lea@example.test>",
        "Facture introuvable",
        "Bonjour, je ne trouve pas ma facture.",
        Content_Language="fr",
        Message_ID="<a1@example.test>",
    )
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="recu.pdf")
    _send(smtp, message, "support@solibook.test")
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.requester_email, ticket.requester_name) == (
        "Facture introuvable",
        "lea@example.test",
        "Léa Martin",
    )
    assert ticket.source == Source.EMAIL and ticket.language == "fr"
    assert ticket.messages.get().body.startswith("Bonjour, je ne trouve pas")
    attachment = Attachment.objects.get(message__ticket=ticket)
    assert attachment.name == "recu.pdf" and attachment.file.read() == PDF
    # The receipt goes back with the ticket's own reply address.
    assert mail.outbox[-1].reply_to == [f"support+{ticket.token}@solibook.test"]
    # The same message delivered again is not a second ticket.
    _send(smtp, message, "support@solibook.test")
    assert Ticket.objects.count() == 1


def test_reply_by_plus_address_lands_on_the_thread(smtp, agent):
    from solibook.support import services

    client = UserFactory(email="sam@example.test")
    ticket = open_ticket(requester_email="sam@example.test", requester_account=client)
    services.ticket_reply(ticket_id=ticket.pk, body="Which visit?", author=agent, as_staff=True)
    assert Ticket.objects.get(pk=ticket.pk).status == Status.WAITING
    reply = _message(
        "sam@example.test",
        f"Re: [#{ticket.pk}]",
        "The one on Friday.\n\nOn Mon, 2 Mar 2026, Support wrote:\n> Which visit?",
        Message_ID="<r1@example.test>",
    )
    _send(smtp, reply, f"support+{ticket.token}@solibook.test")
    ticket.refresh_from_db()
    last = ticket.messages.last()
    assert last.body == "The one on Friday." and last.via == Source.EMAIL
    assert last.author == client
    assert ticket.status == Status.OPEN
    _send(smtp, reply, f"support+{ticket.token}@solibook.test")  # delivered twice: once
    assert ticket.messages.count() == 3


def test_reply_from_another_address_or_unknown_token_is_refused(smtp):
    ticket = open_ticket(requester_email="sam@example.test")
    with pytest.raises(smtplib.SMTPDataError) as refused:
        _send(
            smtp,
            _message("mallory@example.test", "Re", "let me in"),
            f"support+{ticket.token}@solibook.test",
        )
    assert refused.value.smtp_code == 550
    with pytest.raises(smtplib.SMTPDataError):
        _send(smtp, _message("sam@example.test", "Re", "x"), f"support+{'0' * 32}@solibook.test")
    with pytest.raises(smtplib.SMTPRecipientsRefused):  # not ours: no relaying
        _send(smtp, _message("sam@example.test", "Hi", "x"), "someone@elsewhere.test")
    assert Message.objects.count() == 1


def test_oversized_attachment_bounces_and_nothing_is_saved(smtp):
    message = _message("big@example.test", "Photos", "See the photo")
    message.add_attachment(
        b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_BYTES,
        maintype="image",
        subtype="png",
        filename="a.png",
    )
    with pytest.raises(smtplib.SMTPDataError) as refused:
        _send(smtp, message, "support@solibook.test")
    assert refused.value.smtp_code == 552
    assert b"too large" in refused.value.smtp_error
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_auto_replies_are_dropped(smtp):
    _send(
        smtp,
        _message("ooo@example.test", "Out of office", "Back Monday", Auto_Submitted="auto-replied"),
        "support@solibook.test",
    )
    assert not Ticket.objects.exists()


def test_strip_quoted():
    assert strip_quoted("Merci !\n\nLe lun. 2 mars, Support a écrit :\n> Bonjour") == "Merci !"
    assert strip_quoted("> only a quote") == "> only a quote"
