"""The salon's back office: its tickets to the platform's support (owners and
managers: `manage_business`). Only the salon's own tickets are ever read."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.core.refusals import refusals
from solibook.support import selectors, services
from solibook.support.forms import TicketForm
from solibook.support.models import Source
from solibook.support.uploads import from_uploaded_files
from solibook.support.views.public import thread_page

MANAGE = Capability.MANAGE_BUSINESS


@backoffice_view(MANAGE)
def tickets(request):
    rows = selectors.tickets_of_business(request.business).order_by("-updated_at", "-id")[:200]
    return render(request, "support/office/tickets.html", {"tickets": rows})


@backoffice_view(MANAGE)
def ticket_new(request):
    form = TicketForm(request.POST or None, request.FILES or None, signed_in=True)
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            ticket = services.ticket_open(
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                requester_email=request.user.email,
                requester_name=request.user.full_name,
                requester_account=request.user,
                business=request.business,
                source=Source.OFFICE,
                language=get_language(),
                attachments=from_uploaded_files(form.cleaned_data["attachments"]),
                actor=request.user,
            )
        if not refused:
            messages.success(
                request, _("Request #%(number)s sent to support.") % {"number": ticket.pk}
            )
            return redirect(
                "support:office_ticket", business_slug=request.business.slug, ticket_id=ticket.pk
            )
        status = refused.status
    elif request.method == "POST":
        status = 400
    return render(request, "support/office/new.html", {"form": form}, status=status)


@backoffice_view(MANAGE)
def ticket(request, ticket_id: int):
    found = selectors.tickets_of_business(request.business).filter(pk=ticket_id).first()
    if found is None:
        raise Http404
    return thread_page(
        request,
        found,
        template="support/office/ticket.html",
        reply_url=request.path,
        context={"token": found.token},
    )
