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

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.booking.kernel import Assignment, Slot, check_slot, find_slots
from solibook.booking.models import (
    Appointment,
    AppointmentItem,
    ClassSession,
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
from solibook.booking.services.lock_recount_write import (
    HELD_STATUSES,
    check_booking_window,
    lock_appointment,
    lock_masters_and_resources,
    masters_and_resources_to_lock,
    record_change,
    recount,
    refuse_taken_slot,
    retire_expired_holds,
    run_in_booking_transaction,
    seats_taken,
    seats_taken_by,
    write_segments,
)
from solibook.catalog.models import Business, DepositRule, Location
from solibook.clients.models import Client, ClientPatchTest, ConsultationAnswer
from solibook.clients.services import client_card_for_booking
from solibook.core.errors import Conflict, NotFound, ValidationFailed, refuse

if TYPE_CHECKING:  # an annotation only, not an import edge to clients
    from solibook.clients.models import Client

HOLD_MINUTES = 10
# Bookings a client makes (pages, wizard, client API): the salon's online rules
# apply (horizon, notice, online-bookable services, deposit). Only the front
# desk (`back_office`) books outside them.
ONLINE_SOURCES = {
    Source.MARKETPLACE,
    Source.BOOKING_LINK,
    Source.WIDGET,
    Source.ASSISTANT,
    Source.REFERRAL,
    Source.PARTNER,
    Source.API,
}
# How long an online booking waits for its deposit before the time is freed.
DEPOSIT_HOLD_MINUTES = 30


def _check_requirements(
    *, business, specs: list[ItemSpec], loaded: Loaded, account, start: datetime, card=None
) -> None:
    """Patch tests and consultations, recorded on the salon's client card
    (`clients`): the card the booking found or created for the person, or
    their account's card at the salon."""
    if card is None and account is not None:
        card = Client.objects.filter(business=business, user=account).first()
    for i, spec in enumerate(specs):
        service = loaded.services[spec.service_id]
        if service.requires_patch_test and not (
            card is not None
            and ClientPatchTest.objects.filter(
                client=card,
                service=service,
                passed=True,
                taken_at__lte=start.date(),
                valid_until__gte=start.date(),
            ).exists()
        ):
            raise ValidationFailed(
                _("%(service)s needs a valid patch test before it can be booked.")
                % {"service": service.name},
                code="patch_test_required",
                fields={f"items.{i}.service_id": [_("A valid patch test is required.")]},
            )
        if service.requires_consultation and not (
            card is not None
            and ConsultationAnswer.objects.filter(
                client=card, form__service=service, approved=True
            ).exists()
        ):
            raise ValidationFailed(
                _("%(service)s needs an approved consultation form before it can be booked.")
                % {"service": service.name},
                code="consultation_required",
                fields={f"items.{i}.service_id": [_("An approved consultation form is required.")]},
            )


@dataclass(frozen=True)
class BookingPlan:
    """A booking request checked and resolved, before anything is locked or
    written: where, what, when and for whom, the hold it starts as, and the
    masters and resources the locks must cover."""

    business: Business
    location: Location
    specs: list[ItemSpec]
    start: datetime
    start_minute: int
    source: str
    online: bool
    now: datetime
    hold: bool
    hold_expires_at: datetime | None
    wants_deposit: bool
    master_ids: list[int]
    resource_ids: list[int]
    classes: bool  # a class is among the services: its held seats expire too
    attendee: dict = field(default_factory=dict)  # account, name, contacts, notes, series
    client_card: "Client | None" = None


def appointment_create(
    *,
    business,
    location_id: int,
    specs: list[ItemSpec],
    start: datetime,
    source: str,
    actor=None,
    account=None,
    client_name: str = "",
    client_phone: str = "",
    client_email: str = "",
    notes: str = "",
    hold: bool = False,
    hold_minutes: int = HOLD_MINUTES,
    now: datetime | None = None,
    series=None,
    client_card=None,
    location: Location | None = None,
    savepoint: bool = True,
) -> Appointment:
    """Book a visit (or hold it while the client confirms or pays): check the
    request, then lock, recount and write.

    The salon's client card is `client_card` when given, else found (by user,
    E.164 phone, e-mail) or created in the same transaction. `location`: the
    location `location_id` names, already read with its business (not read
    again). `savepoint=False`: the caller abandons its transaction on a refusal
    (an API view), so the booking needs no savepoint of its own."""
    plan = appointment_check(
        business=business,
        location_id=location_id,
        specs=specs,
        start=start,
        source=source,
        account=account,
        client_name=client_name,
        client_phone=client_phone,
        client_email=client_email,
        notes=notes,
        hold=hold,
        hold_minutes=hold_minutes,
        now=now,
        series=series,
        client_card=client_card,
        location=location,
    )
    return appointment_write(plan=plan, actor=actor, savepoint=savepoint)


def appointment_check(
    *,
    business,
    location_id: int,
    specs: list[ItemSpec],
    start: datetime,
    source: str,
    account=None,
    client_name: str = "",
    client_phone: str = "",
    client_email: str = "",
    notes: str = "",
    hold: bool = False,
    hold_minutes: int = HOLD_MINUTES,
    now: datetime | None = None,
    series=None,
    client_card=None,
    location: Location | None = None,
) -> BookingPlan:
    """The checks that need no lock, and what the write needs: the location, a
    whole-minute zoned start, the hold or deposit terms, and the masters and
    resources to lock. Reads only; nothing is written or locked."""
    now = now or timezone.now()
    if start.tzinfo is None:
        refuse(_("The time needs a time zone."), "start")
    if location is None or location.pk != location_id or location.business_id != business.pk:
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
        refuse(_("Times are whole minutes."), "start")
    master_ids, resource_ids = masters_and_resources_to_lock(location=location, specs=specs)
    catalog = catalog_snapshot(location)
    wants_deposit = (
        online and business.deposit_rule != DepositRule.NONE and business.deposit_value > 0
    )
    hold_expires_at: datetime | None
    if wants_deposit:
        # Held until the deposit is paid; the finance module confirms it.
        hold_expires_at = now + timedelta(minutes=max(hold_minutes, DEPOSIT_HOLD_MINUTES))
    else:
        hold_expires_at = now + timedelta(minutes=hold_minutes) if hold else None
    return BookingPlan(
        business=business,
        location=location,
        specs=specs,
        start=start,
        start_minute=start_minute,
        source=source,
        online=online,
        now=now,
        hold=hold,
        hold_expires_at=hold_expires_at,
        wants_deposit=wants_deposit,
        master_ids=master_ids,
        resource_ids=resource_ids,
        classes=any(
            getattr(catalog.services.get(spec.service_id), "is_group", False) for spec in specs
        ),
        attendee={
            "account": account,
            "client_name": client_name or (account.full_name if account else ""),
            "client_phone": client_phone
            or (str(account.phone) if account and account.phone else ""),
            "client_email": client_email or (account.email if account else ""),
            "notes": notes,
            "series": series,
        },
        client_card=client_card,
    )


def appointment_write(*, plan: BookingPlan, actor=None, savepoint: bool = True) -> Appointment:
    """Book a checked request in one transaction: lock its masters and
    resources, retire expired holds, recount that window, and write the
    visit only if the recount still finds the time free. What was read
    before the locks never decides."""
    return run_in_booking_transaction(
        lambda: _lock_recount_write(plan, actor=actor), savepoint=savepoint
    )


def _lock_recount_write(plan: BookingPlan, *, actor) -> Appointment:
    business, location, specs, start, now = (
        plan.business,
        plan.location,
        plan.specs,
        plan.start,
        plan.now,
    )
    account, source, start_minute = plan.attendee["account"], plan.source, plan.start_minute
    attendee = dict(plan.attendee)
    attendee["client_card"] = plan.client_card or client_card_for_booking(
        business=business,
        user=account,
        name=attendee["client_name"],
        phone=attendee["client_phone"],
        email=attendee["client_email"],
        source=source,
    )
    lock_masters_and_resources(master_ids=plan.master_ids, resource_ids=plan.resource_ids)
    retire_expired_holds(
        master_ids=plan.master_ids, resource_ids=plan.resource_ids, now=now, classes=plan.classes
    )
    loaded = recount(location=location, specs=specs, start=start, now=now, online=plan.online)
    if plan.online:
        for i, spec in enumerate(specs):
            if not loaded.services[spec.service_id].bookable_online:
                refuse(
                    _("This service is booked by the salon only."),
                    f"items.{i}.service_id",
                    code="not_bookable_online",
                )
    _check_requirements(
        business=business,
        specs=specs,
        loaded=loaded,
        account=account,
        start=start,
        card=attendee["client_card"],
    )
    check_booking_window(loaded=loaded, start_minute=start_minute, now=now)
    hold_expires_at = plan.hold_expires_at

    def money(price: int) -> dict:
        deposit = deposit_for(business, price) if plan.wants_deposit else 0
        return {
            "deposit_amount": deposit,
            "policy": accepted_policy(business, start=start, deposit=deposit, at=now),
        }

    group = [spec for spec in specs if loaded.services[spec.service_id].is_group]
    if group and len(specs) > 1:
        refuse(_("A class is booked on its own."), "items", code="class_alone")
    if group:
        session = _class_with_a_seat(location, specs[0], start, now=now)
        if session is not None:
            _refuse_a_second_seat(session, account, now=now)
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
        refuse_taken_slot(loaded=loaded, start_minute=start_minute)
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
        if plan.hold
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
    write_segments(
        appointment=appointment,
        slot=slot,
        items=items,
        hold_expires_at=hold_expires_at,
        session=session,
    )
    record_change(
        appointment=appointment,
        actor=actor,
        kind="created",
        data={"status": appointment.status, "source": source},
    )
    # Callers render the items: no re-read. (A private Django cache, not in django-stubs.)
    appointment._prefetched_objects_cache = {"items": items}  # type: ignore[attr-defined]
    return appointment


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


def _refuse_a_second_seat(session: ClassSession, account, *, now: datetime) -> None:
    """One seat per client in a session: a second booking (a double click, another
    tab) is refused, not a second seat. Read under the session's row lock."""
    if account is None:
        return
    if seats_taken_by(session, account=account, now=now):
        raise Conflict(_("You already have a seat in this class."), code="class_already_booked")


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
    record_change(
        appointment=appointment,
        actor=actor,
        kind="created",
        data={"status": appointment.status, "source": source, "class_session": session.pk},
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


STATUS_TRANSITIONS: dict[str, set[str]] = {
    Status.CONFIRMED: {Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED, Status.NO_SHOW},
    Status.ARRIVED: {Status.IN_PROGRESS, Status.COMPLETED, Status.NO_SHOW},
    Status.IN_PROGRESS: {Status.COMPLETED},
}


def appointment_set_status(
    *, business, appointment_id: int, status: str, actor=None
) -> Appointment:
    """Front-desk progress: arrived, in progress, completed, no-show (the
    latter by the salon's rules: `no_show.no_show_mark`)."""
    if status == Status.NO_SHOW:
        from solibook.booking.services.no_show import no_show_mark

        return no_show_mark(business=business, appointment_id=appointment_id, actor=actor)

    def change() -> Appointment:
        appointment = lock_appointment(business=business, appointment_id=appointment_id)
        if status not in STATUS_TRANSITIONS.get(appointment.status, set()):
            refuse(_("This status change is not possible."), "status", code="bad_transition")
        previous = appointment.status
        appointment.status = status
        appointment.save(update_fields=["status", "updated_at"])
        record_change(
            appointment=appointment,
            actor=actor,
            kind="status",
            data={"from": previous, "to": status},
        )
        return appointment

    return run_in_booking_transaction(change)


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
    location: Location | None = None,
) -> tuple[Loaded, list[Slot]]:
    """The read side, for listings: bookable starts with who would serve them.
    For a class, sessions already open with a free seat are bookable too.
    `location`: the caller has read it already (with its business), which
    saves reading it again; it must be this business's `location_id`."""
    now = now or timezone.now()
    if location is None or location.pk != location_id or location.business_id != business.pk:
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
                refuse(
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
            slots + open_class_slots(location, specs[0], loaded, now),
            key=lambda s: (s.start, s.items[0].master_id),
        )
    return loaded, slots[:limit] if limit is not None else slots


def open_class_slots(
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
