"""Back-office pages of bookings: the calendar."""

from django.urls import path

from solibook.booking.views import no_show, office

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
    # No-show by the salon's rules: confirmation, then undo while the window is open.
    path(
        "office/<slug:business_slug>/calendar/appointments/<id:appointment_id>/no-show/",
        no_show.no_show_page,
        name="no_show",
    ),
    path(
        "office/<slug:business_slug>/calendar/appointments/<id:appointment_id>/no-show/undo/",
        no_show.no_show_undo,
        name="no_show_undo",
    ),
]
