"""The outbox consumer: booking events become Notification rows.

`consume_outbox` claims unprocessed `core.OutboxEvent` rows (FOR UPDATE
SKIP LOCKED on PostgreSQL, so several workers share the work; SQLite's
IMMEDIATE transaction serialises them), locks the appointments they name,
writes the notifications and marks the events processed, all in one
transaction: a crash leaves either everything or nothing.

Reminders are reconciled with the appointment as it is *now* (its row is
locked while we look), not with the event's payload: whatever order events
arrive in, a moved visit has reminders for its new start only, a cancelled
one has none pending, and the unique key keeps each reminder once.
"""

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from solibook.booking.models import Appointment, Status, WaitlistEntry
from solibook.core.models import OutboxEvent
from solibook.core.tenancy import scopes_disabled
from solibook.notifications import preferences
from solibook.notifications.models import (
    Channel,
    Kind,
    Notification,
    NotificationStatus,
    SalonNotificationSettings,
)

log = logging.getLogger("solibook.notifications")

# Rows that may still go out: pending, or failed with a retry scheduled.
LIVE = Q(status=NotificationStatus.PENDING) | Q(
    status=NotificationStatus.FAILED, next_attempt_at__isnull=False
)


def reminder_slot(starts_at: datetime, minutes: int) -> str:
    return f"{starts_at.astimezone(UTC).isoformat()}/-{minutes}"


class _Salon:
    """A salon's choices (reminder offsets, channels), read once per batch."""

    def __init__(self) -> None:
        self.cache: dict[int, tuple[list[int], list[str]]] = {}

    def get(self, business_id: int) -> tuple[list[int], list[str]]:
        if business_id not in self.cache:
            row = SalonNotificationSettings.objects.get(business_id=business_id)
            minutes = row.reminder_minutes or settings.NOTIFICATIONS_REMINDER_MINUTES
            channels = row.channels or settings.NOTIFICATIONS_CHANNELS
            self.cache[business_id] = (
                sorted({int(m) for m in minutes if int(m) > 0}, reverse=True),
                [c for c in channels if c in Channel.values],
            )
        return self.cache[business_id]


def client_channels(appointment: Appointment, channels: list[str]) -> list[str]:
    """The salon's channels this client accepts (consents, own choice, devices)."""
    address = _address(appointment)
    if (
        not address["email"]
        and address["phone"]
        and Channel.EMAIL in channels
        and Channel.SMS not in channels
    ):
        # A guest who verified by phone has no e-mail address: the salon's
        # e-mail goes to that number by SMS instead of failing for good.
        channels = [Channel.SMS if c == Channel.EMAIL else c for c in channels]
    return preferences.allowed(
        business=appointment.business,
        user=appointment.account,
        email=address["email"],
        phone=address["phone"],
        channels=channels,
    )


def recipient_language(appointment: Appointment) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    if appointment.account_id and appointment.account.language in codes:
        return appointment.account.language
    if appointment.client_language in codes:  # a guest: the language they booked in
        return appointment.client_language
    for code in appointment.business.languages or []:
        if str(code)[:2] in codes:
            return str(code)[:2]
    return settings.LANGUAGE_CODE


def _address(appointment: Appointment) -> dict:
    account = appointment.account
    return {
        "recipient": account,
        "recipient_name": appointment.client_name or (account.full_name if account else ""),
        "email": appointment.client_email or (account.email if account else ""),
        "phone": appointment.client_phone
        or (str(account.phone) if account and account.phone else ""),
        "language": recipient_language(appointment),
    }


def _notify(
    appointment: Appointment,
    *,
    kind: str,
    channels: list[str],
    due_at: datetime,
    slot: str = "",
    context: dict | None = None,
) -> None:
    Notification.objects.bulk_create(
        [
            Notification(
                business_id=appointment.business_id,
                appointment=appointment,
                kind=kind,
                channel=channel,
                slot=slot,
                due_at=due_at,
                context=context or {},
                **_address(appointment),
            )
            for channel in channels
        ],
        ignore_conflicts=True,  # the unique key: a message exists once
    )


def reconcile_reminders(
    appointment: Appointment, *, offsets: list[int], channels: list[str], now: datetime
) -> None:
    """Pending reminders = exactly those of the appointment's current start."""
    desired: dict[str, datetime] = {}
    if appointment.status == Status.CONFIRMED:
        for minutes in offsets:
            due = appointment.starts_at - timedelta(minutes=minutes)
            if due > now:  # a reminder whose time has passed is skipped
                desired[reminder_slot(appointment.starts_at, minutes)] = due
    existing = {
        (n.slot, n.channel): n
        for n in Notification.objects.filter(appointment=appointment, kind=Kind.REMINDER)
    }
    stale = [n.pk for (slot, _channel), n in existing.items() if slot not in desired]
    if stale:
        Notification.objects.filter(LIVE, pk__in=stale).update(
            status=NotificationStatus.CANCELLED,
            next_attempt_at=None,
            last_error="appointment moved or no longer confirmed",
        )
    context = {"starts_at": appointment.starts_at.isoformat()}
    missing = []
    for slot, due in desired.items():
        for channel in channels:
            row = existing.get((slot, channel))
            if row is None:
                missing.append((slot, due, channel))
            elif row.status == NotificationStatus.CANCELLED:  # moved away and back again
                Notification.objects.filter(pk=row.pk, status=NotificationStatus.CANCELLED).update(
                    status=NotificationStatus.PENDING,
                    due_at=due,
                    attempts=0,
                    next_attempt_at=None,
                    last_error="",
                    context=context,
                )
    address = _address(appointment)
    Notification.objects.bulk_create(
        [
            Notification(
                business_id=appointment.business_id,
                appointment=appointment,
                kind=Kind.REMINDER,
                channel=channel,
                slot=slot,
                due_at=due,
                context=context,
                **address,
            )
            for slot, due, channel in missing
        ],
        ignore_conflicts=True,
    )


def _change_sequence(appointment: Appointment) -> int:
    return (
        Notification.objects.filter(appointment=appointment, kind=Kind.CHANGE)
        .values("slot")
        .distinct()
        .count()
    )


def _handle_appointment(
    event: OutboxEvent, appointment: Appointment, salon: _Salon, now: datetime
) -> None:
    offsets, channels = salon.get(appointment.business_id)
    channels = client_channels(appointment, channels)
    kind = event.topic.removeprefix("appointment.")
    if kind in ("created", "confirmed") and appointment.status == Status.CONFIRMED:
        _notify(
            appointment,
            kind=Kind.CONFIRMATION,
            channels=channels,
            due_at=now,
            context={"sequence": _change_sequence(appointment)},
        )
    elif kind == "rescheduled" and appointment.status == Status.CONFIRMED:
        slot = f"event-{event.pk}"
        # A confirmation still waiting to go out shows the new time anyway.
        unsent = Notification.objects.filter(
            LIVE, appointment=appointment, kind=Kind.CONFIRMATION
        ).exists()
        if (
            not unsent
            and not Notification.objects.filter(
                appointment=appointment, kind=Kind.CHANGE, slot=slot
            ).exists()
        ):
            # An earlier change notice not sent yet would say the same thing: this one replaces it.
            Notification.objects.filter(LIVE, appointment=appointment, kind=Kind.CHANGE).update(
                status=NotificationStatus.CANCELLED,
                next_attempt_at=None,
                last_error="superseded by a later change",
            )
            _notify(
                appointment,
                kind=Kind.CHANGE,
                channels=channels,
                due_at=now,
                slot=slot,
                context={"sequence": _change_sequence(appointment) + 1},
            )
    elif kind == "cancelled":
        # A confirmation not sent yet is simply withdrawn; otherwise the client is told.
        Notification.objects.filter(
            LIVE, appointment=appointment, kind__in=[Kind.CONFIRMATION, Kind.CHANGE]
        ).update(
            status=NotificationStatus.CANCELLED,
            next_attempt_at=None,
            last_error="appointment cancelled",
        )
        told = Notification.objects.filter(
            appointment=appointment,
            kind__in=[Kind.CONFIRMATION, Kind.CHANGE],
            status__in=[NotificationStatus.SENT, NotificationStatus.SENDING],
        ).exists()
        if told:
            _notify(
                appointment,
                kind=Kind.CANCELLATION,
                channels=channels,
                due_at=now,
                context={"sequence": _change_sequence(appointment) + 1},
            )
    elif kind == "status":
        to = event.payload.get("to")
        if to == Status.NO_SHOW == appointment.status:
            _notify(appointment, kind=Kind.NO_SHOW, channels=channels, due_at=now)
        elif to == Status.COMPLETED == appointment.status:
            delay = timedelta(minutes=settings.NOTIFICATIONS_REVIEW_DELAY_MINUTES)
            _notify(
                appointment,
                kind=Kind.REVIEW_REQUEST,
                channels=channels,
                due_at=max(now, appointment.ends_at) + delay,
            )
    reconcile_reminders(appointment, offsets=offsets, channels=channels, now=now)


def _handle_waitlist_offer(
    event: OutboxEvent, appointment: Appointment, salon: _Salon, now: datetime
) -> None:
    _offsets, channels = salon.get(appointment.business_id)
    channels = client_channels(appointment, channels)
    entry = WaitlistEntry.objects.filter(pk=event.payload.get("entry_id")).first()
    expires = (
        entry.offer_expires_at if entry and entry.offer_expires_at else appointment.hold_expires_at
    )
    _notify(
        appointment,
        kind=Kind.WAITLIST_OFFER,
        channels=channels,
        due_at=now,
        slot=f"entry-{event.payload.get('entry_id')}",
        context={
            "entry_id": event.payload.get("entry_id"),
            "expires_at": expires.isoformat() if expires else None,
        },
    )


def _handle_late_deposit(
    event: OutboxEvent, appointment: Appointment, salon: _Salon, now: datetime
) -> None:
    """A deposit paid after its hold ran out: the client hears whether the
    visit was kept or the money given back (once per payment)."""
    kind = {"kept": Kind.DEPOSIT_KEPT, "released": Kind.DEPOSIT_RELEASED}.get(
        event.payload.get("late")
    )
    if kind is None:
        return
    _offsets, channels = salon.get(appointment.business_id)
    _notify(
        appointment,
        kind=kind,
        channels=client_channels(appointment, channels),
        due_at=now,
        slot=f"payment-{event.payload.get('payment_id')}",
    )


HANDLERS = {
    "appointment.created": _handle_appointment,
    "appointment.confirmed": _handle_appointment,
    "appointment.cancelled": _handle_appointment,
    "appointment.rescheduled": _handle_appointment,
    "appointment.status": _handle_appointment,
    "waitlist.offered": _handle_waitlist_offer,
    "payment.late": _handle_late_deposit,
}


def consume_outbox(*, batch: int = 200, now: datetime | None = None) -> int:
    """Turn up to `batch` unprocessed outbox events into notifications; returns
    how many events were marked processed. An event whose handling raises is
    logged and left unprocessed (retried next pass); the others go on."""
    now = now or timezone.now()
    with scopes_disabled(), transaction.atomic():
        events = OutboxEvent.objects.filter(processed_at__isnull=True).order_by("id")
        if connection.vendor == "postgresql":
            events = events.select_for_update(skip_locked=True)
        events = list(events[:batch])
        if not events:
            return 0
        ids = sorted(
            {e.payload.get("appointment_id") for e in events if e.topic in HANDLERS} - {None}
        )
        # Lock the visits while we read them: a change cannot commit between
        # our look at the appointment and our reminders for it.
        list(
            Appointment.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        appointments = Appointment.objects.select_related(
            "business", "location", "account"
        ).in_bulk(ids)
        salon = _Salon()
        done = []
        for event in events:
            handler = HANDLERS.get(event.topic)
            appointment = appointments.get(event.payload.get("appointment_id"))
            if handler is None or appointment is None:
                done.append(event.pk)  # not ours, or the visit is gone
                continue
            try:
                with transaction.atomic():
                    handler(event, appointment, salon, now)
            except Exception:
                log.exception(
                    "outbox event failed", extra={"event_id": event.pk, "topic": event.topic}
                )
                continue
            done.append(event.pk)
        OutboxEvent.objects.filter(pk__in=done).update(processed_at=now)
        return len(done)
