"""API keys and webhooks of a salon.

- `ApiKey`: a secret a partner's program sends instead of a user's token. Only
  its SHA-256 is stored (the key is shown once); `prefix` names it on pages.
  It reaches its own business's API routes within its `scopes`, at most
  `rate_per_minute` requests a minute.
- `WebhookEndpoint`: a partner's URL and the events it wants, with the
  Standard Webhooks secret (`whsec_…`) that signs every message. The secret is
  kept as is: signing needs it (it is shown once, then only rotated).
  An endpoint that keeps failing is paused (`paused_at`) and its owner told.
- `WebhookDelivery`: one event for one endpoint (unique per endpoint and
  outbox event), its frozen body, state and next attempt; `WebhookAttempt`
  rows are the log of each try.
- `FanOutCursor` / `FanOutSeen`: how far the webhook consumer has read the
  outbox. Outbox ids are handed out when rows are inserted, not when their
  transactions commit, so an id cursor alone would skip a late committer;
  the consumer keeps the ids it handled above the cursor and moves the cursor
  only past events older than `WEBHOOKS_SETTLE_SECONDS`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel


class Scope(models.TextChoices):
    CATALOG_READ = "catalog:read", _("Read the catalogue")
    BOOKINGS_READ = "bookings:read", _("Read bookings")
    BOOKINGS_WRITE = "bookings:write", _("Read and write bookings")
    CLIENTS_READ = "clients:read", _("Read client cards")
    CLIENTS_WRITE = "clients:write", _("Read and write client cards")
    FINANCE_READ = "finance:read", _("Read finance")
    FINANCE_WRITE = "finance:write", _("Read finance and take payments")


class EventType(models.TextChoices):
    BOOKING_CREATED = "booking.created", _("Booking created")
    BOOKING_CONFIRMED = "booking.confirmed", _("Booking confirmed")
    BOOKING_RESCHEDULED = "booking.rescheduled", _("Booking rescheduled")
    BOOKING_CANCELLED = "booking.cancelled", _("Booking cancelled")
    BOOKING_STATUS_CHANGED = "booking.status_changed", _("Booking status changed")
    PAYMENT_SUCCEEDED = "payment.succeeded", _("Payment succeeded")
    PAYMENT_REFUNDED = "payment.refunded", _("Payment refunded")
    CLIENT_CREATED = "client.created", _("Client card created")
    CLIENT_UPDATED = "client.updated", _("Client card updated")
    REVIEW_PUBLISHED = "review.published", _("Review published")


class ApiKey(TenantModel):
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=16, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    rate_per_minute = models.PositiveIntegerField(_("requests a minute"), default=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class WebhookEndpoint(TenantModel):
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=120, blank=True)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=80)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.CharField(max_length=200, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url

    @property
    def secret_hint(self) -> str:
        return f"whsec_…{self.secret[-4:]}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(TenantModel):
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.BigIntegerField(null=True, blank=True)  # core.OutboxEvent (none: a test)
    message_id = models.CharField(max_length=40, unique=True)  # the webhook-id header
    event_type = models.CharField(max_length=40)
    body = models.TextField()  # the JSON sent, frozen: a retry or a replay sends the same bytes
    state = models.CharField(max_length=10, choices=DeliveryState.choices)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"],
                condition=Q(event_id__isnull=False),
                name="webhook_delivery_once_per_event",
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="webhook_delivery_due",
            )
        ]


class WebhookAttempt(TenantModel):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField()
    status = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    replay = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]


class FanOutCursor(models.Model):
    """One row: every outbox event with an id at or below `after_id` is handled."""

    after_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"after #{self.after_id}"


class FanOutSeen(models.Model):
    """Outbox events above the cursor already handled (deleted when it passes them)."""

    event_id = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return f"#{self.event_id}"
