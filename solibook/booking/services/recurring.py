"""Recurring appointments: every N weeks, K times.

Each occurrence is an ordinary appointment booked through the same
lock-recount-write path, at the same local wall-clock time (10:00 stays
10:00 across DST changes). An occurrence that cannot be placed does not
stop the others: the series reports which dates failed and why.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.booking.models import Appointment, RecurringSeries
from solibook.booking.selectors import ItemSpec
from solibook.booking.services.placing import appointment_create
from solibook.catalog.models import Location
from solibook.core.errors import DomainError, NotFound, ValidationFailed

MAX_OCCURRENCES = 52


@dataclass
class SeriesReport:
    series: RecurringSeries
    placed: list[Appointment] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)  # {"start", "code", "message"}


def occurrence_starts(
    first: datetime, *, zone: str, interval_weeks: int, occurrences: int
) -> list[datetime]:
    """The same local wall-clock time every `interval_weeks` weeks."""
    tz = ZoneInfo(zone)
    local = first.astimezone(tz)
    wall = local.replace(tzinfo=None)
    return [
        (wall + timedelta(weeks=interval_weeks * k)).replace(tzinfo=tz) for k in range(occurrences)
    ]


def appointment_series_create(
    *,
    business,
    location_id: int,
    specs: list[ItemSpec],
    first_start: datetime,
    interval_weeks: int,
    occurrences: int,
    source: str,
    actor=None,
    account=None,
    client_name: str = "",
    client_phone: str = "",
    client_email: str = "",
    notes: str = "",
    now: datetime | None = None,
    client_card=None,
) -> SeriesReport:
    if not 1 <= interval_weeks <= 12:
        raise ValidationFailed(
            _("Repeat every 1 to 12 weeks."),
            fields={"interval_weeks": [_("Repeat every 1 to 12 weeks.")]},
        )
    if not 2 <= occurrences <= MAX_OCCURRENCES:
        message = _("Choose between 2 and %(max)s occurrences.") % {"max": MAX_OCCURRENCES}
        raise ValidationFailed(message, fields={"occurrences": [message]})
    location = Location.objects.filter(business=business, pk=location_id).first()
    if location is None:
        raise NotFound(_("No such location."), fields={"location_id": [_("No such location.")]})
    now = now or timezone.now()
    with transaction.atomic():
        series = RecurringSeries.objects.create(
            business=business, interval_weeks=interval_weeks, occurrences=occurrences
        )
        report = SeriesReport(series=series)
        for start in occurrence_starts(
            first_start,
            zone=location.time_zone,
            interval_weeks=interval_weeks,
            occurrences=occurrences,
        ):
            try:
                # Each occurrence in its own savepoint: a refusal undoes only it.
                appointment = appointment_create(
                    business=business,
                    location_id=location_id,
                    specs=specs,
                    start=start,
                    source=source,
                    actor=actor,
                    account=account,
                    client_name=client_name,
                    client_phone=client_phone,
                    client_email=client_email,
                    notes=notes,
                    now=now,
                    series=series,
                    client_card=client_card,
                )
            except DomainError as exc:
                report.failed.append(
                    {"start": start.isoformat(), "code": exc.code, "message": exc.message}
                )
            else:
                report.placed.append(appointment)
        if not report.placed:
            raise ValidationFailed(
                _("None of the dates of this series is available."),
                code="series_empty",
                extra={"failed": report.failed},
            )
    return report
