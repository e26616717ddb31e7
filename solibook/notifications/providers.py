"""Channels behind one small interface: `send(message) -> provider message id`.

- e-mail: Django's mail backend (SMTP in production, `EMAIL_*` settings);
- SMS: `ConsoleSmsProvider` (log line, the default), `FileSmsProvider`
  (one JSON object a line in NOTIFICATIONS_SMS_FILE_PATH), `TwilioSmsProvider`
  (Twilio's Messages API: form POST, basic auth, the answer's `sid`) or
  `WebhookProvider` (POSTs JSON to NOTIFICATIONS_SMS_WEBHOOK_URL with a
  bearer token; the answer's `id` / `message_id` is the provider id);
- WhatsApp-style messaging: `WhatsAppCloudProvider` (the WhatsApp Business
  Cloud API's `/<phone number id>/messages`, answer `messages[0].id`), or
  `WhatsAppWebhookProvider` (the generic JSON webhook);
- web push: `WebPushProvider` (VAPID, RFC 8030/8291/8292 through pywebpush)
  to every device the client subscribed; see `push`.

A provider raises `PermanentFailure` for what retrying cannot fix (no
address, a 4xx answer) and any other exception for what it may (timeouts,
5xx, SMTP trouble); the dispatcher retries the latter with backoff.
"""

import base64
import json
import logging
import smtplib
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from email.utils import formataddr, parseaddr
from pathlib import Path

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
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
    link: str = ""
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)
    # The same on every attempt at one notification (`Notification.delivery_key`):
    # the e-mail's Message-ID, the idempotency key of providers that take one.
    key: str = ""
    # More e-mail headers (a campaign's List-Unsubscribe and List-Unsubscribe-Post).
    headers: dict[str, str] = field(default_factory=dict)


def message_id_for(key: str) -> str:
    """A stable Message-ID: a resend after a crash carries the same one, so
    receiving servers and mail clients that deduplicate show it once."""
    domain = getattr(settings, "NOTIFICATIONS_CALENDAR_DOMAIN", None) or "solibook.localhost"
    return f"<{key}@{domain}>" if key else make_msgid(domain=domain)


def check_email(address: str) -> None:
    from django.core.validators import validate_email

    if not address:
        raise PermanentFailure("no e-mail address for this recipient")
    try:
        validate_email(address)
    except ValidationError as exc:
        raise PermanentFailure(f"invalid e-mail address: {address!r}") from exc


def check_phone(number: str) -> str:
    """The number in E.164, or PermanentFailure."""
    if not number:
        raise PermanentFailure("no phone number for this recipient")
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException as exc:
        raise PermanentFailure(f"invalid phone number: {number!r}") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise PermanentFailure(f"invalid phone number: {number!r}")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def http_json(request: urllib.request.Request, *, timeout: float) -> dict:
    """Send, answer's JSON. 4xx (but 408/429) is PermanentFailure; 5xx, 408,
    429, timeouts and network errors raise something retryable."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - callers check the scheme
            answer = response.read(65536)
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode(errors="replace")
        if 400 <= exc.code < 500 and exc.code not in (408, 429):
            raise PermanentFailure(
                f"provider refused the message: HTTP {exc.code} {detail}"
            ) from exc
        raise RuntimeError(f"provider error: HTTP {exc.code} {detail}") from exc
    try:
        data = json.loads(answer or b"{}")
    except ValueError as exc:
        raise RuntimeError("provider answered with invalid JSON") from exc
    return data if isinstance(data, dict) else {}


def _http_url(url: str, name: str) -> str:
    if not url.startswith(("https://", "http://")):
        raise PermanentFailure(f"{name} is not an http(s) URL")
    return url


class Provider:
    channel = ""

    def open(self) -> None:
        """Called once before a batch (open a connection, say)."""

    def close(self) -> None:
        """Called once after a batch, even when it failed."""

    def send(self, message: OutgoingMessage) -> str:
        raise NotImplementedError


class EmailProvider(Provider):
    """Django's configured mail backend. Between `open()` and `close()` (the
    dispatcher's batch) one SMTP connection carries every message; a message
    that fails closes it and the next one connects again. Without `open()` (a
    single message from another area) each send connects and hangs up."""

    channel = "email"

    def __init__(self) -> None:
        self.connection = None
        self.batch = False

    def open(self) -> None:
        self.batch = True
        self.connection = None  # connected by the first message

    def close(self) -> None:
        self.batch = False
        self.drop()

    def drop(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None

    def send(self, message: OutgoingMessage) -> str:
        check_email(message.to)
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
        from_email = settings.DEFAULT_FROM_EMAIL
        if message.from_name:
            from_email = formataddr((message.from_name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
        message_id = message_id_for(message.key)
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=from_email,
            to=[message.to],
            headers={
                "Message-ID": message_id,
                "Content-Language": message.language,
                "Auto-Submitted": "auto-generated",
                **message.headers,
            },
            connection=self.connection,
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        for filename, content, mimetype in message.attachments:
            email.attach(filename, content, mimetype)
        try:
            if self.batch:
                # Opened here, the backend's send_messages leaves it open for the
                # batch's next message (it hangs up only on what it opened itself).
                self.connection.open()
            sent = email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            if codes and all(code >= 500 for code in codes):  # 5xx: the address does not exist
                raise PermanentFailure(
                    f"the mail server refused the address: {exc.recipients}"
                ) from exc
            raise
        except Exception:
            self.drop()  # the connection may be half-broken: the next message opens a fresh one
            raise
        if not sent:
            raise RuntimeError("the mail backend accepted no message")
        return message_id


class ConsoleSmsProvider(Provider):
    """Development default: the SMS goes to the log."""

    channel = "sms"

    def send(self, message: OutgoingMessage) -> str:
        check_phone(message.to)
        message_id = f"console-{uuid.uuid4()}"
        log.info("sms", extra={"to": message.to, "text": message.text, "message_id": message_id})
        return message_id


class FileSmsProvider(Provider):
    """Appends one JSON object a line to NOTIFICATIONS_SMS_FILE_PATH."""

    channel = "sms"

    def send(self, message: OutgoingMessage) -> str:
        to = check_phone(message.to)
        message_id = f"file-{uuid.uuid4()}"
        path = Path(settings.NOTIFICATIONS_SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(
                json.dumps(
                    {"id": message_id, "channel": message.channel, "to": to, "text": message.text},
                    ensure_ascii=False,
                )
                + "\n"
            )
        return message_id


class WebhookProvider(Provider):
    """A generic JSON messaging API: POST {channel, to, from, text, language,
    idempotency_key} with `Authorization: Bearer <token>` and the same key as an
    `Idempotency-Key` header (the same on every attempt at one message, so the
    gateway can drop a repeat after a crash); a 2xx answer carrying `id` or
    `message_id` is a sent message. 4xx (but 408/429) is permanent; 5xx,
    408, 429 and network errors are retried."""

    channel = "sms"
    setting_prefix = "NOTIFICATIONS_SMS"

    def __init__(
        self,
        *,
        url: str | None = None,
        token: str | None = None,
        sender: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.url = (
            url if url is not None else getattr(settings, f"{self.setting_prefix}_WEBHOOK_URL", "")
        )
        self.token = (
            token
            if token is not None
            else getattr(settings, f"{self.setting_prefix}_WEBHOOK_TOKEN", "")
        )
        self.sender = (
            sender if sender is not None else getattr(settings, f"{self.setting_prefix}_SENDER", "")
        )
        self.timeout = (
            timeout if timeout is not None else getattr(settings, "NOTIFICATIONS_HTTP_TIMEOUT", 10)
        )

    def send(self, message: OutgoingMessage) -> str:
        to = check_phone(message.to)
        url = _http_url(self.url, f"{self.setting_prefix}_WEBHOOK_URL")
        body = json.dumps(
            {
                "channel": message.channel,
                "to": to,
                "from": self.sender or message.from_name,
                "text": message.text,
                "language": message.language,
                **({"idempotency_key": message.key} if message.key else {}),
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        if message.key:  # the gateway drops a repeat of a message it already took
            request.add_header("Idempotency-Key", message.key)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        data = http_json(request, timeout=self.timeout)
        message_id = str(data.get("id") or data.get("message_id") or "")
        if not message_id:
            raise RuntimeError("provider answer carries no message id")
        return message_id


class WhatsAppWebhookProvider(WebhookProvider):
    channel = "whatsapp"
    setting_prefix = "NOTIFICATIONS_WHATSAPP"


class TwilioSmsProvider(Provider):
    """Twilio's Messages API: POST {base}/2010-04-01/Accounts/{sid}/Messages.json,
    form fields To, From (or MessagingServiceSid), Body; HTTP basic auth with
    the account SID and auth token. The answer's `sid` is the message id."""

    channel = "sms"

    def __init__(
        self,
        *,
        base_url: str | None = None,
        account_sid: str | None = None,
        auth_token: str | None = None,
        sender: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.base_url = (
            base_url if base_url is not None else settings.NOTIFICATIONS_TWILIO_BASE_URL
        ).rstrip("/")
        self.account_sid = (
            account_sid if account_sid is not None else settings.NOTIFICATIONS_TWILIO_ACCOUNT_SID
        )
        self.auth_token = (
            auth_token if auth_token is not None else settings.NOTIFICATIONS_TWILIO_AUTH_TOKEN
        )
        self.sender = sender if sender is not None else settings.NOTIFICATIONS_TWILIO_FROM
        self.timeout = timeout if timeout is not None else settings.NOTIFICATIONS_HTTP_TIMEOUT

    def send(self, message: OutgoingMessage) -> str:
        to = check_phone(message.to)
        if not (self.account_sid and self.auth_token and self.sender):
            raise PermanentFailure(
                "NOTIFICATIONS_TWILIO_ACCOUNT_SID, _AUTH_TOKEN and _FROM must be set"
            )
        url = _http_url(
            f"{self.base_url}/2010-04-01/Accounts/{urllib.parse.quote(self.account_sid)}/Messages.json",
            "NOTIFICATIONS_TWILIO_BASE_URL",
        )
        sender = (
            {"MessagingServiceSid": self.sender}
            if self.sender.startswith("MG")
            else {"From": self.sender}
        )
        body = urllib.parse.urlencode({"To": to, **sender, "Body": message.text}).encode()
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "Authorization": f"Basic {credentials}",
            },
        )
        data = http_json(request, timeout=self.timeout)
        if data.get("status") == "failed" or data.get("error_code"):
            raise PermanentFailure(
                f"provider refused the message: {data.get('error_code')} {data.get('error_message')}"
            )
        if not data.get("sid"):
            raise RuntimeError("provider answer carries no message sid")
        return str(data["sid"])


class WhatsAppCloudProvider(Provider):
    """The WhatsApp Business Cloud API: POST {base}/{phone number id}/messages
    with a bearer token and {"messaging_product": "whatsapp", "to", "type":
    "text", "text": {"body"}}; the answer's `messages[0].id` is the message id.
    (Outside the 24-hour customer window WhatsApp accepts only approved
    templates: set NOTIFICATIONS_WHATSAPP_TEMPLATE to send the text as the
    single parameter of that template instead.)"""

    channel = "whatsapp"

    def __init__(
        self,
        *,
        base_url: str | None = None,
        phone_number_id: str | None = None,
        token: str | None = None,
        template: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.base_url = (
            base_url if base_url is not None else settings.NOTIFICATIONS_WHATSAPP_API_URL
        ).rstrip("/")
        self.phone_number_id = (
            phone_number_id
            if phone_number_id is not None
            else settings.NOTIFICATIONS_WHATSAPP_PHONE_NUMBER_ID
        )
        self.token = token if token is not None else settings.NOTIFICATIONS_WHATSAPP_TOKEN
        self.template = (
            template if template is not None else settings.NOTIFICATIONS_WHATSAPP_TEMPLATE
        )
        self.timeout = timeout if timeout is not None else settings.NOTIFICATIONS_HTTP_TIMEOUT

    def payload(self, to: str, message: OutgoingMessage) -> dict:
        base = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to.lstrip("+"),
        }
        if self.template:
            return {
                **base,
                "type": "template",
                "template": {
                    "name": self.template,
                    "language": {"code": message.language},
                    "components": [
                        {"type": "body", "parameters": [{"type": "text", "text": message.text}]}
                    ],
                },
            }
        return {
            **base,
            "type": "text",
            "text": {"preview_url": bool(message.link), "body": message.text},
        }

    def send(self, message: OutgoingMessage) -> str:
        to = check_phone(message.to)
        if not (self.phone_number_id and self.token):
            raise PermanentFailure("NOTIFICATIONS_WHATSAPP_PHONE_NUMBER_ID and _TOKEN must be set")
        url = _http_url(
            f"{self.base_url}/{urllib.parse.quote(self.phone_number_id)}/messages",
            "NOTIFICATIONS_WHATSAPP_API_URL",
        )
        request = urllib.request.Request(  # noqa: S310 - scheme checked
            url,
            data=json.dumps(self.payload(to, message)).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        data = http_json(request, timeout=self.timeout)
        messages = data.get("messages") or []
        message_id = messages[0].get("id") if messages and isinstance(messages[0], dict) else None
        if not message_id:
            raise RuntimeError("provider answer carries no message id")
        return str(message_id)


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
