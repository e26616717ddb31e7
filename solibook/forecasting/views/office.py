"""Back-office pages of forecasting: the demand forecast, staffing advice and
price advice, for owners and managers. Each reads the stored forecast (fitted
in the background) through the same selectors as the API."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.catalog.models import Location, Service
from solibook.core.refusals import refusals
from solibook.forecasting import services
from solibook.forecasting.charts import forecast_chart, occupancy_chart, staffing_chart
from solibook.forecasting.forms import ForecastForm, PriceForm, StaffingForm
from solibook.forecasting.pricing import price_advice
from solibook.forecasting.selectors import forecast_view, method_label, staffing_advice

CAPABILITY = Capability.MANAGE_CATALOG


def _locations():
    return list(Location.objects.order_by("name", "pk"))


def _chosen(form, locations, defaults: dict) -> tuple[Location | None, dict, bool]:
    """The location and values asked for (the defaults when nothing is asked),
    and whether the query was refused."""
    if not locations:
        return None, defaults, False
    if form.is_bound:
        if not form.is_valid():
            return None, defaults, True
        values = {**defaults, **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")}}
    else:
        values = defaults
    location = next((loc for loc in locations if loc.pk == values["location"]), locations[0])
    return location, values, False


@backoffice_view(CAPABILITY)
def forecast_page(request):
    locations = _locations()
    if request.method == "POST":
        with refusals(request=request) as refused:
            services.forecast_refresh(business=request.business, actor=request.user)
        if not refused:
            messages.success(
                request, _("The forecast is being refitted in the background: reload in a minute.")
            )
        return redirect("forecasting:forecast", business_slug=request.business.slug)
    defaults = {"location": locations[0].pk if locations else None, "days": 14}
    form = ForecastForm(request.GET or None, initial=defaults, locations=locations)
    location, values, invalid = _chosen(form, locations, defaults)
    view = forecast_view(location=location, days=values["days"]) if location else None
    return render(
        request,
        "forecasting/office/forecast.html",
        {
            "form": form,
            "view": view,
            "method": method_label(view.method) if view and view.method else "",
            "hourly_method": method_label(view.hourly_method)
            if view and view.hourly_method
            else "",
            "chart": forecast_chart(view) if view else None,
        },
        status=400 if invalid else 200,
    )


@backoffice_view(CAPABILITY)
def staffing_page(request):
    locations = _locations()
    defaults = {"location": locations[0].pk if locations else None, "days": 7}
    form = StaffingForm(request.GET or None, initial=defaults, locations=locations)
    location, values, invalid = _chosen(form, locations, defaults)
    staffing = staffing_advice(location=location, days=values["days"]) if location else None
    chart = staffing_chart(staffing) if staffing else None
    by_day: dict = {}
    for advice in staffing.advice if staffing else []:
        by_day.setdefault(advice.day, []).append(advice)
    return render(
        request,
        "forecasting/office/staffing.html",
        {
            "form": form,
            "staffing": staffing,
            "by_day": sorted(by_day.items()),
            "chart": chart,
            "chart_rows": list(
                zip(chart["labels"], chart["expected"], chart["scheduled"], strict=True)
            )
            if chart
            else [],
        },
        status=400 if invalid else 200,
    )


@backoffice_view(CAPABILITY)
def price_page(request):
    locations = _locations()
    catalogue = list(Service.objects.filter(is_active=True, group_capacity=1).order_by("name"))
    defaults = {"location": locations[0].pk if locations else None, "service": None}
    form = PriceForm(request.GET or None, initial=defaults, locations=locations, services=catalogue)
    location, values, invalid = _chosen(form, locations, defaults)
    service = next((s for s in catalogue if s.pk == values.get("service")), None)
    advice = price_advice(location=location, service=service) if location else None
    chart = occupancy_chart(advice) if advice else None
    return render(
        request,
        "forecasting/office/prices.html",
        {
            "form": form,
            "advice": advice,
            "currency": request.business.currency,
            "chart": chart,
            "occupancy_rows": [
                (label, [series["data"][i] for series in chart["series"]])
                for i, label in enumerate(chart["labels"])
            ]
            if chart
            else [],
        },
        status=400 if invalid else 200,
    )
