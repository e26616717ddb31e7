"""RFC 5545 iCalendar output: the attachment of a confirmation, change or
cancellation (iTIP METHOD REQUEST / CANCEL) and a master's subscription feed.

Events are written in the location's time zone (DTSTART;TZID=Europe/Paris
with its VTIMEZONE), the UID is stable per appointment so calendar apps
update the same event, and SEQUENCE grows with every change.
"""

from datetime import date, datetime
from email.utils import parseaddr
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

PRODID = "-//Solibook//Solibook notifications//EN"


def uid_for(appointment_id: int, part: str = "") -> str:
    domain = getattr(settings, "NOTIFICATIONS_CALENDAR_DOMAIN", "solibook.localhost")
    return f"appointment-{appointment_id}{part}@{domain}"


def _calendar(method: str | None = None, name: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


@lru_cache(maxsize=256)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone | None:
    """A zone's VTIMEZONE for whole years (built once: it costs milliseconds)."""
    try:
        return Timezone.from_tzid(
            tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31)
        )
    except ValueError:
        return None


def _add_timezones(cal: Calendar, moments: list[datetime]) -> None:
    """VTIMEZONE for every TZID used, with transitions from the year before
    these moments to the year after (icalendar's default, 1970-2038, makes a
    long block and stops short)."""
    if not moments:
        return
    first, last = min(moments).year - 1, max(moments).year + 1
    position = len(cal.timezones)
    for tzid in sorted(cal.get_missing_tzids()):
        component = _vtimezone(tzid, first, last)
        if component is not None:
            cal.subcomponents.insert(position, component)
            position += 1


def _location_text(location) -> str:
    parts = [
        location.name,
        location.address,
        " ".join(p for p in (location.postal_code, location.city) if p),
    ]
    return ", ".join(p for p in parts if p)


def _event(
    *,
    uid: str,
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
    summary: str,
    location: str,
    sequence: int,
    status: str,
    stamp: datetime,
    description: str = "",
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    event.add("sequence", sequence)
    event.add("status", status)
    return event


def appointment_invitation(
    appointment,
    *,
    summary: str,
    description: str = "",
    method: str = "REQUEST",
    sequence: int = 0,
    now: datetime | None = None,
) -> bytes:
    """One appointment as an iTIP message (METHOD REQUEST or CANCEL)."""
    location = appointment.location
    zone = ZoneInfo(location.time_zone)
    cal = _calendar(method)
    event = _event(
        uid=uid_for(appointment.pk),
        start=appointment.starts_at,
        end=appointment.ends_at,
        zone=zone,
        summary=summary,
        location=_location_text(location),
        sequence=sequence,
        status="CANCELLED" if method == "CANCEL" else "CONFIRMED",
        stamp=now or timezone.now(),
        description=description,
    )
    # iTIP (RFC 5546) wants an organizer, and an attendee for REQUEST/CANCEL.
    _name, from_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{from_address}")
    organizer.params["cn"] = vText(appointment.business.name)
    event.add("organizer", organizer)
    if appointment.client_email:
        attendee = vCalAddress(f"mailto:{appointment.client_email}")
        if appointment.client_name:
            attendee.params["cn"] = vText(appointment.client_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    cal.add_component(event)
    tzids = sorted(cal.get_missing_tzids())
    content = cal.to_ical()
    if not tzids:
        return content
    # The VTIMEZONE blocks go before the event, as _add_timezones places them;
    # written once per zone and years (they are most of the file's lines, and
    # writing them costs more than the rest of the message).
    first, last = appointment.starts_at.year - 1, appointment.ends_at.year + 1
    zones = b"".join(_vtimezone_ical(tzid, first, last) for tzid in tzids)
    return content.replace(b"BEGIN:VEVENT\r\n", zones + b"BEGIN:VEVENT\r\n", 1)


@lru_cache(maxsize=256)
def _vtimezone_ical(tzid: str, first_year: int, last_year: int) -> bytes:
    component = _vtimezone(tzid, first_year, last_year)
    return component.to_ical() if component is not None else b""


def master_feed(master, items, *, name: str, now: datetime | None = None) -> bytes:
    """A master's visits (AppointmentItem rows with appointment, location and
    service loaded) as a subscription feed: no METHOD, one event per item."""
    now = now or timezone.now()
    cal = _calendar(name=name)
    moments = []
    for item in items:
        moments += [item.starts_at, item.ends_at]
        appointment = item.appointment
        zone = ZoneInfo(appointment.location.time_zone)
        summary = (
            f"{item.service.name} · {appointment.client_name}"
            if appointment.client_name
            else item.service.name
        )
        event = _event(
            uid=uid_for(appointment.pk, f"-{item.position}-{master.pk}"),
            start=item.starts_at,
            end=item.ends_at,
            zone=zone,
            summary=summary,
            location=_location_text(appointment.location),
            sequence=0,
            status="CONFIRMED",
            stamp=now,
            description=appointment.notes,
        )
        event.add("last-modified", appointment.updated_at)
        cal.add_component(event)
    _add_timezones(cal, moments)
    return cal.to_ical()
