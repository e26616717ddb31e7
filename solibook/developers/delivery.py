"""Webhooks out of the outbox: fan-out, signed sending, retries, pausing.

1. `fan_out` reads `core.OutboxEvent` rows (written inside the transactions
   that caused them, so a rolled-back booking has none) and writes one
   `WebhookDelivery` per subscribed endpoint, unique per (endpoint, event).
   The notifications consumer marks events `processed_at` for itself, so we
   keep our own progress: a cursor plus the ids handled above it. Ids are
   taken at insert time, not at commit, so an event with a smaller id may
   become visible after a larger one; the cursor passes an event only once it
   is older than `WEBHOOKS_SETTLE_SECONDS` (longer than any transaction may
   stay open: every lock wait is bounded) and everything below it was seen.
2. `deliver_due` claims due deliveries (a lease on `next_attempt_at`, so two
   workers never send one at the same time), then sends each *outside* any
   transaction, signed per Standard Webhooks (`standardwebhooks.Webhook`),
   and records the attempt. A failure is retried with exponential backoff and
   jitter; an endpoint failing `WEBHOOKS_PAUSE_AFTER_FAILURES` times in a row
   over at least `WEBHOOKS_PAUSE_AFTER_HOURS` is paused and its owners told.
"""

import json
import logging
import random
import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from django_tasks import task
from standardwebhooks.webhooks import Webhook

from solibook.accounts.models import Membership
from solibook.accounts.roles import Role
from solibook.core.models import OutboxEvent
from solibook.developers import transport
from solibook.developers.models import (
    DeliveryState,
    FanOutCursor,
    FanOutSeen,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

log = logging.getLogger("solibook.developers")

# Outbox topics → the event types subscribers choose from.
TOPICS: dict[str, str] = {
    "appointment.created": "booking.created",
    "appointment.confirmed": "booking.confirmed",
    "appointment.rescheduled": "booking.rescheduled",
    "appointment.resized": "booking.rescheduled",
    "appointment.cancelled": "booking.cancelled",
    "appointment.status": "booking.status_changed",
    "appointment.expired": "booking.status_changed",
    "payment.succeeded": "payment.succeeded",
    "payment.refunded": "payment.refunded",
    "client.created": "client.created",
    "client.updated": "client.updated",
    "review.published": "review.published",
}


SUBSCRIBED_CACHE = "developers:subscribed-businesses"


def subscribed_businesses() -> set[int]:
    """Salons with at least one webhook (cached a minute, forgotten on change)."""
    found = cache.get(SUBSCRIBED_CACHE)
    if found is None:
        with scopes_disabled():
            found = set(WebhookEndpoint.objects.values_list("business_id", flat=True))
        cache.set(SUBSCRIBED_CACHE, found, 60)
    return found


def forget_subscribed() -> None:
    cache.delete(SUBSCRIBED_CACHE)


def _setting(name: str, default):
    return getattr(settings, name, default)


def message_create(
    *, endpoint: WebhookEndpoint, event_type: str, event_id, data: dict, now: datetime
) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        **_message(endpoint, event_type, event_id, data, now, now)
    )


def _message(endpoint, event_type, event_id, data, occurred_at, now) -> dict:
    body = json.dumps(
        {
            "type": event_type,
            "timestamp": occurred_at.astimezone(UTC).isoformat(),
            "data": data,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return {
        "business_id": endpoint.business_id,
        "endpoint": endpoint,
        "event_id": event_id,
        "message_id": f"msg_{uuid.uuid4().hex}",
        "event_type": event_type,
        "body": body,
        "state": DeliveryState.PENDING,
        "next_attempt_at": now,
        "created_at": now,
    }


def fan_out(*, now: datetime | None = None, limit: int = 500) -> int:
    """Turn new outbox events into deliveries; returns how many were written."""
    now = now or timezone.now()
    settle = timedelta(seconds=_setting("WEBHOOKS_SETTLE_SECONDS", 600))
    with scopes_disabled(), transaction.atomic():
        # Its one row comes with the migration (a flushed test database lacks it);
        # the lock makes passes take turns.
        cursor = FanOutCursor.objects.select_for_update().filter(pk=1).first()
        if cursor is None:
            FanOutCursor.objects.bulk_create([FanOutCursor(pk=1)], ignore_conflicts=True)
            cursor = FanOutCursor.objects.select_for_update().get(pk=1)
        oldest = WebhookEndpoint.objects.aggregate(first=Min("created_at"))["first"]
        settled = OutboxEvent.objects.filter(
            id__gt=cursor.after_id, created_at__lt=now - settle
        ).aggregate(last=Max("id"))["last"]
        written = 0
        if oldest is not None:
            # An event older than every endpoint has no subscriber, ever.
            relevant = OutboxEvent.objects.filter(
                id__gt=cursor.after_id,
                topic__in=list(TOPICS),
                business__isnull=False,
                created_at__gte=oldest,
            ).exclude(id__in=FanOutSeen.objects.values("event_id"))
            events = list(relevant.order_by("id")[:limit])
            written = _fan_out_events(events, now)
            if settled is not None and relevant.filter(id__lte=settled).exists():
                settled = None  # something below is still to be handled (the next batch)
        if settled is not None:
            cursor.after_id = settled
            cursor.save(update_fields=["after_id"])
            FanOutSeen.objects.filter(event_id__lte=settled).delete()
    return written


def _fan_out_events(events: list[OutboxEvent], now: datetime) -> int:
    endpoints: dict[int, list[WebhookEndpoint]] = {}
    rows = []
    for event in events:
        if event.business_id not in endpoints:
            endpoints[event.business_id] = list(
                WebhookEndpoint.objects.filter(business_id=event.business_id)
            )
        kind = TOPICS[event.topic]
        data = {"business_id": event.business_id, **event.payload}
        for endpoint in endpoints[event.business_id]:
            # Subscribed when the event happened, to this kind of event.
            if kind in endpoint.events and endpoint.created_at <= event.created_at:
                rows.append(
                    WebhookDelivery(
                        **_message(endpoint, kind, event.pk, data, event.created_at, now)
                    )
                )
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    FanOutSeen.objects.bulk_create(
        [FanOutSeen(event_id=event.pk) for event in events], ignore_conflicts=True
    )
    return len(rows)


def _claim(now: datetime, limit: int) -> list[int]:
    lease = now + timedelta(seconds=float(_setting("WEBHOOKS_TIMEOUT_SECONDS", 5)) + 60)
    with scopes_disabled(), transaction.atomic():
        ids = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(
                state=DeliveryState.PENDING,
                next_attempt_at__lte=now,
                endpoint__paused_at__isnull=True,
            )
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        # The lease: a crashed sender's rows come back once it runs out.
        WebhookDelivery.objects.filter(pk__in=ids).update(next_attempt_at=lease)
    return ids


def deliver_due(*, now: datetime | None = None, limit: int = 50) -> int:
    """Send what is due; returns how many were attempted."""
    now = now or timezone.now()
    ids = _claim(now, limit)
    for delivery_id in ids:
        with scopes_disabled():
            row = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
        _send(row, now)
    return len(ids)


def signed_headers(*, secret: str, message_id: str, body: str, at: datetime) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
        "content-type": "application/json",
        "user-agent": "Solibook-Webhooks/1.0",
    }


def _send(row: WebhookDelivery, now: datetime) -> None:
    """`now` is the pass's clock (retries and pauses are counted on it); the
    signature carries the real time, which the subscriber checks."""
    headers = signed_headers(
        secret=row.endpoint.secret, message_id=row.message_id, body=row.body, at=timezone.now()
    )
    outcome = transport.post(row.endpoint.url, body=row.body.encode(), headers=headers)
    _record(row, outcome, now)


def backoff(attempts: int) -> timedelta:
    """Exponential (base × 2^(n−1), capped), with ±20 % jitter so that many
    failed messages do not all come back at the same second."""
    base = float(_setting("WEBHOOKS_RETRY_BASE_SECONDS", 30))
    cap = float(_setting("WEBHOOKS_RETRY_MAX_SECONDS", 6 * 3600))
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return timedelta(seconds=delay * random.uniform(0.8, 1.2))  # noqa: S311 (not a secret)


def _record(row: WebhookDelivery, outcome: transport.Outcome, at: datetime) -> None:
    paused = False
    with scopes_disabled(), transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=row.endpoint_id)
        WebhookAttempt.objects.create(
            business_id=row.business_id,
            delivery=row,
            at=at,
            status=outcome.status,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
            # A replay starts the count again on a message already tried.
            replay=row.attempts == 0 and WebhookAttempt.objects.filter(delivery=row).exists(),
        )
        attempts = row.attempts + 1
        changes: dict = {"attempts": attempts, "last_status": outcome.status}
        changes["last_error"] = outcome.error
        if outcome.ok:
            changes.update(state=DeliveryState.SUCCEEDED, next_attempt_at=None, delivered_at=at)
            endpoint.consecutive_failures, endpoint.failing_since = 0, None
        else:
            if attempts >= int(_setting("WEBHOOKS_MAX_ATTEMPTS", 8)):
                changes.update(state=DeliveryState.FAILED, next_attempt_at=None)
            else:
                changes["next_attempt_at"] = at + backoff(attempts)
            endpoint.consecutive_failures += 1
            endpoint.failing_since = endpoint.failing_since or at
            paused = _should_pause(endpoint, at)
            if paused:
                endpoint.paused_at = at
                endpoint.pause_reason = outcome.error
        WebhookDelivery.objects.filter(pk=row.pk).update(**changes)
        endpoint.save(
            update_fields=["consecutive_failures", "failing_since", "paused_at", "pause_reason"]
        )
        if paused:
            transaction.on_commit(lambda: owners_tell_paused(endpoint))


def _should_pause(endpoint: WebhookEndpoint, now: datetime) -> bool:
    if endpoint.paused_at is not None:
        return False
    failures = int(_setting("WEBHOOKS_PAUSE_AFTER_FAILURES", 15))
    window = timedelta(hours=float(_setting("WEBHOOKS_PAUSE_AFTER_HOURS", 24)))
    return endpoint.consecutive_failures >= failures and (
        endpoint.failing_since is not None and now - endpoint.failing_since >= window
    )


def owners_tell_paused(endpoint: WebhookEndpoint) -> int:
    """E-mail every owner of the salon, each in their own language."""
    with scopes_disabled():
        owners = list(
            Membership.objects.filter(
                business_id=endpoint.business_id, role=Role.OWNER
            ).select_related("user", "business")
        )
    site = str(_setting("NOTIFICATIONS_SITE_URL", "")).rstrip("/")
    sent = 0
    for membership in owners:
        user = membership.user
        codes = {code for code, _name in settings.LANGUAGES}
        language = user.language if getattr(user, "language", "") in codes else "en"
        with translation.override(language):
            link = site + reverse(
                "developers:webhook_detail",
                kwargs={"business_slug": membership.business.slug, "endpoint_id": endpoint.pk},
            )
            subject = _("Your webhook is paused: %(url)s") % {"url": endpoint.url}
            text = _(
                "Messages to %(url)s kept failing (%(count)d times in a row, last: %(error)s), "
                "so %(salon)s stopped sending them. Nothing is lost: they wait until you "
                "resume the webhook.\n\nFix the address, then resume it here: %(link)s"
            ) % {
                "url": endpoint.url,
                "count": endpoint.consecutive_failures,
                "error": endpoint.pause_reason or "—",
                "salon": membership.business.name,
                "link": link,
            }
        try:
            send_mail(subject, text, None, [user.email])
            sent += 1
        except Exception:  # the pause stands; the page shows it too
            log.exception("pause e-mail not sent", extra={"endpoint": endpoint.pk})
    return sent


def pump() -> dict:
    """One pass: fan-out, then send what is due (task worker or periodic job)."""
    written = fan_out()
    sent = 0
    while True:
        batch = deliver_due()
        sent += batch
        if batch < 50:
            break
    return {"written": written, "sent": sent}


@task()
def webhooks_pump() -> dict:
    return pump()


def kick() -> None:
    """Ask the task worker for a pass now (after a commit); `run_webhooks` in
    the periodic runner catches anything this misses."""
    try:
        webhooks_pump.enqueue()
    except Exception:
        log.exception("webhook pass not handed to the task worker")
