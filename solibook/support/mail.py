"""E-mail out of the desk: to the requester, in the requester's language.

Every message carries the ticket's reply address, `support+<token>@<domain>`
(plus-addressing), so an answer by e-mail lands on the ticket's thread
(`support.inbound`). Sent after the transaction commits, never inside it.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from solibook.support.models import Ticket


def support_address() -> str:
    return getattr(settings, "SUPPORT_EMAIL", "support@solibook.localhost")


def reply_address(ticket: Ticket) -> str:
    local, _at, domain = support_address().partition("@")
    return f"{local}+{ticket.token}@{domain}"


def site_url() -> str:
    return getattr(settings, "NOTIFICATIONS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def thread_url(ticket: Ticket) -> str:
    with translation.override(ticket.language):
        return site_url() + reverse("support:thread", args=[ticket.token])


def rating_url(ticket: Ticket) -> str:
    with translation.override(ticket.language):
        return site_url() + reverse("support:rate", args=[ticket.token])


def _send(ticket: Ticket, subject: str, body: str) -> None:
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[ticket.requester_email],
        reply_to=[reply_address(ticket)],
        headers={"X-Solibook-Ticket": str(ticket.pk)},
    )
    transaction.on_commit(lambda: message.send(fail_silently=True))


def _footer() -> str:
    return _("Reply to this e-mail to add to the conversation, or follow the link.")


def send_received(ticket: Ticket) -> None:
    with translation.override(ticket.language):
        subject = _("[#%(number)s] We received your request: %(subject)s") % {
            "number": ticket.pk,
            "subject": ticket.subject,
        }
        body = "\n\n".join(
            [
                _("Hello,"),
                _("Thank you for writing to us. Your request number is #%(number)s.")
                % {"number": ticket.pk},
                _("Follow the conversation here: %(url)s") % {"url": thread_url(ticket)},
                _footer(),
            ]
        )
    _send(ticket, subject, body)


def send_reply(ticket: Ticket, text: str, staff_name: str, *, resolved: bool = False) -> None:
    with translation.override(ticket.language):
        subject = _("[#%(number)s] New reply: %(subject)s") % {
            "number": ticket.pk,
            "subject": ticket.subject,
        }
        body = "\n\n".join(
            [
                _("%(name)s from support wrote:") % {"name": staff_name},
                text,
                _("Read the conversation: %(url)s") % {"url": thread_url(ticket)},
                *(
                    [
                        _(
                            "We marked your request as resolved. How did we do? Rate our answer "
                            "(1 to 5): %(url)s"
                        )
                        % {"url": rating_url(ticket)}
                    ]
                    if resolved
                    else []
                ),
                _footer(),
            ]
        )
    _send(ticket, subject, body)


def send_resolved(ticket: Ticket) -> None:
    with translation.override(ticket.language):
        subject = _("[#%(number)s] Your request is resolved: %(subject)s") % {
            "number": ticket.pk,
            "subject": ticket.subject,
        }
        body = "\n\n".join(
            [
                _("We marked your request #%(number)s as resolved.") % {"number": ticket.pk},
                _("How did we do? Rate our answer (1 to 5): %(url)s") % {"url": rating_url(ticket)},
                _("Still need help? Just reply to this e-mail and the request reopens."),
            ]
        )
    _send(ticket, subject, body)
