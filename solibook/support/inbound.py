"""E-mail in: an SMTP server (aiosmtpd) whose handler turns each message into
a ticket, or into a reply on a ticket's thread.

- Mail to `support+<token>@<domain>` (the reply address of every e-mail the
  desk sends) is a reply on that ticket, accepted only from the requester's
  own address (the token alone could be forwarded).
- Mail to `support@<domain>` opens a new ticket for its sender.
- Anything else is refused at RCPT time (`550`): the server relays nothing.
- Attachments go through the same checks as the pages' (`support.uploads`); an
  oversized one refuses the whole message (`552`), so the sender's server
  bounces it with the reason and nothing is half-saved.
- Auto-replies (`Auto-Submitted`, `Precedence: bulk`) are accepted and dropped:
  no mail loop with an out-of-office responder.
- A message delivered twice (same Message-ID) is one reply.

`manage.py run_support_smtp` runs it; the ORM work runs in a worker thread.
"""

import asyncio
import logging
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

from django.db import close_old_connections
from django.utils import translation
from django.utils.html import strip_tags

from solibook.accounts.models import User
from solibook.core.errors import Conflict, DomainError, ValidationFailed
from solibook.support import mail, services
from solibook.support.models import Source, Ticket
from solibook.support.uploads import Upload

DATA_SIZE_LIMIT = 25 * 1024 * 1024
QUOTE_HEADER = re.compile(
    r"^(On .+ wrote:|Le .+ a écrit\s?:|.+ пишет:|-----Original Message-----)$", re.I
)
TOKEN = re.compile(r"^[0-9a-f]{32}$")
log = logging.getLogger(__name__)


def _address_parts() -> tuple[str, str]:
    local, _at, domain = mail.support_address().lower().partition("@")
    return local, domain


def recipient_token(address: str) -> str | None:
    """ "" for the desk's own address, the token for its plus-address, None for
    anything that is not ours."""
    local, _at, domain = (address or "").strip().lower().partition("@")
    ours_local, ours_domain = _address_parts()
    if domain != ours_domain:
        return None
    base, plus, tag = local.partition("+")
    if base != ours_local:
        return None
    if not plus:
        return ""
    return tag if TOKEN.match(tag) else None


def strip_quoted(text: str) -> str:
    """The new part of a reply: what comes before the quoted earlier message."""
    kept: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith(">") or QUOTE_HEADER.match(line.strip()):
            break
        kept.append(line)
    return "\n".join(kept).strip() or text.strip()


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_type() == "text/html":
        content = strip_tags(content)
    return str(content)


def _attachments(message: EmailMessage) -> list[Upload]:
    uploads = []
    for part in message.iter_attachments():
        data = part.get_payload(decode=True) or b""
        uploads.append(
            Upload(part.get_filename() or "attachment", part.get_content_type(), bytes(data))
        )
    return uploads


def _language(message: EmailMessage, account: User | None) -> str:
    if account is not None:
        return account.language
    # A multipart message carries it on its text part.
    body = message.get_body(preferencelist=("plain", "html"))
    declared = message.get("Content-Language") or (body.get("Content-Language") if body else "")
    return str(declared or "en")[:2].lower()


def receive(*, mail_from: str, rcpt_tos: list[str], data: bytes) -> str:
    """Handle one message; the SMTP reply to give (English: it is for servers)."""
    with translation.override("en"):
        return _receive(mail_from=mail_from, rcpt_tos=rcpt_tos, data=data)


def _receive(*, mail_from: str, rcpt_tos: list[str], data: bytes) -> str:
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    auto = str(message.get("Auto-Submitted", "no")).lower()
    if auto != "no" or str(message.get("Precedence", "")).lower() in ("bulk", "junk", "list"):
        return "250 OK: automatic message ignored"
    sender = parseaddr(str(message.get("From", "")))[1] or mail_from
    sender = sender.strip().lower()
    tokens = [t for t in (recipient_token(r) for r in rcpt_tos) if t is not None]
    token = next((t for t in tokens if t), "")
    email_id = str(message.get("Message-ID", "") or "").strip()[:250]
    body = _body(message)
    account = User.objects.filter(email__iexact=sender, is_active=True).first()
    try:
        if token:
            ticket = Ticket.objects.filter(token=token).first()
            if ticket is None:
                return "550 5.1.1 No such request"
            if sender != ticket.requester_email.lower():
                return "550 5.7.1 Only the requester's address can reply to this request"
            services.ticket_reply(
                ticket_id=ticket.pk,
                body=strip_quoted(body),
                author=account if account and account.pk == ticket.requester_account_id else None,
                via=Source.EMAIL,
                attachments=_attachments(message),
                email_id=email_id,
            )
            return "250 OK: reply added"
        if (
            email_id
            and Ticket.objects.filter(messages__email_id=email_id, requester_email=sender).exists()
        ):
            return "250 OK: already received"
        ticket = services.ticket_open(
            subject=str(message.get("Subject", "") or "").strip() or "(no subject)",
            body=body,
            requester_email=sender,
            requester_account=account if account and account.email_verified else None,
            requester_name=parseaddr(str(message.get("From", "")))[0],
            source=Source.EMAIL,
            language=_language(message, account),
            attachments=_attachments(message),
            email_id=email_id,
        )
        return f"250 OK: request #{ticket.pk} opened"
    except ValidationFailed as refused:
        status = "552 5.3.4" if refused.code == "too_large" else "550 5.6.0"
        return f"{status} {_ascii(refused.message)}"
    except Conflict as refused:
        if refused.code == "duplicate":
            return "250 OK: already received"
        return f"550 5.7.1 {_ascii(refused.message)}"
    except DomainError as refused:
        return f"550 5.7.1 {_ascii(refused.message)}"


def _ascii(text: str) -> str:
    return text.encode("ascii", "replace").decode().replace("\n", " ")[:400]


class SupportHandler:
    """aiosmtpd handler: refuses foreign recipients, hands each message to
    `receive` in a thread (the ORM is synchronous)."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if recipient_token(address) is None:
            return "550 5.1.1 Not a support address"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        return await asyncio.to_thread(
            _receive_in_thread, envelope.mail_from or "", list(envelope.rcpt_tos), data
        )


def _receive_in_thread(mail_from: str, rcpt_tos: list[str], data: bytes) -> str:
    close_old_connections()
    try:
        return receive(mail_from=mail_from, rcpt_tos=rcpt_tos, data=data)
    except Exception:  # never leave the sender without an answer
        log.exception("support e-mail in failed")
        return "451 4.3.0 Temporary failure, try again later"
    finally:
        close_old_connections()
