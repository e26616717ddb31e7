"""The waitlist: a client asks for a service on a day between two times; when
a matching slot frees (a cancellation, a move), the first client in line is
offered it as a hold they confirm like any held booking.

Offers run after the freeing transaction commits (a background task), each
entry in its own savepoint, through the same lock-recount-write booking path.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.booking.kernel import find_slots
from solibook.booking.models import Source, WaitlistEntry
from solibook.booking.selectors import ItemSpec, from_minutes, load_availability, to_minutes
from solibook.booking.services.placing import appointment_create, open_class_slots
from solibook.catalog.models import Location, Master, Service
from solibook.core.errors import DomainError, NotFound, ValidationFailed
from solibook.core.outbox import outbox_emit

OFFER_MINUTES = 30


def waitlist_join(
    *,
    business,
    account,
    location_id: int,
    service_id: int,
    day: date,
    time_from: time,
    time_to: time,
    master_id: int | None = None,
    now: datetime | None = None,
) -> WaitlistEntry:
    location = Location.objects.filter(business=business, pk=location_id).first()
    if location is None:
        raise NotFound(_("No such location."), fields={"location_id": [_("No such location.")]})
    service = Service.objects.filter(business=business, pk=service_id, is_active=True).first()
    if service is None:
        raise NotFound(_("Unknown service."), fields={"service_id": [_("Unknown service.")]})
    if (
        master_id is not None
        and not Master.objects.filter(
            business=business, pk=master_id, service_links__service=service
        ).exists()
    ):
        raise ValidationFailed(
            _("This master does not perform this service here."),
            fields={"master_id": [_("This master does not perform this service here.")]},
        )
    if time_to <= time_from:
        raise ValidationFailed(
            _("The end must be after the start."),
            fields={"time_to": [_("The end must be after the start.")]},
        )
    today = (now or timezone.now()).astimezone(ZoneInfo(location.time_zone)).date()
    if day < today:
        raise ValidationFailed(
            _("This day is in the past."), fields={"date": [_("This day is in the past.")]}
        )
    if WaitlistEntry.objects.filter(
        business=business,
        account=account,
        service=service,
        date=day,
        state__in=[WaitlistEntry.State.WAITING, WaitlistEntry.State.OFFERED],
    ).exists():
        raise ValidationFailed(
            _("You are already on the waitlist for this day."), code="already_waiting"
        )
    return WaitlistEntry.objects.create(
        business=business,
        account=account,
        location=location,
        service=service,
        master_id=master_id,
        date=day,
        time_from=time_from,
        time_to=time_to,
    )


def waitlist_leave(*, business, entry_id: int, account=None) -> WaitlistEntry:
    entries = WaitlistEntry.objects.filter(business=business, pk=entry_id)
    if account is not None:
        entries = entries.filter(account=account)
    entry = entries.first()
    if entry is None:
        raise NotFound(_("No such waitlist entry."))
    entry.state = WaitlistEntry.State.CANCELLED
    entry.save(update_fields=["state"])
    return entry


def _first_slot(entry: WaitlistEntry, now: datetime):
    zone = ZoneInfo(entry.location.time_zone)
    loaded = load_availability(
        location=entry.location,
        specs=[ItemSpec(entry.service_id, master_id=entry.master_id)],
        start_date=entry.date,
        days=1,
        now=now,
    )
    low = to_minutes(datetime.combine(entry.date, entry.time_from, tzinfo=zone))
    high = to_minutes(datetime.combine(entry.date, entry.time_to, tzinfo=zone))
    window = (max(loaded.window[0], low), min(loaded.window[1], high))
    if window[0] > window[1]:
        return None
    slots = find_slots(
        loaded.availability,
        loaded.items,
        window=window,
        step=loaded.step,
        local_offset=loaded.local_offset,
    )
    if loaded.services[entry.service_id].is_group:
        # A seat in a session already running at that time comes first: a full
        # class's waitlist is offered the seat someone gave back.
        spec = ItemSpec(entry.service_id, master_id=entry.master_id)
        seats = [
            s for s in open_class_slots(entry.location, spec, loaded, now) if s.start >= window[0]
        ]
        slots = sorted([*seats, *slots], key=lambda s: s.start)
    # The whole visit must fit in the client's window, not just its start.
    return next((slot for slot in slots if slot.end <= high), None)


def waitlist_offer(
    *, business, location_id: int, day: date, now: datetime | None = None
) -> list[WaitlistEntry]:
    """Offer freed times on `day` to the clients waiting for them, first come first served."""
    now = now or timezone.now()
    # An offer nobody took puts its client back in line: they may still want the day.
    WaitlistEntry.objects.filter(
        business=business,
        location_id=location_id,
        date=day,
        state=WaitlistEntry.State.OFFERED,
        offer_expires_at__lte=now,
    ).update(state=WaitlistEntry.State.WAITING, offer=None, offer_expires_at=None)
    offered = []
    waiting = WaitlistEntry.objects.filter(
        business=business, location_id=location_id, date=day, state=WaitlistEntry.State.WAITING
    ).select_related("location", "account")
    for entry in waiting:
        slot = _first_slot(entry, now)
        if slot is None:
            continue
        try:
            with transaction.atomic():
                hold = appointment_create(
                    business=business,
                    location_id=location_id,
                    specs=[ItemSpec(entry.service_id, master_id=entry.master_id)],
                    start=from_minutes(slot.start),
                    source=Source.MARKETPLACE,
                    account=entry.account,
                    hold=True,
                    hold_minutes=OFFER_MINUTES,
                    now=now,
                )
                entry.state, entry.offer, entry.offer_expires_at = (
                    WaitlistEntry.State.OFFERED,
                    hold,
                    hold.hold_expires_at,
                )
                entry.save(update_fields=["state", "offer", "offer_expires_at"])
                outbox_emit(
                    topic="waitlist.offered",
                    business=business,
                    payload={
                        "entry_id": entry.pk,
                        "appointment_id": hold.pk,
                        "account_id": entry.account_id,
                    },
                )
        except DomainError:
            continue  # taken meanwhile: the next client may still fit elsewhere
        offered.append(entry)
    return offered


def waitlist_mark_booked(*, appointment) -> None:
    """Called when a held appointment is confirmed: its waitlist entry is done."""
    WaitlistEntry.objects.filter(business=appointment.business, offer=appointment).update(
        state=WaitlistEntry.State.BOOKED
    )


def freed_day(appointment) -> date:
    return appointment.starts_at.astimezone(ZoneInfo(appointment.location.time_zone)).date()


def expire_days_before(*, business, day: date) -> int:
    return WaitlistEntry.objects.filter(
        business=business,
        date__lt=day,
        state__in=[WaitlistEntry.State.WAITING, WaitlistEntry.State.OFFERED],
    ).update(state=WaitlistEntry.State.EXPIRED)
