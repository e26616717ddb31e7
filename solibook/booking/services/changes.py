"""Changes to booked visits: confirm a hold, cancel, move.

Cancelling or moving frees time; once the change commits, the waitlist for
that day is offered the freed time by a background task.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.booking.kernel import check_slot
from solibook.booking.models import Appointment, AppointmentItem, BookingSegment, Status
from solibook.booking.policies import cancellation_policy
from solibook.booking.selectors import ItemSpec, from_minutes, to_minutes
from solibook.booking.services.lock_recount_write import (
    OPEN_STATUSES,
    check_booking_window,
    close_session_if_empty,
    lock_appointment,
    lock_masters_and_resources,
    masters_and_resources_to_lock,
    record_change,
    recount,
    refuse_taken_slot,
    retire_expired_holds,
    run_in_booking_transaction,
    write_segments,
)
from solibook.booking.services.waitlist import freed_day, waitlist_mark_booked
from solibook.booking.tasks import offer_freed_time
from solibook.core.errors import Conflict, ValidationFailed, refuse


def _offer_freed_time_after_commit(appointment: Appointment, day) -> None:
    business_id, location_id = appointment.business_id, appointment.location_id
    transaction.on_commit(
        lambda: offer_freed_time.enqueue(
            business_id=business_id, location_id=location_id, day=day.isoformat()
        )
    )


def appointment_confirm(
    *, business, appointment_id: int, actor=None, now: datetime | None = None
) -> Appointment:
    now = now or timezone.now()

    def confirm() -> Appointment:
        appointment = lock_appointment(business=business, appointment_id=appointment_id)
        if appointment.status == Status.CONFIRMED:
            return appointment
        if appointment.status == Status.AWAITING_DEPOSIT:
            raise Conflict(
                _("This booking is confirmed once its deposit is paid."), code="awaiting_deposit"
            )
        if (
            appointment.status != Status.HOLD
            or appointment.hold_expires_at is None
            or appointment.hold_expires_at <= now
        ):
            raise Conflict(
                _("This hold has expired. Please choose a time again."), code="hold_expired"
            )
        appointment.status, appointment.hold_expires_at = Status.CONFIRMED, None
        appointment.save(update_fields=["status", "hold_expires_at", "updated_at"])
        BookingSegment.objects.filter(appointment=appointment, is_active=True).update(
            hold_expires_at=None
        )
        waitlist_mark_booked(appointment=appointment)
        record_change(appointment=appointment, actor=actor, kind="confirmed", data={})
        return appointment

    return run_in_booking_transaction(confirm)


def appointment_deposit_paid(
    *, business, appointment_id: int, actor=None, now: datetime | None = None
) -> Appointment:
    """The deposit of an online booking is secured: the held visit is confirmed.
    Refused (`hold_expired`) when the hold ran out first: the caller releases
    the money."""
    now = now or timezone.now()

    def confirm() -> Appointment:
        appointment = lock_appointment(business=business, appointment_id=appointment_id)
        if appointment.status == Status.CONFIRMED:
            return appointment
        if (
            appointment.status != Status.AWAITING_DEPOSIT
            or appointment.hold_expires_at is None
            or appointment.hold_expires_at <= now
        ):
            raise Conflict(
                _("This hold has expired. Please choose a time again."), code="hold_expired"
            )
        appointment.status, appointment.hold_expires_at = Status.CONFIRMED, None
        appointment.save(update_fields=["status", "hold_expires_at", "updated_at"])
        BookingSegment.objects.filter(appointment=appointment, is_active=True).update(
            hold_expires_at=None
        )
        # A waitlist offer at a deposit salon is confirmed here, not by
        # appointment_confirm: its entry is done too.
        waitlist_mark_booked(appointment=appointment)
        record_change(
            appointment=appointment,
            actor=actor,
            kind="confirmed",
            data={"deposit_paid": appointment.deposit_amount},
        )
        return appointment

    return run_in_booking_transaction(confirm)


def appointment_deposit_waive(
    *, business, appointment_id: int, actor=None, now: datetime | None = None
) -> Appointment:
    """Nothing is left to pay for a visit held for its deposit (a promo code
    took the whole price): it is confirmed without a payment, and no deposit
    is kept on it. Refused (`hold_expired`) when the hold ran out first."""
    now = now or timezone.now()

    def confirm() -> Appointment:
        appointment = lock_appointment(business=business, appointment_id=appointment_id)
        if appointment.status == Status.CONFIRMED:
            return appointment
        if (
            appointment.status != Status.AWAITING_DEPOSIT
            or appointment.hold_expires_at is None
            or appointment.hold_expires_at <= now
        ):
            raise Conflict(
                _("This hold has expired. Please choose a time again."), code="hold_expired"
            )
        waived = appointment.deposit_amount
        appointment.status, appointment.hold_expires_at = Status.CONFIRMED, None
        appointment.deposit_amount = 0
        appointment.save(
            update_fields=["status", "hold_expires_at", "deposit_amount", "updated_at"]
        )
        BookingSegment.objects.filter(appointment=appointment, is_active=True).update(
            hold_expires_at=None
        )
        waitlist_mark_booked(appointment=appointment)
        record_change(
            appointment=appointment,
            actor=actor,
            kind="confirmed",
            data={"deposit_waived": waived},
        )
        return appointment

    return run_in_booking_transaction(confirm)


def appointment_expire_unpaid(
    *, business, appointment_id: int, now: datetime | None = None
) -> Appointment | None:
    """An online booking whose deposit was not paid in time: free its slot.
    Returns None when there was nothing to expire (paid meanwhile, cancelled)."""
    now = now or timezone.now()

    def expire() -> Appointment | None:
        appointment = lock_appointment(business=business, appointment_id=appointment_id)
        if (
            appointment.status != Status.AWAITING_DEPOSIT
            or appointment.hold_expires_at is None
            or appointment.hold_expires_at > now
        ):
            return None
        appointment.status = Status.EXPIRED
        appointment.save(update_fields=["status", "updated_at"])
        BookingSegment.objects.filter(appointment=appointment).update(is_active=False)
        if appointment.session is not None:
            close_session_if_empty(appointment.session, now=now)
        _offer_freed_time_after_commit(appointment, freed_day(appointment))
        record_change(
            appointment=appointment, actor=None, kind="expired", data={"reason": "deposit_unpaid"}
        )
        return appointment

    return run_in_booking_transaction(expire)


def appointment_cancel(
    *,
    business,
    appointment_id: int,
    actor=None,
    by_client: bool,
    reason: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Cancel and free the time. A client cancelling after the free window is
    recorded as a late cancellation (the fee is charged by the payments module)."""
    now = now or timezone.now()

    def cancel() -> Appointment:
        appointment = lock_appointment(business=business, appointment_id=appointment_id)
        if appointment.status not in OPEN_STATUSES:
            raise ValidationFailed(
                _("Only an upcoming appointment can be cancelled."), code="not_cancellable"
            )
        policy = cancellation_policy(business=business, starts_at=appointment.starts_at)
        appointment.status = Status.CANCELLED
        appointment.cancelled_at = now
        appointment.cancelled_by_client = by_client
        appointment.cancellation_reason = reason[:300]
        appointment.late_cancellation = by_client and policy.is_late(now)
        appointment.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by_client",
                "cancellation_reason",
                "late_cancellation",
                "updated_at",
            ]
        )
        BookingSegment.objects.filter(appointment=appointment).update(is_active=False)
        if appointment.session is not None:
            close_session_if_empty(appointment.session, now=now)
        _offer_freed_time_after_commit(appointment, freed_day(appointment))
        record_change(
            appointment=appointment,
            actor=actor,
            kind="cancelled",
            data={
                "by_client": by_client,
                "late": appointment.late_cancellation,
                "fee": policy.fee(price_amount=appointment.price_amount, at=now)
                if by_client
                else 0,
            },
        )
        return appointment

    return run_in_booking_transaction(cancel)


def appointment_reschedule(
    *,
    business,
    appointment_id: int,
    start: datetime,
    actor=None,
    online: bool = False,
    master_ids: list[int | None] | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Move a visit as one atomic step: the old time is freed only if the new one is taken."""
    now = now or timezone.now()
    if start.tzinfo is None:
        refuse(_("The time needs a time zone."), "start")
    start_minute = to_minutes(start)

    def move() -> Appointment:
        appointment = lock_appointment(business=business, appointment_id=appointment_id)
        if appointment.status not in OPEN_STATUSES:
            raise ValidationFailed(
                _("Only an upcoming appointment can be moved."), code="not_movable"
            )
        if appointment.session_id:
            raise ValidationFailed(
                _("A class cannot be moved: cancel it and book another session."),
                code="class_not_movable",
            )
        items = list(appointment.items.order_by("position"))
        if master_ids and len(master_ids) != len(items):
            refuse(_("Give one master (or null) per service of the visit."), "master_ids")
        chosen = master_ids or [item.master_id for item in items]
        specs = [
            ItemSpec(service_id=item.service_id, variant_id=item.variant_id, master_id=m)
            for item, m in zip(items, chosen, strict=True)
        ]
        location = appointment.location
        try:
            candidates, resource_ids = masters_and_resources_to_lock(location=location, specs=specs)
            # The masters the visit leaves are locked too: this transaction frees their time.
            lock_masters_and_resources(
                master_ids=sorted(set(candidates) | {i.master_id for i in items}),
                resource_ids=resource_ids,
            )
            retire_expired_holds(master_ids=candidates, resource_ids=resource_ids, now=now)
            loaded = recount(
                location=location,
                specs=specs,
                start=start,
                now=now,
                online=online,
                ignore_appointment_id=appointment.pk,
            )
        except ValidationFailed as exc:  # name the body's field: master_ids.N, not items.N
            if master_ids:
                exc.fields = {
                    key.replace("items.", "master_ids.").removesuffix(".master_id"): value
                    for key, value in exc.fields.items()
                }
            raise
        check_booking_window(loaded=loaded, start_minute=start_minute, now=now)
        slot = check_slot(loaded.availability, loaded.items, start=start_minute)
        if slot is None:
            refuse_taken_slot(loaded=loaded, start_minute=start_minute)
        previous = appointment.starts_at
        _offer_freed_time_after_commit(appointment, freed_day(appointment))
        BookingSegment.objects.filter(appointment=appointment).update(is_active=False)
        for item, assignment in zip(items, slot.items, strict=True):
            item.master_id, item.starts_at, item.ends_at = (
                assignment.master_id,
                from_minutes(assignment.start),
                from_minutes(assignment.end),
            )
            item.price_amount = loaded.prices[(item.position, assignment.master_id)]
        AppointmentItem.objects.bulk_update(
            items, ["master", "starts_at", "ends_at", "price_amount"]
        )
        appointment.starts_at, appointment.ends_at = (
            from_minutes(slot.start),
            from_minutes(slot.end),
        )
        appointment.price_amount = sum(item.price_amount for item in items)
        appointment.save(update_fields=["starts_at", "ends_at", "price_amount", "updated_at"])
        write_segments(
            appointment=appointment,
            slot=slot,
            items=items,
            hold_expires_at=appointment.hold_expires_at,
        )
        record_change(
            appointment=appointment,
            actor=actor,
            kind="rescheduled",
            data={"from": previous.isoformat()},
        )
        return appointment

    return run_in_booking_transaction(move)
