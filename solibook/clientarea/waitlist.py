"""The client's side of the waitlist, for the pages: their entries across
salons, and accepting an offer. Joining, leaving, offering and confirming are
`booking.services` (the same calls the waitlist and confirm API routes make);
this module finds the client's own entry first, so an entry of someone else
is a 404, never a hint."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.booking import services as booking
from solibook.booking.models import Appointment, Status, WaitlistEntry
from solibook.core.errors import Conflict, NotFound
from solibook.core.ids import is_db_id
from solibook.core.tenancy import business_scope

OPEN = (WaitlistEntry.State.WAITING, WaitlistEntry.State.OFFERED)


def client_waitlist(user) -> list[WaitlistEntry]:
    """The client's entries, open ones first, then the latest."""
    with scopes_disabled():  # a client's entries span salons
        entries = list(
            WaitlistEntry.objects.filter(account=user)
            .select_related("business", "location", "service", "master", "offer")
            .order_by("-date", "-id")[:100]
        )
    return sorted(entries, key=lambda e: e.state not in OPEN)


def own_entry(user, entry_id: int) -> WaitlistEntry:
    with scopes_disabled():
        entry = (
            WaitlistEntry.objects.select_related("business", "location", "service", "master")
            .filter(pk=entry_id, account=user)
            .first()
            if is_db_id(entry_id)
            else None
        )
    if entry is None:
        raise NotFound(_("No such waitlist entry."))
    return entry


@dataclass
class Offer:
    entry: WaitlistEntry
    appointment: object | None
    lines: list[dict]
    starts_at: datetime | None
    expires_at: datetime | None
    state: str  # "open", "booked", "expired", "gone" (taken back or never made)

    @property
    def awaits_deposit(self) -> bool:
        """The salon asks a deposit: the offer is confirmed by paying it."""
        return self.appointment is not None and self.appointment.status == Status.AWAITING_DEPOSIT


def offer_for(user, entry_id: int, *, now: datetime | None = None) -> Offer:
    """What an offer holds for the client, and whether it can still be confirmed."""
    now = now or timezone.now()
    entry = own_entry(user, entry_id)
    with scopes_disabled():
        appointment = (
            Appointment.objects.prefetch_related("items__service", "items__master").get(
                pk=entry.offer_id
            )
            if entry.offer_id
            else None
        )
    zone = ZoneInfo(entry.location.time_zone)
    lines = (
        [
            {
                "service": i.service.name,
                "master": i.master.display_name,
                "start": i.starts_at.astimezone(zone),
                "price_amount": i.price_amount,
            }
            for i in appointment.items.all()
        ]
        if appointment
        else []
    )
    if entry.state == WaitlistEntry.State.BOOKED or (
        appointment is not None and appointment.status == Status.CONFIRMED
    ):
        state = "booked"
    elif (
        entry.state == WaitlistEntry.State.OFFERED
        and appointment is not None
        and appointment.status in (Status.HOLD, Status.AWAITING_DEPOSIT)
        and appointment.hold_expires_at is not None
        and appointment.hold_expires_at > now
    ):
        state = "open"
    elif appointment is not None or entry.state == WaitlistEntry.State.EXPIRED:
        state = "expired"
    else:
        state = "gone"
    return Offer(
        entry=entry,
        appointment=appointment,
        lines=lines,
        starts_at=appointment.starts_at.astimezone(zone) if appointment else None,
        expires_at=appointment.hold_expires_at.astimezone(zone)
        if appointment and appointment.hold_expires_at
        else None,
        state=state,
    )


def offer_accept(*, user, entry_id: int, now: datetime | None = None):
    """Confirm the time a waitlist offer holds: `booking.appointment_confirm`,
    as `POST /api/v1/appointments/{id}/confirm/` does. Confirming twice is
    harmless (the booking stays confirmed); an offer that ran out or was
    given to the next client is a Conflict that says so."""
    entry = own_entry(user, entry_id)
    if entry.offer_id is None or entry.state not in (
        WaitlistEntry.State.OFFERED,
        WaitlistEntry.State.BOOKED,
    ):
        raise Conflict(_("This offer has expired or was given to someone else."), code="offer_gone")
    with business_scope(entry.business):
        try:
            return booking.appointment_confirm(
                business=entry.business, appointment_id=entry.offer_id, actor=user, now=now
            )
        except Conflict as exc:
            if exc.code == "hold_expired":
                raise Conflict(
                    _("This offer has expired or was given to someone else."), code="offer_gone"
                ) from exc
            raise


def waitlist_join(*, user, business, location_id: int, **request):
    """Join the waitlist of a salon (the same call as `POST /api/v1/waitlist/`)."""
    with business_scope(business):
        return booking.waitlist_join(
            business=business, account=user, location_id=location_id, **request
        )


def waitlist_leave(*, user, entry_id: int) -> WaitlistEntry:
    entry = own_entry(user, entry_id)
    with business_scope(entry.business):
        return booking.waitlist_leave(business=entry.business, entry_id=entry.pk, account=user)
