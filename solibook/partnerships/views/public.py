"""The public landing page of an event or a partner: its code and the way to
book. A page whose dates are over says so (410) and shows no code."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from solibook.core.errors import NotFound
from solibook.partnerships import selectors, services


def landing(request, salon: str, page: str):
    try:
        found = services.public_landing(business_slug=salon, slug=page)
    except NotFound as exc:
        raise Http404 from exc
    running = selectors.is_running(found)
    book_url = reverse("clientarea:book", args=[found.business.slug])
    logo_url = request.build_absolute_uri(found.partner_logo.url) if found.partner_logo else ""
    return render(
        request,
        "partnerships/public/landing.html",
        {
            "landing": found,
            "business": found.business,
            "running": running,
            "book_url": f"{book_url}?{urlencode({'via': 'link'})}",
            "logo_url": logo_url,
            "page_url": request.build_absolute_uri(request.path),
        },
        status=200 if running else 410,
    )
