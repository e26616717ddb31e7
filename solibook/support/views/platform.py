"""The operator console's support desk (platform staff who answer tickets:
`answer_tickets`): the queue with its filters and SLA timers, a ticket's
thread with canned replies, assignment, status and priority, the live chat,
and the presence heartbeat that opens the chat on the site."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from solibook.accounts.access import platform_view
from solibook.accounts.roles import PlatformCapability
from solibook.core.refusals import refusals
from solibook.support import selectors, services
from solibook.support.forms import CannedForm, PriorityForm, StaffReplyForm, StatusForm
from solibook.support.models import CannedReply, Priority, Source, Status, Ticket
from solibook.support.uploads import from_uploaded_files

ANSWER = PlatformCapability.ANSWER_TICKETS


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() and len(str(value)) < 12 else None


@require_safe
@platform_view(capability=ANSWER)
def queue(request):
    filters = selectors.queue_filter(request.GET)
    now = timezone.now()
    rows = selectors.with_timers(
        selectors.queue(user=request.user, filters=filters, now=now)[:200], now=now
    )
    return render(
        request,
        "support/platform/queue.html",
        {
            "tickets": rows,
            "filters": filters,
            "statuses": Status.choices,
            "priorities": Priority.choices,
            "sources": Source.choices,
            "online": selectors.staff_online(now=now),
        },
    )


@require_POST
@platform_view(capability=ANSWER)
def heartbeat(request):
    """The console's support pages call this every 30 s (htmx): staff online."""
    services.presence_beat(user=request.user)
    return HttpResponse(
        format_html('<span class="badge text-bg-success">{}</span>', _("You are online for chat"))
    )


def _ticket(ticket_id: int) -> Ticket:
    ticket = Ticket.objects.select_related("assignee", "business", "requester_account").filter(
        pk=ticket_id
    )
    found = ticket.first()
    if found is None:
        raise Http404
    return found


@platform_view(capability=ANSWER)
def ticket(request, ticket_id: int):
    found = _ticket(ticket_id)
    canned = None
    if request.method == "GET" and _int(request.GET.get("canned")):
        canned = CannedReply.objects.filter(pk=_int(request.GET.get("canned"))).first()
    initial = {"body": canned.body_in(found.language)} if canned else {}
    form = StaffReplyForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            services.ticket_reply(
                ticket_id=found.pk,
                body=form.cleaned_data["body"],
                author=request.user,
                as_staff=True,
                via=Source.CHAT if found.is_chat else Source.WEB,
                status=form.cleaned_data["status"],
                attachments=from_uploaded_files(form.cleaned_data["attachments"]),
            )
        if not refused:
            messages.success(request, _("Reply sent."))
            return redirect("support:console_ticket", ticket_id=found.pk)
        status = refused.status
    elif request.method == "POST":
        status = 400
    found = _ticket(ticket_id)
    first, resolution = selectors.with_timers([found])[0].first_timer, found.resolution_timer
    return render(
        request,
        "support/platform/ticket.html",
        {
            "ticket": found,
            "thread": selectors.thread(found),
            "form": form,
            "canned_replies": selectors.canned_replies(),
            "canned": canned,
            "staff": selectors.support_staff(),
            "status_form": StatusForm(initial={"status": found.status}),
            "priority_form": PriorityForm(initial={"priority": found.priority}),
            "first": first,
            "resolution": resolution,
        },
        status=status,
    )


@require_safe
@platform_view(capability=ANSWER)
def messages_part(request, ticket_id: int):
    found = _ticket(ticket_id)
    return render(
        request,
        "support/public/_messages.html",
        {"ticket": found, "thread": selectors.thread(found), "viewer": "staff"},
    )


@require_POST
@platform_view(capability=ANSWER)
def assign(request, ticket_id: int):
    assignee = request.POST.get("assignee", "")
    with refusals(request=request, not_found_404=True) as refused:
        services.ticket_assign(
            ticket_id=ticket_id,
            assignee_id=request.user.pk if assignee == "me" else _int(assignee),
            expected_assignee_id=_int(request.POST.get("expected")),
            actor=request.user,
        )
    if not refused:
        messages.success(request, _("Assignment saved."))
    return redirect("support:console_ticket", ticket_id=ticket_id)


@require_POST
@platform_view(capability=ANSWER)
def status(request, ticket_id: int):
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("support:console_ticket", ticket_id=ticket_id)
    with refusals(request=request, not_found_404=True) as refused:
        services.ticket_set_status(
            ticket_id=ticket_id, status=form.cleaned_data["status"], actor=request.user
        )
    if not refused:
        messages.success(request, _("Status saved."))
    return redirect("support:console_ticket", ticket_id=ticket_id)


@require_POST
@platform_view(capability=ANSWER)
def priority(request, ticket_id: int):
    form = PriorityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a priority."))
        return redirect("support:console_ticket", ticket_id=ticket_id)
    with refusals(request=request, not_found_404=True) as refused:
        services.ticket_set_priority(
            ticket_id=ticket_id, priority=form.cleaned_data["priority"], actor=request.user
        )
    if not refused:
        messages.success(request, _("Priority saved: the SLA due times are recomputed."))
    return redirect("support:console_ticket", ticket_id=ticket_id)


@platform_view(capability=ANSWER)
def canned(request):
    form = CannedForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(form) as refused:
            services.canned_reply_save(
                title=data["title"],
                bodies={code: data[f"body_{code}"] for code in ("en", "fr", "ru", "ar")},
                actor=request.user,
            )
        if not refused:
            messages.success(request, _("Canned reply saved."))
            return redirect("support:canned")
        status = refused.status
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "support/platform/canned.html",
        {"form": form, "replies": selectors.canned_replies()},
        status=status,
    )
