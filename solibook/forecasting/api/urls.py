from django.urls import path

from solibook.forecasting.api import views

app_name = "forecasting_api"

B = "businesses/<id:business_id>/"

urlpatterns = [
    path(f"{B}forecast/", views.ForecastApi.as_view(), name="forecast"),
    path(f"{B}forecast/refresh/", views.ForecastRefreshApi.as_view(), name="refresh"),
    path(f"{B}forecast/staffing/", views.StaffingApi.as_view(), name="staffing"),
    path(f"{B}forecast/prices/", views.PriceAdviceApi.as_view(), name="prices"),
]
