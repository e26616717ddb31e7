"""The salon's calendar: the screen the front desk keeps open all day.

The calendar page only renders the frame and its settings; the vendored
EventCalendar widget reads the calendar API (`api/views/calendar.py`) and every
change goes through the booking API endpoints, which call `booking.services`.
The day's arrivals (with check-in) and the printed day are plain pages beside it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.booking import services as booking_services
from solibook.booking.arrivals import Arrival, day_arrivals
from solibook.booking.calendar import column_notes, master_days
from solibook.booking.models import Appointment, Status
from solibook.catalog.models import Location, Master, MasterService, Resource, Service
from solibook.core.ids import MAX_DB_ID, as_db_id
from solibook.core.refusals import refusals
from solibook.core.time import engine_date_message, engine_date_ok, utcnow
from solibook.finance.selectors import paid_online, visit_total


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
        "check_in": _("Check in"),
        "checked_in": _("The client is checked in."),
        "check_out": _("Check out"),
        "no_show": _("No-show"),
        "reschedule": _("Reschedule"),
        "rebook": _("Rebook"),
        "paid": _("Paid at the till"),
        "moved_to": _("Appointment moved."),
        "with_master": _("with %(master)s"),
        "choose_time": _("Choose a day and a time."),
        "nobody": _("someone"),
        "by_salon": _("by the salon"),
        "history": {
            "created": _("Booked"),
            "confirmed": _("Confirmed"),
            "cancelled": _("Cancelled"),
            "rescheduled": _("Moved (was %(from)s)"),
            "resized": _("Length changed (ended %(from)s)"),
            "status": _("Status: %(from)s → %(to)s"),
            "no_show_marked": _("Marked no-show (can be undone for a few minutes)"),
            "no_show_undone": _("No-show undone"),
        },
        "statuses": {s.value: str(s.label) for s in Status},
    }


def _id_slot(name: str, id_name: str, **kwargs) -> str:
    """The route's URL with 0 where the object's id goes, for calendar.js's
    withId() to fill in. The <id:> converter refuses 0, so the route is
    reversed with the largest id, a number no other part of the path holds."""
    return reverse(name, kwargs={**kwargs, id_name: MAX_DB_ID}).replace(str(MAX_DB_ID), "0")


def _location(request) -> tuple[list[Location], Location | None]:
    """The business's locations and the one asked for (`?location=`), else the first."""
    locations = list(Location.objects.order_by("name", "pk"))
    chosen = request.GET.get("location", "")
    if chosen:
        location_id = as_db_id(chosen)
        location = next((loc for loc in locations if loc.pk == location_id), None)
        if location is None:
            raise Http404
        return locations, location
    return locations, (locations[0] if locations else None)


def _day(request, location: Location) -> tuple[date, int]:
    """The local day asked for (`?date=`), else today at the location; 400 for a day
    the engine cannot hold (year 1 or 9999: today, and why)."""
    today = utcnow().astimezone(ZoneInfo(location.time_zone)).date()
    try:
        day = date.fromisoformat(request.GET["date"]) if request.GET.get("date") else today
    except ValueError:
        day = today
    if not engine_date_ok(day):
        messages.error(request, engine_date_message())
        return today, 400
    return day, 200


def _no_show_url(business, appointment_id: int) -> str:
    """The no-show confirmation page (its rules: helper area "no-show"); '' until it exists."""
    try:
        return reverse(
            "booking:no_show",
            kwargs={"business_slug": business.slug, "appointment_id": appointment_id},
        )
    except NoReverseMatch:
        return ""


def checkout_url(business, appointment_id: int) -> str:
    """The till, pre-filled with the visit."""
    return (
        reverse("finance:checkout", kwargs={"business_slug": business.slug})
        + "?"
        + urlencode({"appointment": appointment_id})
    )


@backoffice_view(Capability.VIEW_OWN_CALENDAR)
def calendar(request):
    locations, location = _location(request)
    can_manage = request.access.can(Capability.MANAGE_BOOKINGS)
    context = {"locations": locations, "location": location, "can_manage": can_manage}
    if location is None:
        return render(request, "booking/office/calendar.html", context)

    zone = ZoneInfo(location.time_zone)
    now = utcnow().astimezone(zone)
    day, status = _day(request, location)
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
    notes = column_notes(location=location, masters=masters, day=day)
    config = {
        "businessId": business.pk,
        "locationId": location.pk,
        "timeZone": location.time_zone,
        "nowOffset": _offset(now),
        "date": day.isoformat(),
        "locale": get_language() or "en",
        "rtl": get_language_bidi(),
        "canManage": can_manage,
        "resources": [
            {"id": str(m.pk), "title": m.display_name, "extendedProps": {"note": notes[str(m.pk)]}}
            for m in masters
        ]
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
            "checkout": reverse("finance:checkout", kwargs={"business_slug": business.slug}),
            "noShow": _no_show_url(business, MAX_DB_ID).replace(str(MAX_DB_ID), "0"),
            "arrivals": reverse("booking:arrivals", kwargs={"business_slug": business.slug}),
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


# --- the day's arrivals, check-in, the printed day -------------------------------


@dataclass
class ArrivalRow:
    """An arrival as the list shows it: the visit, what is still due, where to pay."""

    arrival: Arrival
    due: int
    currency: str
    checked_out: bool
    checkout_url: str
    no_show_url: str


def _rows(business, arrivals: list[Arrival]) -> list[ArrivalRow]:
    rows = []
    for arrival in arrivals:
        appointment = arrival.appointment
        checked_out = appointment.checkouts.exists()
        due = 0 if checked_out else max(0, visit_total(appointment) - paid_online(appointment))
        rows.append(
            ArrivalRow(
                arrival=arrival,
                due=due,
                currency=appointment.currency,
                checked_out=checked_out,
                checkout_url=checkout_url(business, appointment.pk),
                no_show_url=_no_show_url(business, appointment.pk),
            )
        )
    return rows


def _day_links(request, location: Location, day: date) -> dict:
    """Where the day's pages go: the same page a day before and after, the calendar."""
    base: dict[str, str | int] = {"location": location.pk}
    return {
        "previous": "?" + urlencode({**base, "date": (day - timedelta(days=1)).isoformat()}),
        "next": "?" + urlencode({**base, "date": (day + timedelta(days=1)).isoformat()}),
        "query": urlencode({**base, "date": day.isoformat()}),
    }


@backoffice_view(Capability.MANAGE_BOOKINGS)
def arrivals(request):
    """Today's arrivals at one location: time, client, services, master, status,
    what is due, alerts; Check in and Check out on each row."""
    locations, location = _location(request)
    context: dict = {"locations": locations, "location": location, "rows": []}
    status = 200
    if location is not None:
        day, status = _day(request, location)
        today = utcnow().astimezone(ZoneInfo(location.time_zone)).date()
        context.update(
            {
                "day": day,
                "is_today": day == today,
                "rows": _rows(request.business, day_arrivals(location=location, day=day)),
                "links": _day_links(request, location, day),
            }
        )
    return render(request, "booking/office/arrivals.html", context, status=status)


@require_POST
@backoffice_view(Capability.MANAGE_BOOKINGS)
def check_in(request, appointment_id: int):
    """The client is here: the visit is marked arrived (the same service the calendar calls)."""
    appointment = Appointment.objects.filter(pk=appointment_id).first()
    if appointment is None:
        raise Http404
    with refusals(request=request) as refused:
        booking_services.appointment_set_status(
            business=request.business,
            appointment_id=appointment.pk,
            status=Status.ARRIVED,
            actor=request.user,
        )
    if not refused:
        name = appointment.client_name or appointment.client_phone or appointment.client_email
        messages.success(request, _("%(client)s is checked in.") % {"client": name})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    return redirect(
        back
        or reverse("booking:arrivals", kwargs={"business_slug": request.business.slug})
        + "?"
        + urlencode({"location": appointment.location_id})
    )


@dataclass
class PrintedColumn:
    master: Master
    note: str
    hours: str
    rows: list[ArrivalRow]


@backoffice_view(Capability.MANAGE_BOOKINGS)
def day_print(request):
    """The day on paper: each master's visits in time order, with the alerts."""
    locations, location = _location(request)
    context: dict = {"locations": locations, "location": location, "columns": []}
    status = 200
    if location is not None:
        day, status = _day(request, location)
        today = utcnow().astimezone(ZoneInfo(location.time_zone)).date()
        masters = list(
            Master.objects.filter(is_active=True, locations=location).order_by(
                "position", "display_name", "pk"
            )
        )
        days = master_days(
            location=location, masters=masters, start=day, end=day + timedelta(days=1)
        )
        rows = _rows(request.business, day_arrivals(location=location, day=day))
        columns = []
        for master in masters:
            hours = days[master.pk][day]
            columns.append(
                PrintedColumn(
                    master=master,
                    note=hours.note(is_today=day == today),
                    hours=", ".join(
                        f"{s.strftime('%H:%M')}–{e.strftime('%H:%M')}" for s, e in hours.work
                    )
                    if hours.state == "working"
                    else "",
                    rows=[r for r in rows if master.pk in r.arrival.master_ids],
                )
            )
        context.update(
            {"day": day, "columns": columns, "links": _day_links(request, location, day)}
        )
    return render(request, "booking/office/day_print.html", context, status=status)
