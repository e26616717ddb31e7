"""A signed-in client books a recurring series (every N weeks, K times) from
the wizard: `booking.appointment_series_create`, the call the series API
makes, with the source the page decides. Occurrences that cannot be placed do
not stop the others; the report says which dates and why."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.booking import services as booking
from solibook.booking.models import Appointment, Source
from solibook.booking.selectors import ItemSpec
from solibook.core.errors import NotFound
from solibook.core.ids import is_db_id
from solibook.core.tenancy import business_scope


def series_book(
    *,
    user,
    business,
    location_id: int,
    specs: list[ItemSpec],
    first_start: datetime,
    interval_weeks: int,
    occurrences: int,
    now: datetime | None = None,
) -> booking.SeriesReport:
    with business_scope(business):
        return booking.appointment_series_create(
            business=business,
            location_id=location_id,
            specs=specs,
            first_start=first_start,
            interval_weeks=interval_weeks,
            occurrences=occurrences,
            source=Source.MARKETPLACE,
            actor=user,
            account=user,
            now=now,
        )


@dataclass
class SeriesPage:
    series_id: int
    business: object
    location: object
    placed: list[Appointment]
    failed: list[dict]  # {"start": local datetime, "message": why}


def series_for(user, series_id: int, *, failed: list[dict]) -> SeriesPage:
    """The client's own series: its placed visits, and the dates that failed
    (as reported when it was booked)."""
    with scopes_disabled():
        placed = (
            list(
                Appointment.objects.filter(series_id=series_id, account=user)
                .select_related("business", "location")
                .prefetch_related("items__service", "items__master")
                .order_by("starts_at")
            )
            if is_db_id(series_id)
            else []
        )
    if not placed:
        raise NotFound(_("No such series."))
    location = placed[0].location
    return SeriesPage(
        series_id=series_id,
        business=placed[0].business,
        location=location,
        placed=placed,
        failed=failed_local(failed, location),
    )


def failed_local(failed: list[dict], location) -> list[dict]:
    """The report's failed dates in the location's time zone."""
    zone = ZoneInfo(location.time_zone)
    return [
        {"start": datetime.fromisoformat(f["start"]).astimezone(zone), "message": f["message"]}
        for f in failed
    ]
