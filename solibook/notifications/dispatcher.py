"""The dispatcher: due notifications out through their channel, once.

1. Claim: in a short transaction, select due rows (pending and due, or
   failed with a retry due) FOR UPDATE SKIP LOCKED on PostgreSQL (SQLite's
   IMMEDIATE transaction serialises claimers), drop the ones that went stale
   (a reminder for a start that moved, a visit cancelled, an offer expired),
   mark the rest `sending` and commit. No other worker can take them now.
2. Send each outside any transaction, in the recipient's language.
3. Record: `sent` with the provider's message id; or `failed` with
   attempts + 1 and `next_attempt_at` after an exponential backoff; or
   `failed` for good (no `next_attempt_at`) after NOTIFICATIONS_MAX_ATTEMPTS
   or a permanent failure (no address for the channel, a 4xx answer).

A claim is a lease: `claimed_at` + NOTIFICATIONS_CLAIM_LEASE_SECONDS (20 s),
renewed every quarter of the lease while the batch is being sent, and owned
by one pass (`claimed_by`): a pass sends and records only rows it still owns.
A worker killed between 1 and 3 stops renewing; once its lease runs out the
rows are due again (marked failed, "delivery unknown"), so a restarted worker
resumes within the lease plus one poll interval. The window between the
provider accepting a message and 3 is the only place a message may go twice;
every attempt at a message carries the same key (`Notification.delivery_key`:
the e-mail's Message-ID, the gateway's Idempotency-Key, the web push Topic and
tag) so that receivers can drop the repeat.
"""

import logging
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q, prefetch_related_objects
from django.utils import timezone, translation

from solibook.booking.models import Status
from solibook.core.signals import sms_sent
from solibook.core.tenancy import scopes_disabled
from solibook.notifications import preferences
from solibook.notifications.models import Channel, Kind, Notification, NotificationStatus
from solibook.notifications.providers import PermanentFailure, Provider, provider_for
from solibook.notifications.rendering import build_message

log = logging.getLogger("solibook.notifications")
CONSENT_RECHECK_AFTER = timedelta(minutes=1)


@dataclass
class DispatchResult:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0


def backoff(attempts: int) -> timedelta:
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    return timedelta(
        seconds=min(base * 2 ** max(attempts - 1, 0), settings.NOTIFICATIONS_RETRY_MAX_SECONDS)
    )


def _stale_reason(notification: Notification, now: datetime) -> str:
    appointment = notification.appointment
    if appointment is None:
        return "" if notification.appointment_id is None else "appointment deleted"
    if notification.kind == Kind.REMINDER:
        if appointment.status != Status.CONFIRMED:
            return "appointment no longer confirmed"
        announced = notification.context.get("starts_at")
        if not announced or datetime.fromisoformat(announced) != appointment.starts_at:
            return "appointment moved"
        if appointment.starts_at <= now:
            return "the visit has started"
    elif notification.kind in (Kind.CONFIRMATION, Kind.CHANGE) and appointment.status in (
        Status.CANCELLED,
        Status.EXPIRED,
    ):
        return "appointment cancelled"
    elif notification.kind == Kind.WAITLIST_OFFER and (
        # At a salon that asks a deposit the offered time is held for it.
        appointment.status not in (Status.HOLD, Status.AWAITING_DEPOSIT)
        or (appointment.hold_expires_at and appointment.hold_expires_at <= now)
    ):
        return "offer taken, withdrawn or expired"
    return ""


class _Consents:
    """Channels each recipient accepts now, asked once per batch."""

    def __init__(self) -> None:
        self.cache: dict[tuple, set[str]] = {}

    def allows(self, notification: Notification) -> bool:
        key = (
            notification.business_id,
            notification.recipient_id,
            notification.email,
            notification.phone,
        )
        if key not in self.cache:
            self.cache[key] = set(
                preferences.allowed(
                    business=notification.business,
                    user=notification.recipient,
                    email=notification.email,
                    phone=notification.phone,
                    channels=[str(c) for c in Channel.values],
                )
            )
        return notification.channel in self.cache[key]


def lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATIONS_CLAIM_LEASE_SECONDS)


def release_stuck(now: datetime) -> int:
    """Rows left `sending` by a worker that died (its lease ran out): due again."""
    return Notification.objects.filter(
        status=NotificationStatus.SENDING, claimed_at__lt=now - lease()
    ).update(
        status=NotificationStatus.FAILED,
        next_attempt_at=now,
        claimed_by="",
        last_error="worker stopped while sending; delivery unknown",
    )


def renew(ids: list[int], owner: str, at: datetime) -> set[int]:
    """Extend the lease of our rows still `sending`; the ids we still own."""
    if not ids:
        return set()
    rows = Notification.objects.filter(
        pk__in=ids, status=NotificationStatus.SENDING, claimed_by=owner
    )
    if rows.update(claimed_at=at) == len(ids):
        return set(ids)
    return set(rows.values_list("pk", flat=True))


def claim(now: datetime, batch: int, owner: str = "") -> tuple[list[Notification], int]:
    """The due rows, now `sending` and committed, and how many went stale."""
    with transaction.atomic():
        due = Notification.objects.filter(
            Q(status=NotificationStatus.PENDING, due_at__lte=now)
            | Q(status=NotificationStatus.FAILED, next_attempt_at__lte=now)
        ).order_by("due_at", "id")
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True, of=("self",))
        rows = list(
            due.select_related("appointment", "appointment__location", "business", "recipient")[
                :batch
            ]
        )
        prefetch_related_objects(
            [r for r in rows if r.appointment is not None],
            "appointment__items__service",
            "appointment__items__master",
        )
        for row in rows:
            if row.appointment is not None and row.appointment.business_id == row.business_id:
                # The calendar invitation names the salon: the row's business, already
                # loaded, instead of one query per message.
                row.appointment.business = row.business
        stale: dict[str, list[int]] = {}
        claimed = []
        consents = _Consents()
        for row in rows:
            reason = _stale_reason(row, now)
            # Choices were checked when the row was made; a row made over a
            # minute ago (a reminder, a retry) is checked again.
            if (
                not reason
                and now - row.created_at > CONSENT_RECHECK_AFTER
                and not consents.allows(row)
            ):
                reason = "the client turned this channel off"
            if reason:
                stale.setdefault(reason, []).append(row.pk)
            else:
                claimed.append(row)
        for reason, ids in stale.items():
            Notification.objects.filter(pk__in=ids).update(
                status=NotificationStatus.CANCELLED, next_attempt_at=None, last_error=reason
            )
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(
            status=NotificationStatus.SENDING, claimed_at=now, claimed_by=owner
        )
    for row in claimed:
        row.status, row.claimed_at, row.claimed_by = NotificationStatus.SENDING, now, owner
    return claimed, sum(len(ids) for ids in stale.values())


def _record(notification: Notification, **fields) -> None:
    """One message's outcome: one UPDATE, through the ORM, committed on its own
    (autocommit) before the next message goes."""
    _outcome_rows(notification).update(**_outcome(fields))


def _outcome_rows(notification: Notification):
    return Notification.objects.filter(
        pk=notification.pk,
        status=NotificationStatus.SENDING,
        claimed_by=notification.claimed_by,
    )


def _outcome(fields: dict) -> dict:
    return {"attempts": F("attempts") + 1, "claimed_by": "", **fields}


@contextmanager
def _commits_not_waiting_for_disk():
    """While a batch is sent, on PostgreSQL outside a caller's transaction, the
    connection's commits do not wait for the disk (synchronous_commit off): each
    outcome is one autocommitted UPDATE, a round trip, instead of a round trip and a
    WAL flush (about 2 ms here, as long as the floor's whole SMTP conversation).

    A record is still seen at once by every worker; only a crash of PostgreSQL itself
    could forget the last ones, and those rows, still `sending`, would go again with
    the same Message-ID once their lease ran out, as after a worker killed between
    send and record. Money is not written this way (see _sms_used)."""
    if connection.vendor != "postgresql" or not connection.get_autocommit():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:
            # Not reused with the setting: the next query connects afresh.
            connection.close()


def _send_one(
    notification: Notification,
    providers: dict[str, Provider],
    now: datetime,
    result: DispatchResult,
    templates: dict | None = None,
) -> None:
    try:
        provider = providers.get(notification.channel)
        if provider is None:
            provider = providers[notification.channel] = provider_for(notification.channel)
            provider.open()
        with translation.override(notification.language):
            message = build_message(notification, templates=templates)
            message.key = notification.delivery_key  # the same on every attempt
            message_id = provider.send(message)
    except PermanentFailure as exc:
        log.warning(
            "notification failed for good",
            extra={"notification_id": notification.pk, "error": str(exc)},
        )
        _record(
            notification,
            status=NotificationStatus.FAILED,
            next_attempt_at=None,
            last_error=str(exc)[:2000],
        )
        result.failed += 1
        return
    except Exception as exc:
        attempts = notification.attempts + 1
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            log.exception(
                "notification failed, giving up",
                extra={"notification_id": notification.pk, "attempts": attempts},
            )
            _record(
                notification,
                status=NotificationStatus.FAILED,
                next_attempt_at=None,
                last_error=error,
            )
            result.failed += 1
        else:
            log.warning(
                "notification failed, will retry",
                extra={"notification_id": notification.pk, "attempts": attempts, "error": error},
            )
            _record(
                notification,
                status=NotificationStatus.FAILED,
                next_attempt_at=now + backoff(attempts),
                last_error=error,
            )
            result.retrying += 1
        return
    _record(
        notification,
        status=NotificationStatus.SENT,
        sent_at=timezone.now(),
        provider_message_id=str(message_id)[:255],
        next_attempt_at=None,
        last_error="",
    )
    result.sent += 1
    if notification.channel == Channel.SMS and notification.business_id:
        _sms_used(notification)  # billed once recorded


def _sms_used(notification: Notification) -> None:
    """Billing counts the SMS against the salon's plan (free within its credits, then
    charged), once per notification however many times it went out. A charge is
    money: its commit waits for the disk, whatever the batch's records do."""
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO ON")
            sms_sent.send(
                sender=Notification,
                business=notification.business,
                source=f"notification:{notification.pk}",
                sent_at=timezone.now(),
            )
    except Exception:  # the message went; the charge can be recorded again later
        log.exception("SMS not recorded for billing", extra={"notification_id": notification.pk})


def dispatch_due(*, now: datetime | None = None, batch: int = 100) -> DispatchResult:
    """Send up to `batch` due notifications; one failing never stops the others."""
    now = now or timezone.now()
    result = DispatchResult()
    owner = uuid.uuid4().hex
    with scopes_disabled():
        release_stuck(now)
        claimed, result.cancelled = claim(now, batch, owner)
        result.claimed = len(claimed)
        if not claimed:
            return result
        providers: dict[str, Provider] = {}
        templates: dict = {}  # each salon's templates, read once per batch
        started = renewed = time.monotonic()
        lost: set[int] = set()
        try:
            with _commits_not_waiting_for_disk():
                for i, notification in enumerate(claimed):
                    if time.monotonic() - renewed >= lease().total_seconds() / 4:
                        # Still alive: extend the lease of the rest of the batch; a row
                        # another worker took over (we were too slow) is not ours to send.
                        renewed = time.monotonic()
                        rest = [n.pk for n in claimed[i:] if n.pk not in lost]
                        lost |= set(rest) - renew(
                            rest, owner, now + timedelta(seconds=renewed - started)
                        )
                    if notification.pk in lost:
                        log.warning(
                            "notification claim lost, not sent",
                            extra={"notification_id": notification.pk},
                        )
                        continue
                    _send_one(notification, providers, now, result, templates)
        finally:
            for provider in providers.values():
                try:
                    provider.close()
                except Exception:
                    log.exception("closing a provider failed")
    return result
