"""A deposit that arrives after its hold ran out.

The client paid (the card was authorised) but the hold expired a moment
before: the visit keeps its time if nobody took it meanwhile, otherwise the
caller (finance) gives the money back. Same steps as every calendar write:
lock the masters and resources of the visit, recount under the locks (here:
any other live segment over the same span), write.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.booking.models import Appointment, BookingSegment, Status
from solibook.booking.services.lock_recount_write import (
    lock_appointment,
    lock_masters_and_resources,
    record_change,
    retire_expired_holds,
    run_in_booking_transaction,
)
from solibook.booking.services.waitlist import waitlist_mark_booked
from solibook.core.errors import Conflict

# A moved visit keeps its old (inactive) segments; its own are within its
# buffers of its current times, never hours away.
SEGMENT_REACH = timedelta(hours=6)


def _taken() -> Conflict:
    return Conflict(_("This time was taken while the payment was on its way."), code="slot_taken")


def appointment_deposit_paid_late(
    *, business, appointment_id: int, now: datetime | None = None
) -> Appointment:
    """Confirm a visit whose deposit came after its hold expired, when its time
    is still free. Refused (409 `slot_taken`) when it is not, or when the visit
    is a class seat, already started, or no longer waiting for its deposit."""
    now = now or timezone.now()

    def confirm() -> Appointment:
        appointment = lock_appointment(business=business, appointment_id=appointment_id)
        if appointment.status == Status.CONFIRMED:
            return appointment
        if (
            appointment.status not in (Status.AWAITING_DEPOSIT, Status.EXPIRED)
            or appointment.session_id is not None
            or appointment.starts_at <= now
        ):
            raise _taken()
        own = BookingSegment.objects.filter(
            appointment=appointment,
            starts_at__gte=appointment.starts_at - SEGMENT_REACH,
            ends_at__lte=appointment.ends_at + SEGMENT_REACH,
        )
        segments = list(own)
        if not segments:
            raise _taken()
        master_ids = sorted({s.master_id for s in segments if s.master_id})
        resource_ids = sorted({s.resource_id for s in segments if s.resource_id})
        lock_masters_and_resources(master_ids=master_ids, resource_ids=resource_ids)
        retire_expired_holds(master_ids=master_ids, resource_ids=resource_ids, now=now)
        live = BookingSegment.objects.filter(is_active=True).exclude(appointment=appointment)
        live = live.filter(Q(hold_expires_at__isnull=True) | Q(hold_expires_at__gt=now))
        for segment in segments:
            who = (
                Q(master_id=segment.master_id)
                if segment.master_id
                else Q(resource_id=segment.resource_id, unit=segment.unit)
            )
            if live.filter(
                who, starts_at__lt=segment.ends_at, ends_at__gt=segment.starts_at
            ).exists():
                raise _taken()
        try:
            # The exclusion constraint (PostgreSQL) is the last word on overlaps.
            with transaction.atomic():
                own.update(is_active=True, hold_expires_at=None)
        except IntegrityError as exc:
            raise _taken() from exc
        appointment.status, appointment.hold_expires_at = Status.CONFIRMED, None
        appointment.save(update_fields=["status", "hold_expires_at", "updated_at"])
        waitlist_mark_booked(appointment=appointment)
        record_change(
            appointment=appointment,
            actor=None,
            kind="confirmed",
            data={"deposit_paid": appointment.deposit_amount, "late": True},
        )
        return appointment

    return run_in_booking_transaction(confirm)
