"""Time helpers. Storage is UTC; people see and type the location's zone.

The two DST traps are handled explicitly rather than by accident:
- a wall-clock time that does not exist (the spring-forward gap) is refused;
- a wall-clock time that happens twice (the autumn fold) takes the first
  occurrence unless the caller asks for the second.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils import timezone


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
