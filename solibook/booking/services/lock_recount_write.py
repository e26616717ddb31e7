"""The steps every write to the calendar shares: lock, recount, write.

Booking, moving, resizing, blocking time, confirming and cancelling all run
the same way, inside `run_in_booking_transaction`:

1. Lock what the change may use: the masters and resources of the visit
   (`lock_masters_and_resources`, always in id order) or the appointment itself
   (`lock_appointment`). A fixed order means two writers never wait on each
   other in a cycle; every wait is bounded (`core.locking`: past
   `DB_LOCK_TIMEOUT` it is a 409 `busy` the client may retry).
2. Recount under the lock: retire the holds that expired
   (`retire_expired_holds`), then recompute availability for exactly that
   window (`recount`). Anything read before the lock may be stale; only what
   is read after it decides.
3. Write: the segments (`write_segments`; the exclusion constraint catches
   what slipped through, as a 409 `slot_taken`, never a 500), then the event,
   the outbox row and the signal (`record_change`), in the same transaction.

A refusal in between is a `DomainError`: `check_booking_window` (400) or
`refuse_taken_slot` (409 with the nearest free times).
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import NoReturn, TypeVar
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils.translation import gettext as _

from solibook.booking.kernel import Slot, find_slots
from solibook.booking.models import (
    Appointment,
    AppointmentEvent,
    AppointmentItem,
    BookingSegment,
    ClassSession,
    Status,
)
from solibook.booking.selectors import (
    ItemSpec,
    Loaded,
    catalog_snapshot,
    from_minutes,
    load_availability,
    local_isoformat,
    to_minutes,
)
from solibook.booking.signals import appointment_changed
from solibook.catalog.models import Location, Master, Resource
from solibook.core.errors import Conflict, NotFound, refuse
from solibook.core.locking import Busy
from solibook.core.metrics import count_booking_conflict
from solibook.core.outbox import outbox_emit

OPEN_STATUSES = (Status.HOLD, Status.AWAITING_DEPOSIT, Status.CONFIRMED)
HELD_STATUSES = (Status.HOLD, Status.AWAITING_DEPOSIT)

T = TypeVar("T")


def run_in_booking_transaction(work: Callable[[], T], *, savepoint: bool = True) -> T:
    """Run `work` (which locks, recounts and writes) in one transaction; a lock
    wait past the timeout is a 409 `busy` the client may retry."""
    try:
        # A savepoint when nested: a refused booking leaves the caller's
        # transaction usable (a page may go on to render alternatives). A
        # caller that abandons its transaction on a refusal saves the two
        # round trips (`savepoint=False`).
        with transaction.atomic(savepoint=savepoint):
            return work()
    except Busy as exc:
        raise Busy(_("The calendar is busy. Please try again.")) from exc


def masters_and_resources_to_lock(
    *, location: Location, specs: list[ItemSpec]
) -> tuple[list[int], list[int]]:
    """The masters and resources a visit may use (from the catalogue snapshot),
    sorted: what `lock_masters_and_resources` takes before the recount."""
    catalog = catalog_snapshot(location)
    masters: set[int] = set()
    resources: set[int] = set()
    for spec in specs:
        links = catalog.links.get(spec.service_id, [])
        masters |= {m for m, _price, _pace in links if spec.master_id in (None, m)}
        if spec.master_id is not None:
            masters.add(spec.master_id)
        for type_id in catalog.resource_types.get(spec.service_id, ()):
            resources |= {r for r, _unit in catalog.units_by_type.get(type_id, ())}
    return sorted(masters), sorted(resources)


def lock_masters_and_resources(*, master_ids: list[int], resource_ids: list[int]) -> None:
    """Row locks on the masters, then the resources, each in id order: every
    writer takes them in the same order, so two bookings never deadlock. Every
    lock wait is bounded by `core.locking` (past `DB_LOCK_TIMEOUT`: `Busy`).
    On SQLite the IMMEDIATE transaction already serialises writers."""
    list(
        Master.objects.select_for_update()
        .filter(pk__in=master_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if resource_ids:
        list(
            Resource.objects.select_for_update()
            .filter(pk__in=resource_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def lock_appointment(*, business, appointment_id: int) -> Appointment:
    """The appointment, row-locked: two changes to one visit run one after the other."""
    appointment = (
        Appointment.objects.select_for_update().filter(business=business, pk=appointment_id).first()
    )
    if appointment is None:
        raise NotFound(_("No such appointment."))
    return appointment


def seats_taken(session: ClassSession, *, now: datetime) -> int:
    """Seats of a class taken by attendees and unexpired holds."""
    return (
        Appointment.objects.filter(session=session)
        .filter(
            Q(status__in=[Status.CONFIRMED, Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED])
            | Q(status__in=HELD_STATUSES, hold_expires_at__gt=now)
        )
        .count()
    )


def seats_taken_by(session: ClassSession, *, account, now: datetime) -> int:
    """Seats of a class this account holds or has."""
    return (
        Appointment.objects.filter(session=session, account=account)
        .filter(
            Q(status__in=[Status.CONFIRMED, Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED])
            | Q(status__in=HELD_STATUSES, hold_expires_at__gt=now)
        )
        .count()
    )


def close_session_if_empty(session: ClassSession, *, now: datetime) -> None:
    """The last attendee left: the class no longer blocks its master."""
    if seats_taken(session, now=now) == 0:
        session.is_active = False
        session.save(update_fields=["is_active"])
        BookingSegment.objects.filter(session=session).update(is_active=False)


def retire_expired_holds(
    *, master_ids: list[int], resource_ids: list[int], now: datetime, classes: bool = False
) -> None:
    """Expire the holds on these masters and resources whose time ran out, so
    the recount sees their time as free. Run under the locks: a hold retired
    before them could be confirmed in between."""
    expired = BookingSegment.objects.filter(
        Q(master_id__in=master_ids) | Q(resource_id__in=resource_ids),
        is_active=True,
        hold_expires_at__lte=now,
    )
    appointment_ids = list(expired.values_list("appointment_id", flat=True).distinct())
    if appointment_ids:
        BookingSegment.objects.filter(appointment_id__in=appointment_ids).update(is_active=False)
        Appointment.objects.filter(pk__in=appointment_ids, status__in=HELD_STATUSES).update(
            status=Status.EXPIRED
        )
    if not classes:
        return
    # Held seats in classes have no segments of their own.
    stale_seats = Appointment.objects.filter(
        session__master_id__in=master_ids,
        session__is_active=True,
        status__in=HELD_STATUSES,
        hold_expires_at__lte=now,
    )
    session_ids = set(stale_seats.values_list("session_id", flat=True))
    if session_ids:
        stale_seats.update(status=Status.EXPIRED)
        for session in ClassSession.objects.filter(pk__in=session_ids):
            close_session_if_empty(session, now=now)


def recount(
    *,
    location: Location,
    specs: list[ItemSpec],
    start: datetime,
    now: datetime,
    online: bool,
    ignore_appointment_id: int | None = None,
) -> Loaded:
    """Availability around `start` (its local day, one day either side), read
    after the locks: this read, not any earlier one, decides whether the time
    is free. `ignore_appointment_id`: the visit being moved frees its own time."""
    local_day = start.astimezone(ZoneInfo(location.time_zone)).date()
    return load_availability(
        location=location,
        specs=specs,
        start_date=local_day - timedelta(days=1),
        days=3,
        now=now,
        ignore_appointment_id=ignore_appointment_id,
        respect_rules=online,
    )


def check_booking_window(*, loaded: Loaded, start_minute: int, now: datetime) -> None:
    """Refuse a start in the past, sooner than the lead time or beyond the
    horizon (online rules only: `loaded.window`)."""
    if start_minute < to_minutes(now):
        refuse(_("This time is in the past."), "start", code="in_the_past")
    if start_minute < loaded.window[0]:
        refuse(
            _("This time is too soon to book online. Choose a later time."),
            "start",
            code="too_soon",
        )
    if start_minute > loaded.window[1]:
        refuse(
            _("This time is beyond how far ahead the salon takes bookings."),
            "start",
            code="too_far",
        )


def slot_as_dict(loaded: Loaded, slot: Slot) -> dict:
    """A slot as pages and the API show it: local times, who serves, the price."""
    zone = loaded.zone.key
    items = []
    total = 0
    for index, assignment in enumerate(slot.items):
        price = loaded.prices[(index, assignment.master_id)]
        total += price
        items.append(
            {
                "master_id": assignment.master_id,
                "master_name": loaded.master_names.get(assignment.master_id, ""),
                "start": local_isoformat(zone, assignment.start),
                "end": local_isoformat(zone, assignment.end),
                "price_amount": price,
            }
        )
    return {
        "start": local_isoformat(zone, slot.start),
        "end": local_isoformat(zone, slot.end),
        "price_amount": total,
        "currency": loaded.location.business.currency,
        "items": items,
    }


SEARCH_DAYS = 14  # how far a refusal looks for free times when its day has none


def _free_slots(loaded: Loaded) -> list[Slot]:
    return find_slots(
        loaded.availability,
        loaded.items,
        window=loaded.window,
        step=loaded.step,
        local_offset=loaded.local_offset,
    )


def _search_further(loaded: Loaded, start_minute: int) -> tuple[Loaded, list[Slot]]:
    """No free time around the asked day (the master is off, the salon closed):
    the next `SEARCH_DAYS` days with the same masters, then with any master."""
    if not loaded.specs or loaded.now is None:
        return loaded, []
    day = from_minutes(start_minute).astimezone(loaded.zone).date()
    requests = [list(loaded.specs)]
    if any(spec.master_id is not None for spec in loaded.specs):
        requests.append([replace(spec, master_id=None) for spec in loaded.specs])
    for specs in requests:
        further = load_availability(
            location=loaded.location,
            specs=specs,
            start_date=day,
            days=SEARCH_DAYS,
            now=loaded.now,
            respect_rules=loaded.respect_rules,
        )
        slots = _free_slots(further)
        if slots:
            return further, slots
    return loaded, []


def nearest_free_times(*, loaded: Loaded, start_minute: int, count: int = 3) -> list[dict]:
    """The `count` free starts nearest to `start_minute`, in time order: around
    its day, else in the next two weeks (same masters first, then any master)."""
    slots = _free_slots(loaded)
    if not slots:
        loaded, slots = _search_further(loaded, start_minute)
    nearest = sorted(slots, key=lambda s: abs(s.start - start_minute))[:count]
    return [slot_as_dict(loaded, s) for s in sorted(nearest, key=lambda s: s.start)]


def refuse_taken_slot(*, loaded: Loaded, start_minute: int) -> NoReturn:
    """The recount found the time taken: a 409 `slot_taken` with the nearest
    free times, so the client can choose again without another request (and
    a message that says so when there are none in the next two weeks)."""
    count_booking_conflict("recount")
    alternatives = nearest_free_times(loaded=loaded, start_minute=start_minute)
    raise Conflict(
        _("This time is no longer available. Here are the nearest free times.")
        if alternatives
        else _("This time is not available, and there is no free time in the next two weeks."),
        code="slot_taken",
        extra={"alternatives": alternatives},
    )


def write_segments(
    *,
    appointment: Appointment,
    slot: Slot,
    items: list[AppointmentItem],
    hold_expires_at: datetime | None,
    session: ClassSession | None = None,
) -> None:
    """The busy rows of a visit (per master, per resource unit), which the
    exclusion constraints check; an overlap they refuse is a 409 `slot_taken`."""
    # A class's segments belong to its session and never expire with one seat's hold.
    owner: dict[str, Model] = {"session": session} if session else {"appointment": appointment}
    expires = None if session else hold_expires_at
    # Per master, and per resource unit, the visit's busy spans. One master (or
    # room) continuing into the next item overlaps it through the first item's
    # buffer, as the kernel allows; the exclusion constraint would refuse two
    # overlapping rows, so overlapping spans merge into the earlier item's row.
    spans: dict[tuple, list[list]] = {}
    for item, assignment in zip(items, slot.items, strict=True):
        for start, end in assignment.segments:
            spans.setdefault(("master", assignment.master_id), []).append([start, end, item])
        for resource_id, unit in assignment.units:
            spans.setdefault(("unit", resource_id, unit), []).append([*assignment.unit_span, item])
    segments = []
    for key, found in spans.items():
        found.sort(key=lambda span: span[0])
        merged = [found[0]]
        for span in found[1:]:
            if span[0] < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], span[1])
            else:
                merged.append(span)
        where = (
            {"master_id": key[1]} if key[0] == "master" else {"resource_id": key[1], "unit": key[2]}
        )
        for start, end, item in merged:
            own = owner if session else {**owner, "item": item}
            segments.append(
                BookingSegment(
                    business=appointment.business,
                    starts_at=from_minutes(start),
                    ends_at=from_minutes(end),
                    hold_expires_at=expires,
                    **where,
                    **own,
                )
            )
    try:
        # No savepoint of its own: `run_in_booking_transaction`'s rolls the booking back.
        with transaction.atomic(savepoint=False):
            BookingSegment.objects.bulk_create(segments)
    except IntegrityError as exc:
        # The database refused an overlap that the recount did not see.
        count_booking_conflict("constraint")
        raise Conflict(_("This time is no longer available."), code="slot_taken") from exc


def record_change(*, appointment: Appointment, actor, kind: str, data: dict) -> None:
    """Every change of a visit, in its transaction: the audit event (who, what),
    the outbox row (notifications, analytics), and `appointment_changed` (the
    marketplace's free-time summary)."""
    AppointmentEvent.objects.create(
        business=appointment.business,
        appointment=appointment,
        actor=actor if actor and actor.is_authenticated else None,
        kind=kind,
        data=data,
    )
    outbox_emit(
        topic=f"appointment.{kind}",
        business=appointment.business,
        payload={
            "appointment_id": appointment.pk,
            "status": appointment.status,
            "starts_at": appointment.starts_at.isoformat(),
            **data,
        },
    )
    appointment_changed.send(sender=Appointment, appointment=appointment, kind=kind, data=data)
