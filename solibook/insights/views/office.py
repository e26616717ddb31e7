"""Staff performance per master over a period (schedules are edited on the
catalogue's schedule pages), and a master's own page with their calendar feed."""

from datetime import timedelta

import segno
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.catalog.models import Location, Master
from solibook.insights.forms import PerformanceForm
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
        },
    )
