"""What both adapters speak: events read from a calendar, events to write,
and the two ways a calendar can fail (worth retrying, or needing the salon)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


class CalendarUnreachable(Exception):
    """The server is down, slow or answered 5xx: retried on the next run."""


class CalendarRefused(Exception):
    """Credentials refused, a token that cannot be refreshed, a calendar that
    is gone: nothing will work until the salon reconnects."""


@dataclass(frozen=True)
class RemoteEvent:
    """One event (one occurrence of a recurring one) of the master's calendar."""

    key: str  # UID, plus the occurrence's RECURRENCE-ID when recurring
    uid: str
    starts_at: datetime
    ends_at: datetime
    busy: bool = True  # false for TRANSP:TRANSPARENT ("free") and cancelled events
    no_end: bool = False  # neither DTEND nor DURATION: an instant (RFC 5545 3.6.1)


@dataclass(frozen=True)
class DesiredEvent:
    """A visit item as it should appear in the master's calendar."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str = ""
    description: str = ""


@dataclass
class PullResult:
    events: list[RemoteEvent] = field(default_factory=list)
    # Full: `events` is everything in the window (anything else is gone).
    # Incremental (Google's syncToken): only changes; `removed` lists keys.
    full: bool = True
    removed: list[str] = field(default_factory=list)
    sync_token: str = ""


def moment(value, zone: ZoneInfo) -> datetime:
    """A DATE-TIME in UTC (floating times are the master's wall clock), or
    the start of a DATE in the master's zone."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone)
        return value.astimezone(ZoneInfo("UTC"))
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=zone).astimezone(ZoneInfo("UTC"))
    raise ValueError(f"not a date: {value!r}")


def end_of(start_value, *, end_value=None, duration: timedelta | None, zone: ZoneInfo):
    """The end of an event and whether it had none (RFC 5545 3.6.1): DTEND
    if given, else DTSTART + DURATION, else an all-day event lasts its day and
    a timed event lasts an instant."""
    if end_value is not None:
        return moment(end_value, zone), False
    is_day = isinstance(start_value, date) and not isinstance(start_value, datetime)
    if duration is not None:
        if is_day:
            return moment(start_value + duration, zone), False
        return moment(start_value, zone) + duration, False
    if is_day:
        return moment(start_value + timedelta(days=1), zone), False
    return moment(start_value, zone), True
