"""The signed-in client's tickets (their account's "Help" page)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from solibook.support import selectors
from solibook.support.views.public import thread_page


@login_required
def tickets(request):
    rows = selectors.tickets_of_requester(request.user).order_by("-updated_at", "-id")[:200]
    return render(request, "support/client/tickets.html", {"tickets": rows, "tab": "support"})


@login_required
def ticket(request, ticket_id: int):
    found = selectors.requester_ticket(request.user, ticket_id)
    if found is None:
        raise Http404  # another person's ticket is not found, not forbidden
    return thread_page(
        request,
        found,
        template="support/client/ticket.html",
        reply_url=request.path,
        context={"token": found.token},
    )
