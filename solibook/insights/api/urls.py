from django.urls import path

from solibook.insights.api import dashboards, views

app_name = "insights_api"

B = "businesses/<id:business_id>/"

urlpatterns = [
    path(f"{B}staff/performance/", views.StaffPerformanceApi.as_view(), name="staff_performance"),
    path(f"{B}insights/dashboard/", dashboards.DashboardApi.as_view(), name="dashboard"),
]
