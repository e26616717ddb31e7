"""The client's own visits as an RFC 5545 subscription feed. Each visit keeps
the UID of the invitation the client was e-mailed (`notifications.ics.uid_for`),
so a calendar that has both shows one event."""

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from solibook.notifications.ics import uid_for

PRODID = "-//Solibook//Solibook client calendar//EN"
UTC = ZoneInfo("UTC")


def client_feed(visits, *, name: str, now: datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for visit in visits:
        items = list(visit.items.all())
        services = ", ".join(item.service.name for item in items)
        masters = ", ".join(sorted({item.master.display_name for item in items}))
        location = visit.location
        event = Event()
        event.add("uid", uid_for(visit.pk))
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", visit.starts_at.astimezone(UTC))
        event.add("dtend", visit.ends_at.astimezone(UTC))
        event.add(
            "summary", f"{services} · {visit.business.name}" if services else visit.business.name
        )
        event.add(
            "location", ", ".join(p for p in (location.name, location.address, location.city) if p)
        )
        if masters:
            event.add("description", masters)
        event.add("status", "CONFIRMED")
        event.add("last-modified", visit.updated_at.astimezone(UTC))
        cal.add_component(event)
    return cal.to_ical()
