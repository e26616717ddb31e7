"""Files served from the site root, outside the language prefix.

The per-master private calendar feed, `/calendar/<token>.ics`: public (calendar
apps cannot log in), the unguessable token is the key; a revoked or unknown token
is a 404, like a URL that never existed. The installable app's service worker and
manifest, served from the root so the worker's scope is `/`."""

import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from solibook.booking.models import AppointmentItem, Status
from solibook.core.tenancy import business_scope, scopes_disabled
from solibook.notifications import ics
from solibook.notifications.models import CalendarFeedToken

FEED_STATUSES = (Status.CONFIRMED, Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED)
PAST_DAYS = 7
AHEAD_DAYS = 366


@require_GET
def calendar_feed(request, token: str):
    with scopes_disabled():
        feed = (
            CalendarFeedToken.objects.select_related("master", "business")
            .filter(token_hash=CalendarFeedToken.digest(token), revoked_at__isnull=True)
            .first()
        )
    if feed is None or not feed.master.is_active:
        raise Http404
    now = timezone.now()
    with business_scope(feed.business):
        items = (
            AppointmentItem.objects.filter(
                master=feed.master,
                appointment__status__in=FEED_STATUSES,
                ends_at__gte=now - timedelta(days=PAST_DAYS),
                starts_at__lt=now + timedelta(days=AHEAD_DAYS),
            )
            .select_related("appointment", "appointment__location", "service")
            .order_by("starts_at", "pk")
        )
        body = ics.master_feed(
            feed.master, items, name=f"{feed.master.display_name} · {feed.business.name}", now=now
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response


STATIC = Path(settings.BASE_DIR) / "solibook" / "static"


@require_GET
@cache_control(max_age=0, no_cache=True)
def service_worker(request):
    response = HttpResponse(
        (STATIC / "sw.js").read_bytes(), content_type="application/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    data = json.loads((STATIC / "manifest.webmanifest").read_text(encoding="utf-8"))
    data["name"] = data["short_name"] = settings.SOLIBOOK_SITE_NAME
    data["icons"] = [{**icon, "src": static(icon["src"])} for icon in data["icons"]]
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
