"""Channels behind one small interface: `send(message) -> provider message id`.

- e-mail: Django's mail backend (SMTP in production, `EMAIL_*` settings);
- SMS: `ConsoleSmsProvider` (log line, the default), `FileSmsProvider`
  (one JSON object a line in NOTIFICATIONS_SMS_FILE_PATH) or
  `WebhookProvider` (POSTs JSON to NOTIFICATIONS_SMS_WEBHOOK_URL with a
  bearer token; the answer's `id` / `message_id` is the provider id);
- WhatsApp-style messaging: `WebhookProvider` configured with the
  NOTIFICATIONS_WHATSAPP_* settings (a messaging API behind one JSON POST);
- web push: not configured yet, so messages on that channel fail permanently.

A provider raises `PermanentFailure` for what retrying cannot fix (no
address, a 4xx answer) and any other exception for what it may (timeouts,
5xx, SMTP trouble); the dispatcher retries the latter with backoff.
"""

import json
import logging
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from email.utils import formataddr, parseaddr
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import make_msgid
from django.utils.module_loading import import_string

log = logging.getLogger("solibook.notifications")


class PermanentFailure(Exception):
    """Retrying will not help: the message is marked failed for good."""


@dataclass
class OutgoingMessage:
    channel: str
    to: str
    subject: str
    text: str
    html: str = ""
    from_name: str = ""
    language: str = "en"
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


class Provider:
    channel = ""

    def open(self) -> None:
        """Called once before a batch (open a connection, say)."""

    def close(self) -> None:
        """Called once after a batch, even when it failed."""

    def send(self, message: OutgoingMessage) -> str:
        raise NotImplementedError


class EmailProvider(Provider):
    """Django's configured mail backend; one connection per batch."""

    channel = "email"

    def __init__(self) -> None:
        self.connection = None

    def open(self) -> None:
        self.connection = None  # opened lazily by the first message

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None

    def send(self, message: OutgoingMessage) -> str:
        if not message.to:
            raise PermanentFailure("no e-mail address for this recipient")
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
        from_email = settings.DEFAULT_FROM_EMAIL
        if message.from_name:
            from_email = formataddr((message.from_name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
        message_id = make_msgid(domain=getattr(settings, "NOTIFICATIONS_CALENDAR_DOMAIN", None))
        email = EmailMultiAlternatives(
            subject=message.subject, body=message.text, from_email=from_email, to=[message.to],
            headers={"Message-ID": message_id, "Content-Language": message.language, "Auto-Submitted": "auto-generated"},
            connection=self.connection,
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        for filename, content, mimetype in message.attachments:
            email.attach(filename, content, mimetype)
        try:
            sent = email.send()
        except Exception:
            self.close()  # the connection may be half-broken: the next message opens a fresh one
            raise
        if not sent:
            raise RuntimeError("the mail backend accepted no message")
        return message_id


class ConsoleSmsProvider(Provider):
    """Development default: the SMS goes to the log."""

    channel = "sms"

    def send(self, message: OutgoingMessage) -> str:
        if not message.to:
            raise PermanentFailure("no phone number for this recipient")
        message_id = f"console-{uuid.uuid4()}"
        log.info("sms", extra={"to": message.to, "text": message.text, "message_id": message_id})
        return message_id


class FileSmsProvider(Provider):
    """Appends one JSON object a line to NOTIFICATIONS_SMS_FILE_PATH."""

    channel = "sms"

    def send(self, message: OutgoingMessage) -> str:
        if not message.to:
            raise PermanentFailure("no phone number for this recipient")
        message_id = f"file-{uuid.uuid4()}"
        path = Path(settings.NOTIFICATIONS_SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"id": message_id, "channel": message.channel, "to": message.to, "text": message.text}, ensure_ascii=False) + "\n")
        return message_id


class WebhookProvider(Provider):
    """A generic JSON messaging API: POST {channel, to, from, text, language}
    with `Authorization: Bearer <token>`; a 2xx answer carrying `id` or
    `message_id` is a sent message. 4xx (but 408/429) is permanent; 5xx,
    408, 429 and network errors are retried."""

    channel = "sms"
    setting_prefix = "NOTIFICATIONS_SMS"

    def __init__(self, *, url: str | None = None, token: str | None = None, sender: str | None = None, timeout: float | None = None) -> None:
        self.url = url if url is not None else getattr(settings, f"{self.setting_prefix}_WEBHOOK_URL", "")
        self.token = token if token is not None else getattr(settings, f"{self.setting_prefix}_WEBHOOK_TOKEN", "")
        self.sender = sender if sender is not None else getattr(settings, f"{self.setting_prefix}_SENDER", "")
        self.timeout = timeout if timeout is not None else getattr(settings, "NOTIFICATIONS_HTTP_TIMEOUT", 10)

    def send(self, message: OutgoingMessage) -> str:
        if not message.to:
            raise PermanentFailure("no phone number for this recipient")
        if not self.url.startswith(("https://", "http://")):
            raise PermanentFailure(f"{self.setting_prefix}_WEBHOOK_URL is not an http(s) URL")
        body = json.dumps(
            {"channel": message.channel, "to": message.to, "from": self.sender or message.from_name, "text": message.text, "language": message.language}
        ).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={"Content-Type": "application/json", "Accept": "application/json"})  # noqa: S310 - scheme checked above
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - scheme checked above
                answer = response.read(65536)
        except urllib.error.HTTPError as exc:
            detail = exc.read(500).decode(errors="replace")
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                raise PermanentFailure(f"provider refused the message: HTTP {exc.code} {detail}") from exc
            raise RuntimeError(f"provider error: HTTP {exc.code} {detail}") from exc
        try:
            data = json.loads(answer or b"{}")
        except ValueError as exc:
            raise RuntimeError("provider answered with invalid JSON") from exc
        message_id = str(data.get("id") or data.get("message_id") or "") if isinstance(data, dict) else ""
        if not message_id:
            raise RuntimeError("provider answer carries no message id")
        return message_id


class WhatsAppWebhookProvider(WebhookProvider):
    channel = "whatsapp"
    setting_prefix = "NOTIFICATIONS_WHATSAPP"


class UnconfiguredProvider(Provider):
    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, message: OutgoingMessage) -> str:
        raise PermanentFailure(f"no provider is configured for the {self.channel} channel")


def provider_for(channel: str) -> Provider:
    path = settings.NOTIFICATIONS_PROVIDERS.get(channel, "")
    if not path:
        return UnconfiguredProvider(channel)
    return import_string(path)()
