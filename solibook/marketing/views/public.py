"""What a recipient's message links to: the open-tracking image, the tracked
link (counted, then on to the salon's page) and the unsubscribe page, which
also takes RFC 8058's one-click POST (`List-Unsubscribe=One-Click`, no page, no
cookie, no CSRF token: the mail provider sends it for the reader)."""

import base64

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from solibook.core.errors import NotFound
from solibook.marketing import services

# A 1×1 transparent GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@never_cache
def opened(request, token: str):
    services.message_opened(token=token)
    return HttpResponse(PIXEL, content_type="image/gif")


@never_cache
def clicked(request, token: str):
    row = services.message_clicked(token=token)
    if row is None:
        raise Http404
    return redirect(reverse("marketplace:salon", args=[row.business.slug]))


@csrf_exempt
@never_cache
def unsubscribe(request, token: str):
    if request.method == "POST":
        try:
            row = services.unsubscribe(
                token=token,
                source="one_click" if "List-Unsubscribe" in request.POST else "unsubscribe_page",
            )
        except NotFound as exc:
            raise Http404 from exc
        if "List-Unsubscribe" in request.POST:
            return HttpResponse(status=200)
        return render(request, "marketing/public/unsubscribed.html", {"salon": row.business})
    found = services.recipient_for_page(token=token)
    if found is None:
        raise Http404
    return render(request, "marketing/public/unsubscribe.html", {"salon": found.business})
