"""Reads of the support desk: who may see a ticket, the queues, presence."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from solibook.accounts.access import platform_can
from solibook.accounts.models import User
from solibook.accounts.roles import PlatformCapability
from solibook.support import sla
from solibook.support.models import (
    Attachment,
    CannedReply,
    Priority,
    Source,
    StaffPresence,
    Status,
    Ticket,
)

PRESENCE_SECONDS = 90  # a console page beats every 30 s: three missed beats and chat closes
OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.WAITING)


def is_support_staff(user) -> bool:
    return bool(user) and platform_can(user, PlatformCapability.ANSWER_TICKETS)


def tickets_of_requester(user) -> QuerySet[Ticket]:
    """The signed-in client's tickets: opened from their account, or as a guest
    with the e-mail address they have since verified."""
    if not user.is_authenticated:
        return Ticket.objects.none()
    mine = Q(requester_account=user)
    if user.email_verified_at is not None:
        mine |= Q(requester_account__isnull=True, requester_email__iexact=user.email)
    return Ticket.objects.filter(mine, business__isnull=True)


def tickets_of_business(business) -> QuerySet[Ticket]:
    return Ticket.objects.filter(business=business)


def ticket_by_token(token: str) -> Ticket | None:
    if not token or len(token) != 32:
        return None
    return Ticket.objects.filter(token=token).first()


def requester_ticket(user, ticket_id: int) -> Ticket | None:
    return tickets_of_requester(user).filter(pk=ticket_id).first()


def can_see_attachment(*, user, attachment: Attachment, token: str = "") -> bool:
    """Staff who answer tickets, the requester (account or the ticket's link) and
    the members of the ticket's salon who may manage it."""
    ticket = attachment.message.ticket
    if token and token == ticket.token:
        return True
    if not user.is_authenticated:
        return False
    if is_support_staff(user):
        return True
    if ticket.business_id is not None:
        from solibook.accounts.access import memberships_of
        from solibook.accounts.roles import Capability

        return any(
            m.business_id == ticket.business_id and m.can(Capability.MANAGE_BUSINESS)
            for m in memberships_of(user)
        )
    return tickets_of_requester(user).filter(pk=ticket.pk).exists()


@dataclass(frozen=True)
class QueueFilter:
    status: str = "active"  # active (new, open, waiting), or one status, or "all"
    priority: str = ""
    assignee: str = ""  # "", "me", "none"
    source: str = ""
    breached: bool = False
    query: str = ""


def queue_filter(params) -> QueueFilter:
    """The queue's filters from a query string; unknown values are ignored."""
    status = params.get("status", "active")
    priority, source = params.get("priority", ""), params.get("source", "")
    assignee = params.get("assignee", "")
    return QueueFilter(
        status=status if status in ("active", "all", *Status.values) else "active",
        priority=priority if priority in Priority.values else "",
        assignee=assignee if assignee in ("me", "none") else "",
        source=source if source in Source.values else "",
        breached=str(params.get("breached", "")) in ("1", "True", "true"),
        query=str(params.get("q", "")).strip()[:100],
    )


def queue(*, user, filters: QueueFilter, now: datetime | None = None) -> QuerySet[Ticket]:
    now = now or timezone.now()
    tickets = Ticket.objects.select_related("assignee", "business")
    if filters.status == "active":
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif filters.status in Status.values:
        tickets = tickets.filter(status=filters.status)
    if filters.priority:
        tickets = tickets.filter(priority=filters.priority)
    if filters.assignee == "me":
        tickets = tickets.filter(assignee=user)
    elif filters.assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    if filters.source:
        tickets = tickets.filter(source=filters.source)
    if filters.breached:
        # Still running and past due (first response or resolution, waiting excluded).
        tickets = tickets.filter(
            Q(first_responded_at__isnull=True, first_response_due__lt=now)
            | Q(waiting_since__isnull=True, resolution_due__lt=now),
            status__in=OPEN_STATUSES,
        )
    if filters.query:
        q = filters.query[:100]
        by_id = Q(pk=int(q.lstrip("#"))) if q.lstrip("#").isdigit() and len(q) < 12 else Q()
        tickets = tickets.filter(by_id | Q(subject__icontains=q) | Q(requester_email__icontains=q))
    return tickets.order_by("resolution_due", "id")


def with_timers(tickets, *, now: datetime | None = None) -> list[Ticket]:
    """The tickets with `first_timer` and `resolution_timer` (support.sla) set."""
    now = now or timezone.now()
    rows = list(tickets)
    for ticket in rows:
        ticket.first_timer, ticket.resolution_timer = sla.timers(ticket, now=now)
    return rows


def support_staff() -> list[User]:
    staff = User.objects.filter(is_active=True, is_staff=True).order_by("full_name", "id")
    return [user for user in staff if is_support_staff(user)]


def staff_online(*, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    since = now - timedelta(seconds=PRESENCE_SECONDS)
    return StaffPresence.objects.filter(
        last_seen_at__gte=since, user__is_active=True, user__is_staff=True
    ).exists()


def canned_replies() -> QuerySet[CannedReply]:
    return CannedReply.objects.all()


def thread(ticket: Ticket):
    return ticket.messages.select_related("author").prefetch_related("attachments")
