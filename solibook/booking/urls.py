"""Back-office pages of bookings: the calendar."""

from django.urls import path

from solibook.booking.views import office

app_name = "booking"

urlpatterns = [
    path("office/<slug:business_slug>/calendar/", office.calendar, name="calendar"),
    path("office/<slug:business_slug>/calendar/arrivals/", office.arrivals, name="arrivals"),
    path(
        "office/<slug:business_slug>/calendar/arrivals/<id:appointment_id>/check-in/",
        office.check_in,
        name="check_in",
    ),
    path("office/<slug:business_slug>/calendar/print/", office.day_print, name="day_print"),
]
