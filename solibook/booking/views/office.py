"""The salon's calendar: the screen the front desk keeps open all day.

The page only renders the frame and its settings; the vendored EventCalendar
widget reads the calendar API (`api/views/calendar.py`) and every change goes
through the booking API endpoints, which call `booking.services`.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.booking.models import Status
from solibook.catalog.models import Location, Master, MasterService, Resource, Service
from solibook.core.ids import MAX_DB_ID, as_db_id
from solibook.core.time import engine_date_message, engine_date_ok, utcnow


def _offset(moment: datetime) -> str:
    """'+02:00' for the calendar's now line."""
    offset = moment.utcoffset()
    assert offset is not None, "an aware datetime"
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _strings() -> dict:
    """Every text the calendar's script shows, in the page's language."""
    return {
        "buttons": {
            "today": _("Today"),
            "resourceTimeGridDay": _("Day"),
            "timeGridWeek": _("Week"),
            "prev": _("Previous"),
            "next": _("Next"),
            "close": _("Close"),
        },
        "moved": _("Appointment moved."),
        "booked": _("Appointment booked."),
        "status_changed": _("Status changed."),
        "cancelled": _("Appointment cancelled."),
        "conflict": _("This time is taken: the appointment stays where it was."),
        "not_movable": _("This appointment cannot be moved."),
        "resized": _("Appointment length changed."),
        "resize_conflict": _("This time is taken: the appointment keeps its length."),
        "blocked": _("Time blocked."),
        "unblocked": _("Blocked time freed."),
        "unblock_confirm": _("Free this blocked time?"),
        "block_title": _("Blocked"),
        "block_bad_times": _("The end must be after the start."),
        "error": _("Something went wrong. Please try again."),
        "network": _("The server could not be reached. Nothing was changed."),
        "loading": _("Loading…"),
        "no_clients": _("No client found. Enter a new one below."),
        "new_client": _("New client"),
        "choose_service": _("Choose a service."),
        "need_client": _("Enter the client's name or choose a client."),
        "cancel_confirm": _("Cancel this appointment?"),
        "nobody": _("someone"),
        "by_salon": _("by the salon"),
        "history": {
            "created": _("Booked"),
            "confirmed": _("Confirmed"),
            "cancelled": _("Cancelled"),
            "rescheduled": _("Moved (was %(from)s)"),
            "resized": _("Length changed (ended %(from)s)"),
            "status": _("Status: %(from)s → %(to)s"),
        },
        "statuses": {s.value: str(s.label) for s in Status},
    }


def _id_slot(name: str, id_name: str, **kwargs) -> str:
    """The route's URL with 0 where the object's id goes, for calendar.js's
    withId() to fill in. The <id:> converter refuses 0, so the route is
    reversed with the largest id, a number no other part of the path holds."""
    return reverse(name, kwargs={**kwargs, id_name: MAX_DB_ID}).replace(str(MAX_DB_ID), "0")


@backoffice_view(Capability.VIEW_OWN_CALENDAR)
def calendar(request):
    locations = list(Location.objects.order_by("name", "pk"))
    location = None
    chosen = request.GET.get("location", "")
    if chosen:
        location_id = as_db_id(chosen)
        location = next((loc for loc in locations if loc.pk == location_id), None)
        if location is None:
            raise Http404
    elif locations:
        location = locations[0]
    can_manage = request.access.can(Capability.MANAGE_BOOKINGS)
    context = {"locations": locations, "location": location, "can_manage": can_manage}
    if location is None:
        return render(request, "booking/office/calendar.html", context)

    zone = ZoneInfo(location.time_zone)
    now = utcnow().astimezone(zone)
    try:
        day = (
            date.fromisoformat(request.GET.get("date", ""))
            if request.GET.get("date")
            else now.date()
        )
    except ValueError:
        day = now.date()
    status = 200
    if not engine_date_ok(day):  # year 1 or 9999: today's calendar, and why
        messages.error(request, engine_date_message())
        day, status = now.date(), 400
    shown = Master.objects.filter(is_active=True, locations=location).order_by(
        "position", "display_name", "pk"
    )
    if not can_manage:
        shown = shown.filter(user=request.user)
    masters = list(shown)
    services = (
        list(Service.objects.filter(is_active=True).order_by("position", "name", "pk"))
        if can_manage
        else []
    )
    # Rooms and equipment get their own columns in the day view (front desk only).
    resources = (
        list(Resource.objects.filter(location=location, is_active=True).order_by("name", "pk"))
        if can_manage
        else []
    )
    links: dict[str, list[int]] = {}
    for master_id, service_id in MasterService.objects.filter(
        master__in=masters, service__is_active=True
    ).values_list("master_id", "service_id"):
        links.setdefault(str(master_id), []).append(service_id)
    business = request.business
    config = {
        "businessId": business.pk,
        "locationId": location.pk,
        "timeZone": location.time_zone,
        "nowOffset": _offset(now),
        "date": day.isoformat(),
        "locale": get_language() or "en",
        "rtl": get_language_bidi(),
        "canManage": can_manage,
        "resources": [{"id": str(m.pk), "title": m.display_name} for m in masters]
        + [{"id": f"res-{r.pk}", "title": r.name} for r in resources],
        "masterServices": links,
        "urls": {
            "calendar": reverse("booking_api:calendar", kwargs={"business_id": business.pk}),
            "clients": reverse("booking_api:client_search", kwargs={"business_id": business.pk}),
            "appointments": reverse(
                "booking_api:office_appointments", kwargs={"business_id": business.pk}
            ),
            "panel": _id_slot(
                "booking_api:appointment_panel", "appointment_id", business_id=business.pk
            ),
            "reschedule": _id_slot(
                "booking_api:office_reschedule", "appointment_id", business_id=business.pk
            ),
            "status": _id_slot(
                "booking_api:office_status", "appointment_id", business_id=business.pk
            ),
            "cancel": _id_slot(
                "booking_api:office_cancel", "appointment_id", business_id=business.pk
            ),
            "resize": _id_slot(
                "booking_api:appointment_resize", "appointment_id", business_id=business.pk
            ),
            "block": reverse("booking_api:blocked_time", kwargs={"business_id": business.pk}),
            "unblock": _id_slot(
                "booking_api:blocked_time_detail", "time_off_id", business_id=business.pk
            ),
            "card": _id_slot("clients:client_detail", "client_id", business_slug=business.slug),
        },
        "strings": _strings(),
    }
    context.update(
        {
            "masters": masters,
            "services": services,
            "config": config,
            "statuses": [
                Status.HOLD,
                Status.CONFIRMED,
                Status.ARRIVED,
                Status.IN_PROGRESS,
                Status.COMPLETED,
                Status.NO_SHOW,
            ],
        }
    )
    return render(request, "booking/office/calendar.html", context, status=status)
