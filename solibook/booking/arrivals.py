"""The front desk's day: who arrives when, for what, with whom, and what to
watch for (the client card's allergies, patch tests and notes).

Reads only. The arrivals page, the printed day and the calendar's panel use
them; the money side (what is still due) is added by the pages from the
finance selectors, which sit above booking.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from solibook.booking.models import Appointment, AppointmentItem, Status
from solibook.clients.models import Client, ClientPatchTest
from solibook.core.time import local_day_bounds

# The visits the desk expects or has seen today (cancelled and expired ones left the day).
ARRIVAL_STATUSES = (
    Status.HOLD,
    Status.AWAITING_DEPOSIT,
    Status.CONFIRMED,
    Status.ARRIVED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.NO_SHOW,
)
CHECK_IN_FROM = (Status.CONFIRMED,)
CHECK_OUT_FROM = (Status.CONFIRMED, Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED)


@dataclass(frozen=True)
class Alert:
    kind: str  # "allergy", "patch_test", "notes"
    level: str  # "danger", "warning", "info"
    text: str  # translated, ready to show


def client_alerts(*, card: Client | None, services, on: date) -> list[Alert]:
    """What the desk and the master must know before the visit: the card's
    allergies, the patch test each service that needs one has (or has not),
    and the card's notes."""
    if card is None:
        return []
    alerts: list[Alert] = []
    if card.allergies.strip():
        alerts.append(
            Alert("allergy", "danger", _("Allergies: %(text)s") % {"text": card.allergies.strip()})
        )
    tests = list(getattr(card, "desk_patch_tests", None) or card.patch_tests.all())
    for service in services:
        if not service.requires_patch_test:
            continue
        latest = next((t for t in tests if t.service_id == service.pk), None)
        values = {"service": service.name}
        if latest is None:
            alerts.append(
                Alert(
                    "patch_test",
                    "danger",
                    _("No patch test on file for %(service)s.") % values,
                )
            )
        elif not latest.passed:
            values["date"] = date_format(latest.taken_at, "SHORT_DATE_FORMAT")
            alerts.append(
                Alert(
                    "patch_test",
                    "danger",
                    _("Patch test for %(service)s failed on %(date)s.") % values,
                )
            )
        elif latest.valid_until < on:
            values["date"] = date_format(latest.valid_until, "SHORT_DATE_FORMAT")
            alerts.append(
                Alert(
                    "patch_test",
                    "warning",
                    _("Patch test for %(service)s expired on %(date)s.") % values,
                )
            )
        else:
            values["date"] = date_format(latest.valid_until, "SHORT_DATE_FORMAT")
            alerts.append(
                Alert(
                    "patch_test",
                    "info",
                    _("Patch test for %(service)s valid until %(date)s.") % values,
                )
            )
    if card.notes.strip():
        alerts.append(Alert("notes", "info", _("Notes: %(text)s") % {"text": card.notes.strip()}))
    return alerts


@dataclass
class Arrival:
    """One visit on the day's list."""

    appointment: Appointment
    start: datetime  # local
    end: datetime  # local
    client: str
    phone: str
    card_id: int | None
    services: list[str]
    masters: list[str]
    master_ids: list[int]
    alerts: list[Alert] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.appointment.status

    @property
    def status_label(self) -> str:
        return str(Status(self.appointment.status).label)

    @property
    def can_check_in(self) -> bool:
        return self.appointment.status in CHECK_IN_FROM

    @property
    def can_check_out(self) -> bool:
        return self.appointment.status in CHECK_OUT_FROM


def day_arrivals(*, location, day: date, master_ids: list[int] | None = None) -> list[Arrival]:
    """The visits at `location` starting on local `day`, in time order, with
    their alerts (`master_ids`: only visits where one of them works)."""
    zone = ZoneInfo(location.time_zone)
    since, until = local_day_bounds(day, location.time_zone)
    query = Appointment.objects.filter(
        location=location,
        status__in=ARRIVAL_STATUSES,
        starts_at__gte=since,
        starts_at__lt=until,
        session__isnull=True,
    )
    if master_ids is not None:
        query = query.filter(items__master_id__in=master_ids).distinct()
    appointments = list(
        query.select_related("client_card")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AppointmentItem.objects.select_related("service", "master").order_by(
                    "position"
                ),
            ),
            Prefetch(
                "client_card__patch_tests",
                queryset=ClientPatchTest.objects.order_by("-taken_at", "-id"),
                to_attr="desk_patch_tests",
            ),
        )
        .order_by("starts_at", "id")
    )
    rows = []
    for appointment in appointments:
        items = list(appointment.items.all())
        card = appointment.client_card
        rows.append(
            Arrival(
                appointment=appointment,
                start=appointment.starts_at.astimezone(zone),
                end=appointment.ends_at.astimezone(zone),
                client=appointment.client_name
                or (card.full_name if card else "")
                or appointment.client_phone
                or appointment.client_email,
                phone=appointment.client_phone,
                card_id=appointment.client_card_id,
                services=[item.service.name for item in items],
                masters=list(dict.fromkeys(item.master.display_name for item in items)),
                master_ids=list(dict.fromkeys(item.master_id for item in items)),
                alerts=client_alerts(card=card, services=[i.service for i in items], on=day),
            )
        )
    return rows
