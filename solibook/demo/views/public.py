"""The demo inbox page: only in the demo profile (settings.DEMO_INBOX)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from solibook.demo.forms import InboxFilterForm
from solibook.demo.selectors import inbox_messages

PAGE = 100


def inbox(request):
    """Every message the demo sent, newest first, optionally for one recipient."""
    if not settings.DEMO_INBOX:  # the route is not even mounted outside the demo
        raise Http404
    form = InboxFilterForm(request.GET or None)
    to = form.cleaned_data["to"] if form.is_valid() else ""
    return render(
        request,
        "demo/public/inbox.html",
        {"form": form, "to": to, "inbox": list(inbox_messages(to=to)[:PAGE])},
        status=200 if form.is_valid() or not request.GET else 400,
    )
