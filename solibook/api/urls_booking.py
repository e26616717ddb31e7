from django.urls import path

from solibook.api.views import booking, waitlist

app_name = "booking_api"

urlpatterns = [
    path(
        "locations/<int:location_id>/availability/",
        booking.AvailabilityApi.as_view(),
        name="availability",
    ),
    path("appointments/", booking.ClientAppointmentListApi.as_view(), name="my_appointments"),
    path("appointments/series/", waitlist.ClientSeriesApi.as_view(), name="my_series"),
    path(
        "appointments/<int:appointment_id>/",
        booking.ClientAppointmentDetailApi.as_view(),
        name="my_appointment",
    ),
    path(
        "appointments/<int:appointment_id>/confirm/",
        booking.ClientConfirmApi.as_view(),
        name="my_confirm",
    ),
    path(
        "appointments/<int:appointment_id>/cancel/",
        booking.ClientCancelApi.as_view(),
        name="my_cancel",
    ),
    path(
        "appointments/<int:appointment_id>/reschedule/",
        booking.ClientRescheduleApi.as_view(),
        name="my_reschedule",
    ),
    path(
        "businesses/<int:business_id>/locations/<int:location_id>/availability/",
        booking.OfficeAvailabilityApi.as_view(),
        name="office_availability",
    ),
    path("waitlist/", waitlist.ClientWaitlistApi.as_view(), name="my_waitlist"),
    path(
        "waitlist/<int:waitlist_entry_id>/leave/",
        waitlist.ClientWaitlistLeaveApi.as_view(),
        name="my_waitlist_leave",
    ),
    path(
        "businesses/<int:business_id>/waitlist/",
        waitlist.OfficeWaitlistApi.as_view(),
        name="office_waitlist",
    ),
    path(
        "businesses/<int:business_id>/appointments/",
        booking.OfficeAppointmentListApi.as_view(),
        name="office_appointments",
    ),
    path(
        "businesses/<int:business_id>/appointments/series/",
        waitlist.OfficeSeriesApi.as_view(),
        name="office_series",
    ),
    path(
        "businesses/<int:business_id>/appointments/<int:appointment_id>/",
        booking.OfficeAppointmentDetailApi.as_view(),
        name="office_appointment",
    ),
    path(
        "businesses/<int:business_id>/appointments/<int:appointment_id>/cancel/",
        booking.OfficeCancelApi.as_view(),
        name="office_cancel",
    ),
    path(
        "businesses/<int:business_id>/appointments/<int:appointment_id>/reschedule/",
        booking.OfficeRescheduleApi.as_view(),
        name="office_reschedule",
    ),
    path(
        "businesses/<int:business_id>/appointments/<int:appointment_id>/status/",
        booking.OfficeStatusApi.as_view(),
        name="office_status",
    ),
]
