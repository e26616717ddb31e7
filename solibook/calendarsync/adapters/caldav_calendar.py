"""CalDAV (RFC 4791) through the `caldav` client library: a time-range
REPORT with server-side expansion of recurring events for the pull, and one
resource per visit item, named by its UID, for the push."""

from datetime import datetime
from zoneinfo import ZoneInfo

import caldav
from caldav.lib import error as dav_error
from icalendar import Calendar, Event

from solibook.calendarsync.adapters.base import (
    CalendarRefused,
    CalendarUnreachable,
    DesiredEvent,
    PullResult,
    RemoteEvent,
    end_of,
    moment,
)

TIMEOUT = 15
PRODID = "-//Solibook//Solibook calendar sync//EN"


class CalDAVCalendar:
    def __init__(self, *, url: str, username: str, password: str):
        self.url = url
        self._client = caldav.DAVClient(
            url=url, username=username or None, password=password or None, timeout=TIMEOUT
        )
        self._calendar = self._client.calendar(url=url)

    def _call(self, action):
        try:
            return action()
        except dav_error.AuthorizationError as exc:
            raise CalendarRefused("credentials refused") from exc
        except dav_error.NotFoundError as exc:
            raise CalendarRefused("no calendar at this address") from exc
        except dav_error.DAVError as exc:
            raise CalendarUnreachable(str(exc)[:200]) from exc
        except OSError as exc:  # connection refused, timeouts, DNS (niquests errors are OSErrors)
            raise CalendarUnreachable(type(exc).__name__) from exc

    def check(self) -> None:
        """Raise unless the calendar answers with these credentials."""
        self._call(lambda: self._calendar.get_display_name())

    def pull(self, *, start: datetime, end: datetime, zone: ZoneInfo, sync_token: str = ""):
        found = self._call(
            lambda: self._calendar.search(start=start, end=end, event=True, expand=True)
        )
        result = PullResult(full=True)
        for resource in found:
            calendar = self._call(lambda r=resource: r.icalendar_instance)
            for component in calendar.walk("VEVENT"):
                event = _remote(component, zone)
                if event is not None:
                    result.events.append(event)
        return result

    def put(self, event: DesiredEvent) -> str:
        body = _ics(event)
        saved = self._call(lambda: self._calendar.save_event(body))
        return str(getattr(saved, "url", "") or "")

    def delete(self, uid: str, remote_id: str = "") -> None:
        try:
            found = self._call(lambda: self._calendar.event_by_uid(uid))
        except CalendarRefused:  # a 404 for the event: already gone
            return
        self._call(found.delete)


def _remote(component, zone: ZoneInfo) -> RemoteEvent | None:
    start_prop = component.get("dtstart")
    if start_prop is None:
        return None
    uid = str(component.get("uid", ""))
    start_value = start_prop.dt
    end_prop = component.get("dtend")
    duration_prop = component.get("duration")
    ends_at, no_end = end_of(
        start_value,
        end_value=end_prop.dt if end_prop is not None else None,
        duration=duration_prop.dt if duration_prop is not None else None,
        zone=zone,
    )
    recurrence = component.get("recurrence-id")
    key = uid + (f"/{recurrence.to_ical().decode()}" if recurrence is not None else "")
    transparent = str(component.get("transp", "OPAQUE")).upper() == "TRANSPARENT"
    cancelled = str(component.get("status", "")).upper() == "CANCELLED"
    return RemoteEvent(
        key=key,
        uid=uid,
        starts_at=moment(start_value, zone),
        ends_at=ends_at,
        busy=not (transparent or cancelled),
        no_end=no_end,
    )


def _ics(event: DesiredEvent) -> str:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", datetime.now(tz=ZoneInfo("UTC")))
    vevent.add("dtstart", event.starts_at.astimezone(ZoneInfo("UTC")))
    vevent.add("dtend", event.ends_at.astimezone(ZoneInfo("UTC")))
    vevent.add("summary", event.summary)
    if event.location:
        vevent.add("location", event.location)
    if event.description:
        vevent.add("description", event.description)
    vevent.add("transp", "OPAQUE")
    cal.add_component(vevent)
    return cal.to_ical().decode()
