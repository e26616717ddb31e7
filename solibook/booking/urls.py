"""Back-office pages of bookings: the calendar."""

from django.urls import path

from solibook.booking.views import office

app_name = "booking"

urlpatterns = [
    path("office/<slug:business_slug>/calendar/", office.calendar, name="calendar"),
]
