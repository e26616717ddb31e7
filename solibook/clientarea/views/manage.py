"""The manage page: one booking, reached by the signed link every confirmation
carries (`booking.manage_link`), no account needed.

    GET       m/<token>/              details, add to calendar, what can be done
    GET       m/<token>/visit.ics     the visit as a calendar file
    GET/POST  m/<token>/reschedule/   another free time (the account's service)
    GET/POST  m/<token>/cancel/       the policy and fee first, then cancel
    GET/POST  m/<token>/pay/          what it still owes (the client area's pay pages)

Every request is counted per address and per token (`_too_many`): past the
limit the answer is a 429 page in the visitor's language. An altered link is a
404 page and a link past the visit's end a 410 page; neither shows anything
of a visit. Pages are never cached and send no referrer to other sites (the
token is in the address).
"""

import hashlib
from datetime import datetime
from functools import wraps
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.booking.models import Status
from solibook.booking.policies import cancellation_policy
from solibook.clientarea import services
from solibook.clientarea.forms import CancelForm
from solibook.clientarea.views.client import posted_start, reschedule_day, visit_specs
from solibook.clientarea.views.payment import balance_views
from solibook.core.errors import NotFound
from solibook.core.refusals import refusals
from solibook.core.tenancy import business_scope
from solibook.finance import selectors as finance_selectors
from solibook.notifications import ics
from solibook.offers.services import appointment_discounts

WINDOW_SECONDS = 600
CHANGEABLE = (Status.AWAITING_DEPOSIT, Status.CONFIRMED)


def _limits() -> tuple[int, int]:
    return (
        getattr(settings, "MANAGE_LINK_RATE_PER_IP", 120),
        getattr(settings, "MANAGE_LINK_RATE_PER_TOKEN", 60),
    )


def _count(key: str) -> int:
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def _too_many(request, token: str) -> bool:
    """Count this request against the address and the token (both always)."""
    per_ip, per_token = _limits()
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(token.encode()).hexdigest()[:32]
    by_address = _count(f"manage-link:ip:{address}")
    by_token = _count(f"manage-link:token:{digest}")
    return by_address > per_ip or by_token > per_token


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    # The token never leaves in a Referer to another site (the calendar links);
    # same-origin, not no-referrer: a form posted with no-referrer carries
    # `Origin: null`, which the CSRF check rightly refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _refused_for_rate(request, token: str) -> HttpResponse | None:
    if not _too_many(request, token):
        return None
    response = render(request, "clientarea/manage/too_many.html", status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return _private(response)


def managed(view):
    """Rate-limit, then resolve the token to its visit (or a clear refusal page)."""

    @wraps(view)
    def wrapper(request, token: str, **kwargs):
        refused = _refused_for_rate(request, token)
        if refused is not None:
            return refused
        try:
            visit = services.managed_appointment(token)
        except NotFound as exc:
            status = 410 if exc.code == "link_expired" else 404
            response = render(
                request,
                "clientarea/manage/invalid.html",
                {"message": exc.message, "expired": status == 410},
                status=status,
            )
            return _private(response)
        with scopes_disabled():
            visit.item_list = list(
                visit.items.select_related("service", "master").order_by("position")
            )
        visit.zone = ZoneInfo(visit.location.time_zone)
        return _private(view(request, token, visit, **kwargs))

    return wrapper


def _calendar_links(request, token: str, visit) -> dict:
    """Add-to-calendar: our .ics, and Google Calendar / Outlook prefilled (UTC)."""
    title = _("%(services)s at %(salon)s") % {
        "services": ", ".join(i.service.name for i in visit.item_list),
        "salon": visit.business.name,
    }
    where = ics._location_text(visit.location)
    manage_url = request.build_absolute_uri(reverse("clientarea:manage", args=[token]))
    details = _("Manage your booking: %(link)s") % {"link": manage_url}
    utc = ZoneInfo("UTC")
    start, end = visit.starts_at.astimezone(utc), visit.ends_at.astimezone(utc)
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": title,
            "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
            "location": where,
            "details": details,
        }
    )
    outlook = "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": title,
            "startdt": f"{start:%Y-%m-%dT%H:%M:%SZ}",
            "enddt": f"{end:%Y-%m-%dT%H:%M:%SZ}",
            "location": where,
            "body": details,
        }
    )
    return {
        "ics": reverse("clientarea:manage_ics", args=[token]),
        "google": google,
        "outlook": outlook,
        "title": title,
        "details": details,
    }


def _policy(visit, now: datetime) -> dict:
    policy = cancellation_policy(business=visit.business, starts_at=visit.starts_at)
    return {
        "policy": policy.as_dict(price_amount=visit.price_amount, at=now),
        "free_until": policy.free_until.astimezone(visit.zone),
        "fee": policy.fee(price_amount=visit.price_amount, at=now),
    }


def _changeable(visit, now: datetime) -> bool:
    return visit.status in CHANGEABLE and visit.starts_at > now


@managed
def manage(request, token: str, visit):
    now = timezone.now()
    with scopes_disabled():
        discount = appointment_discounts([visit.pk]).get(visit.pk, 0)
    total = max(0, visit.price_amount - discount)
    due = _due(visit)
    return render(
        request,
        "clientarea/manage/page.html",
        {
            "token": token,
            "visit": visit,
            "total": total,
            "discount": discount,
            "changeable": _changeable(visit, now),
            "calendar": _calendar_links(request, token, visit),
            "due": due,
            "pay_url": reverse("clientarea:manage_pay", args=[token])
            if due.purpose and due.online and due.amount
            else "",
            **_policy(visit, now),
        },
    )


def _due(visit):
    """What the visit still owes online (finance): a deposit while it is held,
    else the balance; `purpose` is empty when nothing can be paid online."""
    with business_scope(visit.business):
        return finance_selectors.amount_due(appointment=visit)


# Pay what the visit owes through the link: the client area's pay pages, reached
# by the token instead of the account (the same service and provider pages).
def _access(request, token: str):
    try:
        return services.managed_appointment(token)
    except NotFound as exc:
        raise Http404 from exc


_pay, _pay_return = balance_views(
    _access,
    pay_name="clientarea:manage_pay",
    return_name="clientarea:manage_pay_return",
    done=lambda request, appointment, token: reverse("clientarea:manage", args=[token]),
)


def manage_pay(request, token: str):
    return _refused_for_rate(request, token) or _private(_pay(request, token=token))


def manage_pay_return(request, token: str):
    return _refused_for_rate(request, token) or _private(_pay_return(request, token=token))


@managed
def manage_ics(request, token: str, visit):
    links = _calendar_links(request, token, visit)
    content = ics.appointment_invitation(
        visit,
        summary=links["title"],
        description=links["details"],
        method="PUBLISH",
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="visit.ics"'
    return response


@managed
def manage_cancel(request, token: str, visit):
    now = timezone.now()
    if not _changeable(visit, now):
        return redirect("clientarea:manage", token=token)
    form = CancelForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            services.manage_cancel(token=token, reason=form.cleaned_data["reason"])
        if not refused:
            messages.success(request, _("Your visit is cancelled."))
            return redirect("clientarea:manage", token=token)
        status = refused.status
    return render(
        request,
        "clientarea/manage/cancel.html",
        {"token": token, "visit": visit, "form": form, **_policy(visit, now)},
        status=status,
    )


@managed
def manage_reschedule(request, token: str, visit):
    now = timezone.now()
    if not _changeable(visit, now):
        return redirect("clientarea:manage", token=token)
    today = now.astimezone(visit.zone).date()
    day = reschedule_day(request, visit, today)
    error, status = "", 200
    if request.method == "POST":
        start = posted_start(request)
        if start is None:
            error, status = _("Choose a time from the list."), 400
        else:
            with refusals() as refused:
                services.manage_reschedule(token=token, start=start)
            if refused:
                error, status = refused.message, refused.status
            else:
                messages.success(request, _("Your visit is moved."))
                return redirect("clientarea:manage", token=token)
    specs = visit_specs(visit)
    with refusals() as refused:
        by_day = services.wizard_slots(
            business=visit.business, location=visit.location, specs=specs, day=day
        )
    if refused:
        by_day, error = {}, refused.message
    return render(
        request,
        "clientarea/manage/reschedule.html",
        {
            "token": token,
            "visit": visit,
            "by_day": by_day,
            "day": day,
            "slots": by_day.get(day, []),
            "error": error,
        },
        status=status,
    )
