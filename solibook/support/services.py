"""Every write of the support desk.

The door other areas call (the assistant's hand-over among them):

    ticket_open(*, subject: str, body: str, requester_email: str,
                requester_account: User | None = None, business: Business | None = None,
                source: str,            # support.models.Source: web, office, email,
                                        # assistant, chat, api
                transcript: list[dict] | None = None,   # [{"role": ..., "text": ...}]
                language: str,          # en, fr, ru or ar (anything else: en)
                requester_name: str = "", attachments: list[Upload] = (),
                actor: User | None = None, email_id: str = "",
                now: datetime | None = None) -> Ticket

It validates, writes the ticket and its first message in one transaction,
audit-logs, and e-mails the requester a receipt with the thread's link after
commit. Bad input raises `core.errors.ValidationFailed` with translated
messages per field.

Other writes: `ticket_reply` (requester or staff; staff replies go out by
e-mail), `ticket_assign` (to platform staff who answer tickets; a conditional
update, so two staff assigning at once cannot both win), `ticket_set_status`,
`ticket_set_priority`, `ticket_rate` (once), `presence_beat`,
`canned_reply_save`.
"""

import secrets
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.accounts.access import platform_can
from solibook.accounts.models import User
from solibook.accounts.roles import PlatformCapability
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, Forbidden, NotFound, refuse, refuse_fields
from solibook.support import mail, sla
from solibook.support.models import (
    Attachment,
    Author,
    CannedReply,
    Message,
    Priority,
    Source,
    StaffPresence,
    Status,
    Ticket,
)
from solibook.support.uploads import Upload, check

MAX_BODY = 10_000
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
STAFF_STATUSES = (Status.OPEN, Status.WAITING, Status.RESOLVED, Status.CLOSED)


def can_answer(user) -> bool:
    return bool(user) and platform_can(user, PlatformCapability.ANSWER_TICKETS)


def _language(language: str) -> str:
    language = (language or "").lower()[:2]
    return language if language in LANGUAGE_CODES else "en"


def _clean_body(body: str, field: str = "body") -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        refuse(_("Write a message."), field)
    if len(body) > MAX_BODY:
        refuse(
            _("The message is too long (at most %(limit)d characters).") % {"limit": MAX_BODY},
            field,
        )
    return body


def _save_attachments(message: Message, uploads: Sequence[Upload]) -> list[str]:
    """Write the files (already checked); their names, to remove them should the
    transaction fail: nothing is left half-saved."""
    saved = []
    for upload in uploads:
        attachment = Attachment(
            message=message,
            name=upload.name,
            content_type=upload.content_type,
            size=len(upload.data),
        )
        attachment.file.save(upload.name, ContentFile(upload.data), save=False)
        saved.append(attachment.file.name)
        attachment.save()
    return saved


def _remove_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def ticket_open(
    *,
    subject: str,
    body: str,
    requester_email: str,
    requester_account: User | None = None,
    business=None,
    source: str,
    transcript: list[dict] | None = None,
    language: str,
    requester_name: str = "",
    attachments: Sequence[Upload] = (),
    actor: User | None = None,
    email_id: str = "",
    now: datetime | None = None,
) -> Ticket:
    now = now or timezone.now()
    problems: dict[str, list[str]] = {}
    subject = " ".join((subject or "").split())
    if len(subject) < 3:
        problems["subject"] = [_("Say in a few words what it is about.")]
    elif len(subject) > 200:
        problems["subject"] = [_("The subject is too long (at most 200 characters).")]
    requester_email = (requester_email or "").strip().lower()
    try:
        validate_email(requester_email)
    except DjangoValidationError:
        problems["requester_email"] = [_("Enter the e-mail address where we can answer you.")]
    if source not in Source.values:
        problems["source"] = [_("Unknown source.")]
    try:
        body = _clean_body(body)
    except Exception as exc:  # a ValidationFailed: gather it with the others
        problems["body"] = [str(exc)]
    if problems:
        refuse_fields(problems)
    uploads = check(list(attachments))
    lines = [
        {"role": str(t.get("role", ""))[:20], "text": str(t.get("text", ""))[:2000]}
        for t in (transcript or [])[:200]
        if isinstance(t, dict)
    ]
    priority = sla.initial_priority(from_salon=business is not None)
    first_due, resolution_due = sla.due_times(priority=priority, created_at=now)
    saved: list[str] = []
    try:
        with transaction.atomic():
            ticket = Ticket.objects.create(
                token=secrets.token_hex(16),
                subject=subject,
                requester_email=requester_email,
                requester_name=(requester_name or "").strip()[:120]
                or (requester_account.full_name if requester_account else ""),
                requester_account=requester_account,
                business=business,
                source=source,
                language=_language(language),
                priority=priority,
                transcript=lines,
                created_at=now,
                updated_at=now,
                first_response_due=first_due,
                resolution_due=resolution_due,
            )
            message = Message.objects.create(
                ticket=ticket,
                author_kind=Author.REQUESTER,
                author=requester_account,
                body=body,
                via=source,
                email_id=(email_id or "")[:250],
                created_at=now,
            )
            saved = _save_attachments(message, uploads)
            audit_log(
                action="support.ticket_opened",
                actor=actor or requester_account,
                business=business,
                obj=ticket,
                data={"source": source, "attachments": len(uploads)},
            )
            mail.send_received(ticket)
    except BaseException:
        _remove_files(saved)
        raise
    return ticket


def _ticket_for_update(ticket_id: int) -> Ticket:
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(_("No such ticket."))
    return ticket


def _end_waiting(ticket: Ticket, now: datetime) -> None:
    """Restart the resolution clock: the time spent waiting is not counted."""
    if ticket.waiting_since is not None:
        ticket.paused_seconds += max(0, int((now - ticket.waiting_since).total_seconds()))
        ticket.waiting_since = None
        _first, ticket.resolution_due = sla.due_times(
            priority=ticket.priority,
            created_at=ticket.created_at,
            paused_seconds=ticket.paused_seconds,
        )


def _move(ticket: Ticket, status: str, now: datetime) -> None:
    if status != Status.WAITING:
        _end_waiting(ticket, now)
    elif ticket.waiting_since is None:
        ticket.waiting_since = now
    if status == Status.RESOLVED and ticket.status != Status.RESOLVED:
        ticket.resolved_at = now
    if status in (Status.NEW, Status.OPEN, Status.WAITING):
        ticket.resolved_at = None
        ticket.closed_at = None
    if status == Status.CLOSED:
        ticket.closed_at = ticket.closed_at or now
    ticket.status = status


def ticket_reply(
    *,
    ticket_id: int,
    body: str,
    author: User | None = None,
    as_staff: bool = False,
    via: str = Source.WEB,
    status: str = "",
    attachments: Sequence[Upload] = (),
    email_id: str = "",
    now: datetime | None = None,
) -> Message:
    """A reply on the thread. The caller has already checked the requester's
    right to the ticket (`support.selectors`); staff are checked here.

    Staff: the first reply meets the first-response timer; the ticket then
    waits on the requester (or takes `status`); the requester gets it by
    e-mail. Requester: the ticket reopens (a closed one refuses: open a new one).
    """
    now = now or timezone.now()
    if as_staff and not can_answer(author):
        raise Forbidden(_("Only support staff answer tickets."))
    body = _clean_body(body)
    uploads = check(list(attachments))
    if status and (not as_staff or status not in STAFF_STATUSES):
        refuse(_("Choose a status."), "status")
    saved: list[str] = []
    try:
        with transaction.atomic():
            ticket = _ticket_for_update(ticket_id)
            if ticket.status == Status.CLOSED and not as_staff:
                raise Conflict(
                    _("This request is closed. Please open a new one."), code="ticket_closed"
                )
            try:
                with transaction.atomic():
                    message = Message.objects.create(
                        ticket=ticket,
                        author_kind=Author.STAFF if as_staff else Author.REQUESTER,
                        author=author if author is not None and author.is_authenticated else None,
                        body=body,
                        via=via,
                        email_id=(email_id or "")[:250],
                        created_at=now,
                    )
            except IntegrityError:  # the same e-mail delivered twice: one reply
                raise Conflict(
                    _("This message is already on the thread."), code="duplicate"
                ) from None
            saved = _save_attachments(message, uploads)
            if as_staff:
                if ticket.first_responded_at is None:
                    ticket.first_responded_at = now
                if ticket.assignee_id is None:
                    ticket.assignee = author
                was = ticket.status
                _move(ticket, status or Status.WAITING, now)
                resolved = ticket.status == Status.RESOLVED and was != Status.RESOLVED
                if not ticket.is_chat:  # a live chat is read on its page, as it is typed
                    mail.send_reply(ticket, body, _staff_name(author), resolved=resolved)
                elif resolved:
                    mail.send_resolved(ticket)
            elif ticket.status != Status.NEW:
                _move(ticket, Status.OPEN, now)
            ticket.updated_at = now
            ticket.save()
            audit_log(
                action="support.staff_replied" if as_staff else "support.requester_replied",
                actor=author,
                business=ticket.business,
                obj=ticket,
                data={"status": ticket.status, "attachments": len(uploads)},
            )
    except BaseException:
        _remove_files(saved)
        raise
    return message


def _staff_name(user) -> str:
    return (user.get_short_name() if user is not None else "") or _("Support")


def _support_staff(user_id) -> User:
    user = User.objects.filter(pk=user_id, is_active=True, is_staff=True).first()
    if user is None or not can_answer(user):
        refuse(_("Tickets are assigned only to support staff."), "assignee", code="not_support")
    return user


def ticket_assign(
    *,
    ticket_id: int,
    assignee_id: int | None,
    expected_assignee_id: int | None,
    actor: User,
    now: datetime | None = None,
) -> Ticket:
    """Assign (or unassign, `assignee_id=None`) the ticket.

    `expected_assignee_id` is who the person saw assigned: the update happens
    only if that is still true. Two staff taking the same ticket at once: one
    wins, the other is told who has it (409), never silently overwritten.
    """
    now = now or timezone.now()
    if not can_answer(actor):
        raise Forbidden(_("Only support staff answer tickets."))
    assignee = _support_staff(assignee_id) if assignee_id is not None else None
    with transaction.atomic():
        if not Ticket.objects.filter(pk=ticket_id).exists():
            raise NotFound(_("No such ticket."))
        updated = Ticket.objects.filter(pk=ticket_id, assignee_id=expected_assignee_id).update(
            assignee=assignee, updated_at=now
        )
        ticket = Ticket.objects.select_related("assignee").get(pk=ticket_id)
        if not updated:
            holder = ticket.assignee.get_short_name() if ticket.assignee else _("nobody")
            raise Conflict(
                _("Someone changed this ticket meanwhile: it is now assigned to %(name)s.")
                % {"name": holder},
                code="assigned_meanwhile",
            )
        if ticket.status == Status.NEW and assignee is not None:
            Ticket.objects.filter(pk=ticket_id, status=Status.NEW).update(status=Status.OPEN)
            ticket.status = Status.OPEN
        audit_log(
            action="support.ticket_assigned",
            actor=actor,
            business=ticket.business,
            obj=ticket,
            data={"assignee": assignee_id},
        )
    return ticket


def ticket_set_status(
    *, ticket_id: int, status: str, actor: User, now: datetime | None = None
) -> Ticket:
    now = now or timezone.now()
    if not can_answer(actor):
        raise Forbidden(_("Only support staff answer tickets."))
    if status not in STAFF_STATUSES:
        refuse(_("Choose a status."), "status")
    with transaction.atomic():
        ticket = _ticket_for_update(ticket_id)
        was = ticket.status
        _move(ticket, status, now)
        ticket.updated_at = now
        ticket.save()
        if status == Status.RESOLVED and was != Status.RESOLVED:
            mail.send_resolved(ticket)
        audit_log(
            action="support.status_changed",
            actor=actor,
            business=ticket.business,
            obj=ticket,
            data={"from": was, "to": status},
        )
    return ticket


def ticket_set_priority(
    *, ticket_id: int, priority: str, actor: User, now: datetime | None = None
) -> Ticket:
    now = now or timezone.now()
    if not can_answer(actor):
        raise Forbidden(_("Only support staff answer tickets."))
    if priority not in Priority.values:
        refuse(_("Choose a priority."), "priority")
    with transaction.atomic():
        ticket = _ticket_for_update(ticket_id)
        ticket.priority = priority
        ticket.first_response_due, ticket.resolution_due = sla.due_times(
            priority=priority, created_at=ticket.created_at, paused_seconds=ticket.paused_seconds
        )
        ticket.updated_at = now
        ticket.save()
        audit_log(
            action="support.priority_changed",
            actor=actor,
            business=ticket.business,
            obj=ticket,
            data={"priority": priority},
        )
    return ticket


def ticket_rate(
    *, ticket_id: int, rating: int, comment: str = "", now: datetime | None = None
) -> Ticket:
    """The requester's satisfaction, 1 to 5, once, after the ticket is resolved."""
    now = now or timezone.now()
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        refuse(_("Choose a rating from 1 to 5."), "rating")
    comment = (comment or "").strip()[:2000]
    with transaction.atomic():
        ticket = Ticket.objects.filter(pk=ticket_id).first()
        if ticket is None:
            raise NotFound(_("No such ticket."))
        if ticket.status not in (Status.RESOLVED, Status.CLOSED):
            raise Conflict(
                _("You can rate the answer once the request is resolved."), code="not_resolved"
            )
        # One conditional update: two submissions at once cannot both count.
        updated = Ticket.objects.filter(pk=ticket_id, rating__isnull=True).update(
            rating=rating, rating_comment=comment, rated_at=now
        )
        if not updated:
            raise Conflict(_("You have already rated this answer. Thank you!"), code="rated")
        audit_log(
            action="support.rated",
            business=ticket.business,
            obj=ticket,
            data={"rating": rating},
        )
        ticket.refresh_from_db()
    return ticket


def presence_beat(*, user: User, now: datetime | None = None) -> StaffPresence:
    """Support staff's console is open: the live chat is offered on the site."""
    if not can_answer(user):
        raise Forbidden(_("Only support staff answer tickets."))
    now = now or timezone.now()
    presence, _created = StaffPresence.objects.update_or_create(
        user=user, defaults={"last_seen_at": now}
    )
    return presence


def canned_reply_save(
    *, title: str, bodies: dict[str, str], actor: User, reply_id: int | None = None
) -> CannedReply:
    if not can_answer(actor):
        raise Forbidden(_("Only support staff answer tickets."))
    title = " ".join((title or "").split())[:120]
    problems: dict[str, list[str]] = {}
    if not title:
        problems["title"] = [_("Give the reply a title.")]
    for code in ("en", "fr", "ru", "ar"):
        if not (bodies.get(code) or "").strip():
            problems[f"body_{code}"] = [_("Write the reply in every language.")]
    if problems:
        refuse_fields(problems)
    with transaction.atomic():
        reply = (
            CannedReply.objects.filter(pk=reply_id).first() if reply_id else CannedReply()
        ) or None
        if reply is None:
            raise NotFound(_("No such canned reply."))
        reply.title = title
        for code in ("en", "fr", "ru", "ar"):
            setattr(reply, f"body_{code}", bodies[code].strip())
        try:
            with transaction.atomic():
                reply.save()
        except IntegrityError:
            refuse(_("A canned reply with this title exists."), "title", code="duplicate")
        audit_log(action="support.canned_reply_saved", actor=actor, obj=reply)
    return reply
