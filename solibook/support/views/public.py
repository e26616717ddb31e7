"""Pages for anyone: open a ticket (or a live chat when support is online),
a ticket's thread by its secret link (the one in every e-mail), the
satisfaction rating, and attachments for the people allowed to see them."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from solibook.core.refusals import refusals
from solibook.support import selectors, services
from solibook.support.forms import ChatForm, RatingForm, ReplyForm, TicketForm
from solibook.support.models import Attachment, Source, Status, Ticket
from solibook.support.uploads import from_uploaded_files

REQUESTER_FIELDS = {"requester_email": "email", "requester_name": "name"}


def _requester(request, form) -> dict:
    user = request.user
    if user.is_authenticated:
        return {
            "requester_email": user.email,
            "requester_account": user,
            "requester_name": user.full_name,
        }
    return {
        "requester_email": form.cleaned_data["email"],
        "requester_name": form.cleaned_data.get("name", ""),
    }


def _after_open(request, ticket: Ticket):
    if request.user.is_authenticated and ticket.requester_account_id == request.user.pk:
        return redirect("support:my_ticket", ticket_id=ticket.pk)
    return redirect("support:thread", token=ticket.token)


def home(request):
    """The ticket form; above it the live chat when someone of support is online."""
    signed_in = request.user.is_authenticated
    form = TicketForm(request.POST or None, request.FILES or None, signed_in=signed_in)
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusals(form, fields=REQUESTER_FIELDS) as refused:
            ticket = services.ticket_open(
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                source=Source.WEB,
                language=get_language(),
                attachments=from_uploaded_files(form.cleaned_data["attachments"]),
                **_requester(request, form),
            )
        if not refused:
            messages.success(
                request,
                _("Thank you: we received your request #%(number)s and e-mailed you a copy.")
                % {"number": ticket.pk},
            )
            return _after_open(request, ticket)
        status = refused.status
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "support/public/home.html",
        {
            "form": form,
            "chat_form": ChatForm(signed_in=signed_in, prefix="chat"),
            "online": selectors.staff_online(),
        },
        status=status,
    )


@require_POST
def chat_start(request):
    signed_in = request.user.is_authenticated
    form = ChatForm(request.POST, signed_in=signed_in, prefix="chat")  # ids unlike the form's
    if not selectors.staff_online():
        messages.info(request, _("Nobody from support is online just now: leave us a message."))
        return redirect("support:home")
    if form.is_valid():
        body = form.cleaned_data["body"]
        with refusals(form, fields=REQUESTER_FIELDS) as refused:
            ticket = services.ticket_open(
                subject=_("Chat: %(start)s") % {"start": " ".join(body.split())[:60]},
                body=body,
                source=Source.CHAT,
                language=get_language(),
                **_requester(request, form),
            )
        if not refused:
            return redirect("support:thread", token=ticket.token)
    return render(
        request,
        "support/public/home.html",
        {"form": TicketForm(signed_in=signed_in), "chat_form": form, "online": True},
        status=400,
    )


def _ticket_or_404(token: str) -> Ticket:
    ticket = selectors.ticket_by_token(token)
    if ticket is None:
        raise Http404
    return ticket


def thread_page(request, ticket: Ticket, *, template: str, reply_url: str, context=None):
    """The requester's view of a thread (by link or from the account) and its reply."""
    form = ReplyForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            services.ticket_reply(
                ticket_id=ticket.pk,
                body=form.cleaned_data["body"],
                author=request.user if request.user.is_authenticated else None,
                via=Source.CHAT if ticket.is_chat else Source.WEB,
                attachments=from_uploaded_files(form.cleaned_data["attachments"]),
            )
        if not refused:
            if request.headers.get("HX-Request"):
                return _messages(request, ticket, reply_url=reply_url)
            messages.success(request, _("Your reply is on the thread."))
            return redirect(reply_url)
        status = refused.status
    elif request.method == "POST":
        status = 400
    ticket.refresh_from_db()
    return render(
        request,
        template,
        {
            "ticket": ticket,
            "thread": selectors.thread(ticket),
            "form": form,
            "reply_url": reply_url,
            "can_rate": ticket.status in (Status.RESOLVED, Status.CLOSED) and ticket.rating is None,
            "closed": ticket.status == Status.CLOSED,
            **(context or {}),
        },
        status=status,
    )


def _messages(request, ticket: Ticket, *, reply_url: str = ""):
    return render(
        request,
        "support/public/_messages.html",
        {"ticket": ticket, "thread": selectors.thread(ticket), "viewer": "requester"},
    )


def thread(request, token: str):
    ticket = _ticket_or_404(token)
    return thread_page(
        request,
        ticket,
        template="support/public/thread.html",
        reply_url=request.path,
        context={"token": token},
    )


@require_safe
def messages_part(request, token: str):
    """The thread alone, which the live chat's page polls."""
    ticket = _ticket_or_404(token)
    return render(
        request,
        "support/public/_messages.html",
        {"ticket": ticket, "thread": selectors.thread(ticket), "token": token},
    )


def rate(request, token: str):
    ticket = _ticket_or_404(token)
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            services.ticket_rate(
                ticket_id=ticket.pk,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        if not refused:
            messages.success(request, _("Thank you for rating our answer."))
            return redirect("support:rate", token=token)
        status = refused.status
    elif request.method == "POST":
        status = 400
    ticket.refresh_from_db()
    return render(
        request, "support/public/rate.html", {"ticket": ticket, "form": form}, status=status
    )


@require_safe
def attachment(request, attachment_id: int):
    item = Attachment.objects.select_related("message__ticket").filter(pk=attachment_id).first()
    token = request.GET.get("t", "")[:40]
    if item is None or not selectors.can_see_attachment(
        user=request.user, attachment=item, token=token
    ):
        raise Http404  # the same answer for a missing file and a refused one
    inline = item.content_type.startswith("image/") or item.content_type == "application/pdf"
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=not inline,
        filename=item.name,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
