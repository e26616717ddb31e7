"""Every write to appointments: lock, recount, write, in one transaction.

1. Lock the masters and resources the visit may use, in id order (a fixed
   order, so two bookings never wait on each other in a cycle), with a short
   lock timeout on PostgreSQL; SQLite's IMMEDIATE transactions serialise
   writers instead.
2. Retire holds that expired, then recompute availability for exactly that
   window with the kernel.
3. Write the appointment, its items, its segments and its outbox events.

The exclusion constraint catches anything that slips through (a bug, a
writer that skipped the lock): it becomes a 409, never a 500. Entry points
(pages, API) own the outer transaction and call these functions once.
"""

from datetime import datetime, timedelta
from typing import NoReturn
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Count, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.booking.kernel import Assignment, Slot, check_slot, find_slots
from solibook.booking.models import (
    Appointment,
    AppointmentEvent,
    AppointmentItem,
    BookingSegment,
    ClassSession,
    ConsultationRecord,
    PatchTest,
    Source,
    Status,
)
from solibook.booking.policies import cancellation_policy
from solibook.booking.selectors import (
    ItemSpec,
    Loaded,
    catalog_snapshot,
    from_minutes,
    load_availability,
    to_minutes,
)
from solibook.booking.signals import appointment_changed
from solibook.catalog.models import DepositRule, Location, Master, Resource
from solibook.clients.models import ClientPatchTest, ConsultationAnswer
from solibook.clients.services import client_card_for_booking
from solibook.core.errors import Conflict, NotFound, ValidationFailed
from solibook.core.locking import Busy
from solibook.core.outbox import outbox_emit

HOLD_MINUTES = 10
ONLINE_SOURCES = {
    Source.MARKETPLACE,
    Source.BOOKING_LINK,
    Source.WIDGET,
    Source.ASSISTANT,
    Source.REFERRAL,
}
OPEN_STATUSES = (Status.HOLD, Status.AWAITING_DEPOSIT, Status.CONFIRMED)
HELD_STATUSES = (Status.HOLD, Status.AWAITING_DEPOSIT)
# How long an online booking waits for its deposit before the time is freed.
DEPOSIT_HOLD_MINUTES = 30


def _refuse(message: str, field: str | None = None, *, code: str = "invalid") -> NoReturn:
    raise ValidationFailed(message, code=code, fields={field: [message]} if field else None)


def _lock(*, master_ids: list[int], resource_ids: list[int]) -> None:
    """Row locks on the masters and resources, in id order; every lock wait is
    bounded by `core.locking` (a wait past `DB_LOCK_TIMEOUT` raises `Busy`)."""
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


def _candidates(location: Location, specs: list[ItemSpec]) -> tuple[list[int], list[int]]:
    """The masters and resources a visit may use (from the catalogue snapshot)."""
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


def _retire_expired_holds(
    *, master_ids: list[int], resource_ids: list[int], now: datetime, classes: bool = False
) -> None:
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


def seats_taken(session: ClassSession, *, now: datetime) -> int:
    return (
        Appointment.objects.filter(session=session)
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


def _check_requirements(
    *, business, specs: list[ItemSpec], loaded: Loaded, client, start: datetime, card=None
) -> None:
    """Patch tests and consultations: on the client's account, or recorded on
    the salon's client card by the front desk (`clients`)."""
    for i, spec in enumerate(specs):
        service = loaded.services[spec.service_id]
        if service.requires_patch_test and not (
            (
                client is not None
                and PatchTest.objects.filter(
                    business=business,
                    client=client,
                    service=service,
                    passed=True,
                    valid_until__gt=start,
                    taken_at__lte=start,
                ).exists()
            )
            or (
                card is not None
                and ClientPatchTest.objects.filter(
                    client=card,
                    service=service,
                    passed=True,
                    taken_at__lte=start.date(),
                    valid_until__gte=start.date(),
                ).exists()
            )
        ):
            raise ValidationFailed(
                _("%(service)s needs a valid patch test before it can be booked.")
                % {"service": service.name},
                code="patch_test_required",
                fields={f"items.{i}.service_id": [_("A valid patch test is required.")]},
            )
        if service.requires_consultation and not (
            (
                client is not None
                and ConsultationRecord.objects.filter(
                    business=business, client=client, service=service, approved=True
                ).exists()
            )
            or (
                card is not None
                and ConsultationAnswer.objects.filter(client=card, form__service=service).exists()
            )
        ):
            raise ValidationFailed(
                _("%(service)s needs an approved consultation form before it can be booked.")
                % {"service": service.name},
                code="consultation_required",
                fields={f"items.{i}.service_id": [_("An approved consultation form is required.")]},
            )


def _alternatives(loaded: Loaded, start_minute: int, count: int = 3) -> list[dict]:
    slots = find_slots(
        loaded.availability,
        loaded.items,
        window=loaded.window,
        step=loaded.step,
        local_offset=loaded.local_offset,
    )
    nearest = sorted(slots, key=lambda s: abs(s.start - start_minute))[:count]
    return [slot_as_dict(loaded, s) for s in sorted(nearest, key=lambda s: s.start)]


def slot_as_dict(loaded: Loaded, slot: Slot) -> dict:
    zone = loaded.zone
    items = []
    total = 0
    for index, assignment in enumerate(slot.items):
        price = loaded.prices[(index, assignment.master_id)]
        total += price
        items.append(
            {
                "master_id": assignment.master_id,
                "master_name": loaded.master_names.get(assignment.master_id, ""),
                "start": from_minutes(assignment.start).astimezone(zone).isoformat(),
                "end": from_minutes(assignment.end).astimezone(zone).isoformat(),
                "price_amount": price,
            }
        )
    return {
        "start": from_minutes(slot.start).astimezone(zone).isoformat(),
        "end": from_minutes(slot.end).astimezone(zone).isoformat(),
        "price_amount": total,
        "currency": loaded.location.business.currency,
        "items": items,
    }


def _window_error(loaded: Loaded, start_minute: int, now: datetime) -> None:
    if start_minute < to_minutes(now):
        _refuse(_("This time is in the past."), "start", code="in_the_past")
    if start_minute < loaded.window[0]:
        _refuse(
            _("This time is too soon to book online. Choose a later time."),
            "start",
            code="too_soon",
        )
    if start_minute > loaded.window[1]:
        _refuse(
            _("This time is beyond how far ahead the salon takes bookings."),
            "start",
            code="too_far",
        )


def _conflict(loaded: Loaded, start_minute: int) -> NoReturn:
    raise Conflict(
        _("This time is no longer available. Here are the nearest free times."),
        code="slot_taken",
        extra={"alternatives": _alternatives(loaded, start_minute)},
    )


def _write_segments(
    appointment: Appointment,
    slot: Slot,
    items: list[AppointmentItem],
    hold_expires_at,
    session: ClassSession | None = None,
) -> None:
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
        # No savepoint of its own: `_run_locked`'s rolls the booking back.
        with transaction.atomic(savepoint=False):
            BookingSegment.objects.bulk_create(segments)
    except IntegrityError as exc:
        # The database refused an overlap that the recount did not see.
        raise Conflict(_("This time is no longer available."), code="slot_taken") from exc


def _run_locked(fn):
    """Run `fn` in a transaction; a lock wait past the timeout is a 409 the client may retry."""
    try:
        # A savepoint when nested: a refused booking leaves the caller's
        # transaction usable (a page may go on to render alternatives).
        with transaction.atomic():
            return fn()
    except Busy as exc:
        raise Busy(_("The calendar is busy. Please try again.")) from exc


def appointment_create(
    *,
    business,
    location_id: int,
    specs: list[ItemSpec],
    start: datetime,
    source: str,
    actor=None,
    client=None,
    client_name: str = "",
    client_phone: str = "",
    client_email: str = "",
    notes: str = "",
    hold: bool = False,
    hold_minutes: int = HOLD_MINUTES,
    now: datetime | None = None,
    series=None,
    client_card=None,
) -> Appointment:
    """Book a visit (or hold it while the client confirms or pays).

    The salon's client card is `client_card` when given, else found (by user,
    E.164 phone, e-mail) or created in the same transaction."""
    now = now or timezone.now()
    if start.tzinfo is None:
        _refuse(_("The time needs a time zone."), "start")
    location = (
        Location.objects.select_related("business")
        .filter(business=business, pk=location_id)
        .first()
    )
    if location is None:
        raise NotFound(_("No such location."), fields={"location_id": [_("No such location.")]})
    online = source in ONLINE_SOURCES
    start_minute = to_minutes(start)
    if start_minute * 60 != int(start.timestamp()):
        _refuse(_("Times are whole minutes."), "start")

    def place() -> Appointment:
        attendee["client_card"] = client_card or client_card_for_booking(
            business=business,
            user=client,
            name=attendee["client_name"],
            phone=attendee["client_phone"],
            email=attendee["client_email"],
            source=source,
        )
        master_ids, resource_ids = _candidates(location, specs)
        _lock(master_ids=master_ids, resource_ids=resource_ids)
        catalog = catalog_snapshot(location)
        classes = any(
            getattr(catalog.services.get(spec.service_id), "is_group", False) for spec in specs
        )
        _retire_expired_holds(
            master_ids=master_ids, resource_ids=resource_ids, now=now, classes=classes
        )
        local_day = start.astimezone(ZoneInfo(location.time_zone)).date()
        loaded = load_availability(
            location=location,
            specs=specs,
            start_date=local_day - timedelta(days=1),
            days=3,
            now=now,
            respect_rules=online,
        )
        if online:
            for i, spec in enumerate(specs):
                if not loaded.services[spec.service_id].bookable_online:
                    _refuse(
                        _("This service is booked by the salon only."),
                        f"items.{i}.service_id",
                        code="not_bookable_online",
                    )
        _check_requirements(
            business=business,
            specs=specs,
            loaded=loaded,
            client=client,
            start=start,
            card=attendee["client_card"],
        )
        _window_error(loaded, start_minute, now)
        wants_deposit = (
            online and business.deposit_rule != DepositRule.NONE and business.deposit_value > 0
        )
        hold_expires_at: datetime | None
        if wants_deposit:
            # Held until the deposit is paid; the finance module confirms it.
            hold_expires_at = now + timedelta(minutes=max(hold_minutes, DEPOSIT_HOLD_MINUTES))
        else:
            hold_expires_at = now + timedelta(minutes=hold_minutes) if hold else None

        def money(price: int) -> dict:
            deposit = deposit_for(business, price) if wants_deposit else 0
            return {
                "deposit_amount": deposit,
                "policy": accepted_policy(business, start=start, deposit=deposit, at=now),
            }

        group = [spec for spec in specs if loaded.services[spec.service_id].is_group]
        if group and len(specs) > 1:
            _refuse(_("A class is booked on its own."), "items", code="class_alone")
        if group:
            session = _class_with_a_seat(location, specs[0], start, now=now)
            if session is not None:
                return _take_seat(
                    session,
                    loaded,
                    specs[0],
                    {
                        **attendee,
                        **money(
                            loaded.prices.get(
                                (0, session.master_id),
                                loaded.services[specs[0].service_id].price_amount,
                            )
                        ),
                    },
                    hold_expires_at=hold_expires_at,
                    actor=actor,
                    source=source,
                )
        slot = check_slot(loaded.availability, loaded.items, start=start_minute)
        if slot is None:
            _conflict(loaded, start_minute)
        price = sum(loaded.prices[(i, a.master_id)] for i, a in enumerate(slot.items))
        terms = money(price)
        appointment = Appointment.objects.create(
            business=business,
            location=location,
            **attendee,
            **terms,
            status=Status.AWAITING_DEPOSIT
            if terms["deposit_amount"]
            else Status.HOLD
            if hold
            else Status.CONFIRMED,
            starts_at=from_minutes(slot.start),
            ends_at=from_minutes(slot.end),
            hold_expires_at=hold_expires_at,
            source=source,
            currency=business.currency,
            price_amount=price,
            created_by=actor if actor and actor.is_authenticated else None,
        )
        items = AppointmentItem.objects.bulk_create(
            [
                AppointmentItem(
                    business=business,
                    appointment=appointment,
                    position=i,
                    service_id=spec.service_id,
                    variant_id=spec.variant_id,
                    master_id=a.master_id,
                    starts_at=from_minutes(a.start),
                    ends_at=from_minutes(a.end),
                    price_amount=loaded.prices[(i, a.master_id)],
                )
                for i, (spec, a) in enumerate(zip(specs, slot.items, strict=True))
            ]
        )
        session = None
        if group:
            service = loaded.services[specs[0].service_id]
            session = ClassSession.objects.create(
                business=business,
                location=location,
                service=service,
                master_id=slot.items[0].master_id,
                starts_at=appointment.starts_at,
                ends_at=appointment.ends_at,
                capacity=service.group_capacity,
            )
            appointment.session = session
            appointment.save(update_fields=["session"])
        _write_segments(appointment, slot, items, hold_expires_at, session=session)
        _record(appointment, actor, "created", {"status": appointment.status, "source": source})
        # Callers render the items: no re-read. (A private Django cache, not in django-stubs.)
        appointment._prefetched_objects_cache = {"items": items}  # type: ignore[attr-defined]
        return appointment

    attendee = {
        "client": client,
        "client_name": client_name or (client.full_name if client else ""),
        "client_phone": client_phone or (str(client.phone) if client and client.phone else ""),
        "client_email": client_email or (client.email if client else ""),
        "notes": notes,
        "series": series,
    }
    return _run_locked(place)


def _class_with_a_seat(
    location: Location, spec: ItemSpec, start: datetime, *, now: datetime
) -> ClassSession | None:
    """An open session of this class at `start` with a free seat, locked; a
    full one is a 409. None when no session exists yet (the caller opens one)."""
    sessions = ClassSession.objects.select_for_update().filter(
        location=location, service_id=spec.service_id, starts_at=start, is_active=True
    )
    if spec.master_id is not None:
        sessions = sessions.filter(master_id=spec.master_id)
    candidates = list(sessions.order_by("pk"))
    for session in candidates:
        if seats_taken(session, now=now) < session.capacity:
            return session
    if candidates:
        raise Conflict(_("This class is full."), code="class_full")
    return None


def _take_seat(
    session: ClassSession,
    loaded: Loaded,
    spec: ItemSpec,
    attendee: dict,
    *,
    hold_expires_at,
    actor,
    source: str,
) -> Appointment:
    price = loaded.prices.get((0, session.master_id), loaded.services[spec.service_id].price_amount)
    appointment = Appointment.objects.create(
        business=session.business,
        location=session.location,
        session=session,
        status=Status.AWAITING_DEPOSIT
        if attendee.get("deposit_amount")
        else Status.HOLD
        if hold_expires_at
        else Status.CONFIRMED,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        hold_expires_at=hold_expires_at,
        source=source,
        price_amount=price,
        currency=session.business.currency,
        created_by=actor if actor and actor.is_authenticated else None,
        **attendee,
    )
    item = AppointmentItem.objects.create(
        business=session.business,
        appointment=appointment,
        service_id=spec.service_id,
        variant_id=spec.variant_id,
        master_id=session.master_id,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        price_amount=price,
    )
    _record(
        appointment,
        actor,
        "created",
        {"status": appointment.status, "source": source, "class_session": session.pk},
    )
    appointment._prefetched_objects_cache = {"items": [item]}  # type: ignore[attr-defined]  # as above
    return appointment


def deposit_for(business, price: int) -> int:
    """The deposit an online booking asks for under the business's rule (0: none),
    never more than the price."""
    if business.deposit_rule == DepositRule.FIXED:
        return min(business.deposit_value, price)
    if business.deposit_rule == DepositRule.PERCENT:
        return price * business.deposit_value // 100
    return 0


def accepted_policy(business, *, start: datetime, deposit: int, at: datetime) -> dict:
    """The money rules shown to the client when booking, kept with the visit."""
    policy = cancellation_policy(business=business, starts_at=start)
    return {
        "free_until": policy.free_until.isoformat(),
        "late_fee_percent": policy.late_fee_percent,
        "no_show_fee_percent": policy.late_fee_percent,
        "deposit_amount": deposit,
        "currency": business.currency,
        "accepted_at": at.isoformat(),
    }


def _record(appointment: Appointment, actor, kind: str, data: dict) -> None:
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


def _locked_appointment(business, appointment_id: int) -> Appointment:
    appointment = (
        Appointment.objects.select_for_update().filter(business=business, pk=appointment_id).first()
    )
    if appointment is None:
        raise NotFound(_("No such appointment."))
    return appointment


STATUS_TRANSITIONS: dict[str, set[str]] = {
    Status.CONFIRMED: {Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED, Status.NO_SHOW},
    Status.ARRIVED: {Status.IN_PROGRESS, Status.COMPLETED, Status.NO_SHOW},
    Status.IN_PROGRESS: {Status.COMPLETED},
}


def appointment_set_status(
    *, business, appointment_id: int, status: str, actor=None
) -> Appointment:
    """Front-desk progress: arrived, in progress, completed, no-show."""

    def change() -> Appointment:
        appointment = _locked_appointment(business, appointment_id)
        if status not in STATUS_TRANSITIONS.get(appointment.status, set()):
            _refuse(_("This status change is not possible."), "status", code="bad_transition")
        previous = appointment.status
        appointment.status = status
        appointment.save(update_fields=["status", "updated_at"])
        _record(appointment, actor, "status", {"from": previous, "to": status})
        return appointment

    return _run_locked(change)


def slots_available(
    *,
    business,
    location_id: int,
    specs: list[ItemSpec],
    start_date,
    days: int,
    online: bool = True,
    now: datetime | None = None,
    limit: int | None = None,
) -> tuple[Loaded, list[Slot]]:
    """The read side, for listings: bookable starts with who would serve them.
    For a class, sessions already open with a free seat are bookable too."""
    now = now or timezone.now()
    location = (
        Location.objects.select_related("business")
        .filter(business=business, pk=location_id)
        .first()
    )
    if location is None:
        raise NotFound(_("No such location."))
    loaded = load_availability(
        location=location,
        specs=specs,
        start_date=start_date,
        days=days,
        now=now,
        respect_rules=online,
    )
    if online:
        for i, spec in enumerate(specs):
            if not loaded.services[spec.service_id].bookable_online:
                _refuse(
                    _("This service is booked by the salon only."),
                    f"items.{i}.service_id",
                    code="not_bookable_online",
                )
    slots = find_slots(
        loaded.availability,
        loaded.items,
        window=loaded.window,
        step=loaded.step,
        local_offset=loaded.local_offset,
    )
    if len(specs) == 1 and loaded.services[specs[0].service_id].is_group:
        slots = sorted(
            slots + _open_class_slots(location, specs[0], loaded, now),
            key=lambda s: (s.start, s.items[0].master_id),
        )
    return loaded, slots[:limit] if limit is not None else slots


def _open_class_slots(
    location: Location, spec: ItemSpec, loaded: Loaded, now: datetime
) -> list[Slot]:
    window = (from_minutes(loaded.window[0]), from_minutes(loaded.window[1]))
    sessions = ClassSession.objects.filter(
        location=location,
        service_id=spec.service_id,
        is_active=True,
        starts_at__gte=window[0],
        starts_at__lte=window[1],
    )
    if spec.master_id is not None:
        sessions = sessions.filter(master_id=spec.master_id)
    taken = Count(
        "attendees",
        filter=Q(
            attendees__status__in=[
                Status.CONFIRMED,
                Status.ARRIVED,
                Status.IN_PROGRESS,
                Status.COMPLETED,
            ]
        )
        | Q(attendees__status__in=HELD_STATUSES, attendees__hold_expires_at__gt=now),
    )
    slots = []
    for session in sessions.annotate(taken=taken):
        if session.taken < session.capacity:
            start, end = to_minutes(session.starts_at), to_minutes(session.ends_at)
            slots.append(
                Slot(
                    start=start,
                    end=end,
                    items=(
                        Assignment(
                            master_id=session.master_id,
                            start=start,
                            end=end,
                            segments=(),
                            units=(),
                            unit_span=(start, end),
                        ),
                    ),
                )
            )
    return slots
