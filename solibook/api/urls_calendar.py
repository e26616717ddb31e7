"""The back-office calendar's read endpoints (writes are the booking endpoints)."""

from django.urls import path

from solibook.api.views import calendar

app_name = "calendar_api"

urlpatterns = [
    path("businesses/<int:business_id>/calendar/", calendar.CalendarApi.as_view(), name="calendar"),
    path(
        "businesses/<int:business_id>/clients/search/",
        calendar.ClientSearchApi.as_view(),
        name="client_search",
    ),
    path(
        "businesses/<int:business_id>/calendar/appointments/<int:appointment_id>/",
        calendar.AppointmentPanelApi.as_view(),
        name="appointment_panel",
    ),
    path(
        "businesses/<int:business_id>/appointments/<int:appointment_id>/history/",
        calendar.AppointmentHistoryApi.as_view(),
        name="appointment_history",
    ),
    path(
        "businesses/<int:business_id>/appointments/<int:appointment_id>/resize/",
        calendar.AppointmentResizeApi.as_view(),
        name="appointment_resize",
    ),
    path(
        "businesses/<int:business_id>/blocked-time/",
        calendar.BlockedTimeListApi.as_view(),
        name="blocked_time",
    ),
    path(
        "businesses/<int:business_id>/blocked-time/<int:time_off_id>/",
        calendar.BlockedTimeDetailApi.as_view(),
        name="blocked_time_detail",
    ),
]
