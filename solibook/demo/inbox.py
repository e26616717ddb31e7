"""The demo profile's channels: messages go to the demo inbox, not to anyone.

`InboxEmailBackend` is Django's e-mail backend for the whole site (the
notification worker's EmailProvider, sign-up and password e-mails, the booking
wizard's codes all go through it); the SMS, WhatsApp and push providers stand in
for the real gateways behind the notifications' one interface. Each checks the
address as the real one would, so a message that would fail fails here too.
"""

from django.contrib.auth import get_user_model
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.html import strip_tags

from solibook.demo.models import InboxMessage
from solibook.demo.services import inbox_message_store
from solibook.notifications.providers import (
    OutgoingMessage,
    PermanentFailure,
    Provider,
    check_phone,
)


class InboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        sent = 0
        for email in email_messages or []:
            recipients = email.recipients()
            if not recipients:
                continue
            text = email.body or ""
            if not text.strip():  # an HTML-only message: show its text
                html = next(
                    (
                        body
                        for body, kind in getattr(email, "alternatives", [])
                        if kind == "text/html"
                    ),
                    "",
                )
                text = strip_tags(html)
            for recipient in recipients:
                inbox_message_store(
                    channel=InboxMessage.Channel.EMAIL,
                    to=recipient,
                    subject=str(email.subject or ""),
                    text=text,
                    sender=str(email.from_email or ""),
                    language=str(email.extra_headers.get("Content-Language", "")),
                )
            sent += 1
        return sent


class _InboxPhoneProvider(Provider):
    def send(self, message: OutgoingMessage) -> str:
        to = check_phone(message.to)
        row = inbox_message_store(
            channel=self.channel,
            to=to,
            text=message.text,
            subject=message.subject,
            sender=message.from_name,
            link=message.link,
            language=message.language,
        )
        return f"inbox-{row.pk}"


class InboxSmsProvider(_InboxPhoneProvider):
    channel = InboxMessage.Channel.SMS


class InboxWhatsAppProvider(_InboxPhoneProvider):
    channel = InboxMessage.Channel.WHATSAPP


class InboxPushProvider(Provider):
    """A push goes to an account (`to` is the user's id): shown under its e-mail."""

    channel = InboxMessage.Channel.PUSH

    def send(self, message: OutgoingMessage) -> str:
        user_id = int(message.to) if message.to.isdigit() else None
        email = (
            get_user_model().objects.filter(pk=user_id).values_list("email", flat=True).first()
            if user_id
            else None
        )
        if email is None:
            raise PermanentFailure("no account for this push")
        row = inbox_message_store(
            channel=self.channel,
            to=email or f"#{user_id}",
            text=message.text,
            subject=message.subject,
            sender=message.from_name,
            link=message.link,
            language=message.language,
        )
        return f"inbox-{row.pk}"
