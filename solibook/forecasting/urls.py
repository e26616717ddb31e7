"""Back-office pages of forecasting: forecast, staffing advice, price advice."""

from django.urls import path

from solibook.forecasting.views import office

app_name = "forecasting"

urlpatterns = [
    path("office/<slug:business_slug>/forecast/", office.forecast_page, name="forecast"),
    path("office/<slug:business_slug>/forecast/staffing/", office.staffing_page, name="staffing"),
    path("office/<slug:business_slug>/forecast/prices/", office.price_page, name="prices"),
]
