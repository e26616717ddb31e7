"""Time helpers. Storage is UTC; people see and type the location's zone.

The two DST traps are handled explicitly rather than by accident:
- a wall-clock time that does not exist (the spring-forward gap) is refused;
- a wall-clock time that happens twice (the autumn fold) takes the first
  occurrence unless the caller asks for the second.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class NonexistentLocalTime(ValueError):
    pass


def utcnow() -> datetime:
    return timezone.now()


def is_valid_zone(name: str) -> bool:
    if not name or name not in _zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_ZONES: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def zone_choices() -> list[tuple[str, str]]:
    return [(z, z) for z in sorted(_zones()) if "/" in z and not z.startswith(("Etc/", "SystemV/"))]


def local_to_utc(day: date, wall: time, zone: str, *, fold: int = 0) -> datetime:
    """The UTC instant for a wall-clock time at a location."""
    tz = ZoneInfo(zone)
    local = datetime.combine(day, wall).replace(tzinfo=tz, fold=fold)
    as_utc = local.astimezone(UTC)
    # A time in the spring-forward gap does not survive the round trip.
    if as_utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentLocalTime(f"{day} {wall} does not exist in {zone}")
    return as_utc


def to_local(moment: datetime, zone: str) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(ZoneInfo(zone))


def local_day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day in UTC; 23 or 25 hours long on DST days."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time.min).replace(tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time.min).replace(tzinfo=tz).astimezone(UTC)
    return start, end


# --- dates the booking engine handles ----------------------------------------
# Every date or instant that comes from outside (API query and body, page forms
# and query strings) and reaches the engine, availability or the calendar is
# first checked against this one bound: five years back (history, the calendar)
# to five years ahead (booking horizons are at most two years). Far inside
# datetime's range, so adding days or converting zones never overflows.
ENGINE_YEARS = 5


def engine_date_range(today: date | None = None) -> tuple[date, date]:
    """The first and last day the engine accepts from outside, both included."""
    today = today or utcnow().date()
    span = timedelta(days=ENGINE_YEARS * 366)
    return today - span, today + span


def engine_date_ok(value: date | datetime) -> bool:
    """Whether a date (or an instant, by its own calendar date) is in the bound."""
    day = value.date() if isinstance(value, datetime) else value
    first, last = engine_date_range()
    return first <= day <= last


def engine_date_message() -> str:
    first, last = engine_date_range()
    return _("Choose a date between %(first)s and %(last)s.") % {
        "first": first.isoformat(),
        "last": last.isoformat(),
    }


def validate_engine_date(value: date | datetime) -> None:
    """Validator for forms and serializers: a 400 with a clear message instead
    of an overflow deep in the engine."""
    if value is not None and not engine_date_ok(value):
        raise ValidationError(engine_date_message(), code="date_out_of_range")


def validate_engine_start(value: datetime) -> None:
    """Validator for the start of a visit being booked or moved: a time before
    the bound is refused as "in the past" (clearer than the range: any past
    time is refused, and one inside the bound gets the same message from the
    booking service), a time after it with the range message."""
    if value is None or engine_date_ok(value):
        return
    if value.date() < engine_date_range()[0]:
        raise ValidationError(_("This time is in the past."), code="in_the_past")
    raise ValidationError(engine_date_message(), code="date_out_of_range")


def parse_engine_date(text: str | None) -> date | None:
    """A YYYY-MM-DD query parameter within the bound; None if malformed or out of it."""
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return day if engine_date_ok(day) else None
