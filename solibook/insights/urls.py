"""Back-office pages of insights: staff performance, a master's own page."""

from django.urls import path

from solibook.insights.views import office

app_name = "insights"

urlpatterns = [
    path(
        "office/<slug:business_slug>/staff/performance/",
        office.staff_performance_page,
        name="staff_performance",
    ),
    path("office/<slug:business_slug>/me/", office.my_profile, name="my_profile"),
    path(
        "office/<slug:business_slug>/insights/dashboards/",
        office.dashboards_page,
        name="dashboards",
    ),
    path(
        "office/<slug:business_slug>/insights/dashboards/export.<str:fmt>",
        office.dashboards_export,
        name="dashboards_export",
    ),
]
