"""Staff performance per master over a period (schedules are edited on the
catalogue's schedule pages), and a master's own page with their calendar feed."""

from datetime import timedelta

import segno
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.catalog.models import Location, Master
from solibook.core.refusals import refusals
from solibook.insights.dashboards import dashboard, period_check
from solibook.insights.exports import export_file, weekday_names
from solibook.insights.forms import DashboardForm, PerformanceForm
from solibook.insights.selectors import MAX_DAYS, feed_status, staff_performance
from solibook.notifications.services import calendar_feed_issue, calendar_feed_revoke


@backoffice_view(Capability.VIEW_STAFF_PERFORMANCE)
def staff_performance_page(request):
    locations = list(Location.objects.order_by("name", "pk"))
    today = timezone.localdate()
    initial = {
        "location": locations[0].pk if locations else None,
        "start": today.replace(day=1),
        "end": today,
    }
    form = PerformanceForm(request.GET or None, initial=initial, locations=locations)
    rows, error = [], ""
    if locations:
        if request.GET and form.is_valid():
            values = form.cleaned_data
        else:
            values = {**initial} if not request.GET else None
        if values:
            if not 0 <= (values["end"] - values["start"]).days < MAX_DAYS:
                error = "period"
            else:
                location = next(loc for loc in locations if loc.pk == values["location"])
                rows = staff_performance(
                    business=request.business,
                    location=location,
                    first_day=values["start"],
                    last_day=values["end"],
                )
    context = {
        "form": form,
        "rows": rows,
        "error": error,
        "locations": locations,
        "max_days": MAX_DAYS,
        "currency": request.business.currency,
        "previous_month": (today.replace(day=1) - timedelta(days=1)).replace(day=1),
    }
    return render(request, "insights/office/performance.html", context)


def _my_master(request):
    return (
        Master.objects.filter(user=request.user, is_active=True)
        .prefetch_related("locations")
        .order_by("pk")
        .first()
    )


@backoffice_view(Capability.VIEW_OWN_CALENDAR)
def my_profile(request):
    """A master's own page: their calendar feed link (created and rotated here,
    shown once with its QR code: only its digest is stored)."""
    master = _my_master(request)
    feed_url = qr = ""
    if request.method == "POST" and master is not None:
        if request.POST.get("action") == "revoke":
            calendar_feed_revoke(business=request.business, master_id=master.pk, actor=request.user)
            messages.success(request, _("Your calendar link no longer works."))
            return redirect("insights:my_profile", business_slug=request.business.slug)
        _token, secret = calendar_feed_issue(
            business=request.business, master_id=master.pk, actor=request.user
        )
        feed_url = request.build_absolute_uri(reverse("calendar-feed", args=[secret]))
        qr = segno.make(feed_url, error="m").svg_data_uri(scale=4, border=2)
    return render(
        request,
        "insights/office/my_profile.html",
        {
            "master": master,
            "feed": feed_status(master=master) if master is not None else None,
            "feed_url": feed_url,
            "qr": qr,
            "figures": _my_figures(request, master) if master is not None else [],
            "figure_days": MY_DAYS,
            "currency": request.business.currency,
        },
    )


MY_DAYS = 30


def _my_figures(request, master) -> list:
    """The master's own figures at each of their locations, the last 30 days
    (the staff performance page's row, theirs only)."""
    today = timezone.localdate()
    out = []
    for location in master.locations.order_by("name", "pk"):
        rows = staff_performance(
            business=request.business,
            location=location,
            first_day=today - timedelta(days=MY_DAYS - 1),
            last_day=today,
            masters=[master],
        )
        out += [(location, row) for row in rows]
    return out


DEFAULT_DAYS = 30
PRESETS = (7, 30, 90, 365)


def _dashboard_query(request):
    """(form, locations, location, period) from the page's GET; the period is
    None when the form or the period is refused (the form says why)."""
    locations = list(Location.objects.order_by("name", "pk"))
    today = timezone.localdate()
    initial = {
        "location": locations[0].pk if locations else None,
        "start": today - timedelta(days=DEFAULT_DAYS - 1),
        "end": today,
    }
    data = {**{k: str(v) for k, v in initial.items() if v is not None}, **request.GET.dict()}
    form = DashboardForm(data, locations=locations)
    if not locations or not form.is_valid():
        return form, locations, None, None
    values = form.cleaned_data
    location = next(loc for loc in locations if loc.pk == values["location"])
    period = None
    with refusals(form) as refused:
        period = period_check(values["start"], values["end"])
    return form, locations, location, (None if refused else period)


def _presets(request, location, today) -> list[tuple[int, str]]:
    out = []
    for days in PRESETS:
        query = {
            "location": location.pk,
            "start": (today - timedelta(days=days - 1)).isoformat(),
            "end": today.isoformat(),
        }
        out.append((days, "?" + "&".join(f"{k}={v}" for k, v in query.items())))
    return out


def _chart(d) -> dict:
    return {
        "currency": d.currency,
        "grain": d.grain,
        "labels": [p.label.isoformat() for p in d.series],
        "bookings": [p.bookings for p in d.series],
        "no_shows": [p.no_shows for p in d.series],
        "revenue": [p.revenue for p in d.series],
        "masters": [m.name for m in d.masters],
        "occupancy": [m.occupancy for m in d.masters],
        "sources": [s.label for s in d.sources],
        "source_bookings": [s.bookings for s in d.sources],
        "clients": [d.current.new_clients, d.current.returning_clients],
        "clients_before": [d.previous.new_clients, d.previous.returning_clients],
    }


@backoffice_view(Capability.VIEW_FINANCE)
def dashboards_page(request):
    """The owner's dashboards: one location over a period, compared with the one before."""
    form, locations, location, period = _dashboard_query(request)
    data = None
    if period is not None:
        data = dashboard(business=request.business, location=location, period=period)
    today = timezone.localdate()
    heat_rows = []
    if data is not None:
        heat_rows = list(zip(weekday_names(), data.heatmap, strict=True))
    context = {
        "form": form,
        "locations": locations,
        "location": location,
        "d": data,
        "chart": _chart(data) if data is not None else None,
        "heat_rows": heat_rows,
        "presets": _presets(request, location, today) if location else [],
        "query": request.GET.urlencode(),
        "currency": request.business.currency,
        "offsets": range(1, 7),
    }
    status = 200 if data is not None or not locations else 400
    return render(request, "insights/office/dashboards.html", context, status=status)


@backoffice_view(Capability.VIEW_FINANCE)
def dashboards_export(request, fmt: str):
    """The same dashboards as CSV or XLSX (one table per section)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, _locations, location, period = _dashboard_query(request)
    if period is None:
        return redirect(
            reverse("insights:dashboards", args=[request.business.slug])
            + ("?" + request.GET.urlencode() if request.GET else "")
        )
    data = dashboard(business=request.business, location=location, period=period)
    content, content_type, name = export_file(data, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
