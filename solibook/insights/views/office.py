"""Staff performance per master over a period (schedules are edited on the
catalogue's schedule pages)."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.catalog.models import Location
from solibook.insights.forms import PerformanceForm
from solibook.insights.selectors import MAX_DAYS, staff_performance


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
