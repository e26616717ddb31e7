"""The client's own visits as a calendar feed: a page in the client's account
to get (or replace, or stop) the private address, and the feed itself, which
calendar apps read without logging in (the unguessable secret is the key; a
replaced or stopped one is a 404)."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from solibook.calendarsync import selectors, services
from solibook.calendarsync.feed import client_feed

PAST_DAYS = 90
AHEAD_DAYS = 366


@login_required
def feed_page(request):
    return render(
        request,
        "calendarsync/client/feed.html",
        {
            "active": selectors.client_feed_active(account=request.user),
            "new_url": request.session.pop("calendarsync_feed_url", ""),
            "tab": "calendar",
        },
    )


@login_required
@require_POST
def feed_issue(request):
    secret = services.client_feed_issue(account=request.user)
    # Shown once, on the next page; only its hash is stored.
    request.session["calendarsync_feed_url"] = request.build_absolute_uri(
        reverse("calendarsync:client_feed", args=[secret])
    )
    messages.success(
        request, _("Your calendar address is ready. Any earlier address stopped working.")
    )
    return redirect("calendarsync:feed_page")


@login_required
@require_POST
def feed_revoke(request):
    services.client_feed_revoke(account=request.user)
    messages.success(request, _("Your calendar address stopped working."))
    return redirect("calendarsync:feed_page")


@require_GET
def client_feed_view(request, token: str):
    now = timezone.now()
    account, visits = selectors.client_feed_visits(
        token=token, since=now - timedelta(days=PAST_DAYS), until=now + timedelta(days=AHEAD_DAYS)
    )
    if account is None:
        raise Http404
    body = client_feed(visits, name=_("My visits"), now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    response["Content-Disposition"] = 'inline; filename="visits.ics"'
    return response
