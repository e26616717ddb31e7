from django.urls import path

from solibook.booking.api.views import appointments as booking
from solibook.booking.api.views import calendar, waitlist

app_name = "booking_api"

urlpatterns = [
    path(
        "locations/<id:location_id>/availability/",
        booking.AvailabilityApi.as_view(),
        name="availability",
    ),
    path("appointments/", booking.ClientAppointmentListApi.as_view(), name="my_appointments"),
    path("appointments/series/", waitlist.ClientSeriesApi.as_view(), name="my_series"),
    path(
        "appointments/<id:appointment_id>/",
        booking.ClientAppointmentDetailApi.as_view(),
        name="my_appointment",
    ),
    path(
        "appointments/<id:appointment_id>/confirm/",
        booking.ClientConfirmApi.as_view(),
        name="my_confirm",
    ),
    path(
        "appointments/<id:appointment_id>/cancel/",
        booking.ClientCancelApi.as_view(),
        name="my_cancel",
    ),
    path(
        "appointments/<id:appointment_id>/reschedule/",
        booking.ClientRescheduleApi.as_view(),
        name="my_reschedule",
    ),
    path(
        "businesses/<id:business_id>/locations/<id:location_id>/availability/",
        booking.OfficeAvailabilityApi.as_view(),
        name="office_availability",
    ),
    path("waitlist/", waitlist.ClientWaitlistApi.as_view(), name="my_waitlist"),
    path(
        "waitlist/<id:waitlist_entry_id>/leave/",
        waitlist.ClientWaitlistLeaveApi.as_view(),
        name="my_waitlist_leave",
    ),
    path(
        "businesses/<id:business_id>/waitlist/",
        waitlist.OfficeWaitlistApi.as_view(),
        name="office_waitlist",
    ),
    path(
        "businesses/<id:business_id>/appointments/",
        booking.OfficeAppointmentListApi.as_view(),
        name="office_appointments",
    ),
    path(
        "businesses/<id:business_id>/appointments/series/",
        waitlist.OfficeSeriesApi.as_view(),
        name="office_series",
    ),
    path(
        "businesses/<id:business_id>/appointments/<id:appointment_id>/",
        booking.OfficeAppointmentDetailApi.as_view(),
        name="office_appointment",
    ),
    path(
        "businesses/<id:business_id>/appointments/<id:appointment_id>/cancel/",
        booking.OfficeCancelApi.as_view(),
        name="office_cancel",
    ),
    path(
        "businesses/<id:business_id>/appointments/<id:appointment_id>/reschedule/",
        booking.OfficeRescheduleApi.as_view(),
        name="office_reschedule",
    ),
    path(
        "businesses/<id:business_id>/appointments/<id:appointment_id>/status/",
        booking.OfficeStatusApi.as_view(),
        name="office_status",
    ),
    # The back-office calendar's reads and edits (writes go through the booking services).
    path("businesses/<id:business_id>/calendar/", calendar.CalendarApi.as_view(), name="calendar"),
    path(
        "businesses/<id:business_id>/clients/search/",
        calendar.ClientSearchApi.as_view(),
        name="client_search",
    ),
    path(
        "businesses/<id:business_id>/calendar/appointments/<id:appointment_id>/",
        calendar.AppointmentPanelApi.as_view(),
        name="appointment_panel",
    ),
    path(
        "businesses/<id:business_id>/appointments/<id:appointment_id>/history/",
        calendar.AppointmentHistoryApi.as_view(),
        name="appointment_history",
    ),
    path(
        "businesses/<id:business_id>/appointments/<id:appointment_id>/resize/",
        calendar.AppointmentResizeApi.as_view(),
        name="appointment_resize",
    ),
    path(
        "businesses/<id:business_id>/blocked-time/",
        calendar.BlockedTimeListApi.as_view(),
        name="blocked_time",
    ),
    path(
        "businesses/<id:business_id>/blocked-time/<id:time_off_id>/",
        calendar.BlockedTimeDetailApi.as_view(),
        name="blocked_time_detail",
    ),
]
