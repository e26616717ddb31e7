"""Messages to clients, one row per message, and the per-master calendar feed tokens.

A `Notification` is created by the outbox consumer inside the transaction
that marks the outbox event processed, and sent later by the dispatcher.
The unique key (appointment, kind, channel, slot) makes each message exist
once: `slot` is empty for a one-off message (confirmation, cancellation),
the appointment's start and the offset for a reminder
(`2030-06-03T08:00:00+00:00/-1440`), the outbox event for a change notice.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    PUSH = "push", _("Push notification")


class Kind(models.TextChoices):
    CONFIRMATION = "confirmation", _("Booking confirmation")
    REMINDER = "reminder", _("Reminder")
    CHANGE = "change", _("Change notice")
    CANCELLATION = "cancellation", _("Cancellation notice")
    REVIEW_REQUEST = "review_request", _("Review request")
    WAITLIST_OFFER = "waitlist_offer", _("Waitlist offer")
    NO_SHOW = "no_show", _("No-show notice")
    # A deposit paid after its hold ran out (finance): the time kept, or the money given back.
    DEPOSIT_KEPT = "deposit_kept", _("Late payment: visit kept")
    DEPOSIT_RELEASED = "deposit_released", _("Late payment: nothing charged")


# Messages another area writes whole (`context["prepared"]`): no salon template, so they are
# not in `Kind` (whose every kind has templates to edit), but the delivery log names them.
PREPARED_KINDS = {
    "marketing": _("Marketing message"),
    "review_alert": _("Alert: a run of bad reviews"),
}


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    # Failed with `next_attempt_at` set: retried then; without it: given up.
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Notification(TenantModel):
    appointment = models.ForeignKey(
        "booking.Appointment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    recipient_name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    slot = models.CharField(max_length=80, blank=True, default="")
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    # What the message was made for: the start a reminder announces, the
    # iCalendar SEQUENCE, the waitlist entry...
    context = models.JSONField(default=dict, blank=True)
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # The lease of a `sending` row: when it was claimed (renewed while its
    # batch is sent) and by which dispatch pass; see dispatcher.
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=32, blank=True)
    provider_message_id = models.CharField(max_length=255, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind", "channel", "slot"], name="notification_once_per_slot"
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status="pending"), name="notification_due"),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="failed", next_attempt_at__isnull=False),
                name="notification_retry",
            ),
            models.Index(
                fields=["claimed_at"], condition=Q(status="sending"), name="notification_sending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.channel} #{self.pk} {self.status}"

    @property
    def kind_label(self) -> str:
        """What the message is, in the reader's words (a prepared one included)."""
        if self.kind in Kind.values:
            return str(Kind(self.kind).label)
        return str(PREPARED_KINDS.get(self.kind, _("Message")))

    @property
    def delivery_key(self) -> str:
        """The same for every attempt at this message, unique across databases
        (the creation time in microseconds tells a reset database's rows apart):
        the e-mail's Message-ID and the providers' idempotency key."""
        created = int(self.created_at.timestamp() * 1_000_000) if self.created_at else 0
        return f"solibook-notification-{self.pk}-{created:x}"


class SalonNotificationSettings(TenantModel):
    """What a salon chose: when reminders go out and on which channels.
    One row per salon, created with the business; an empty field means the
    NOTIFICATIONS_* default from settings."""

    reminder_minutes = models.JSONField(
        _("reminders (minutes before the visit)"), default=list, blank=True
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["business"], name="notification_settings_one_per_business"
            )
        ]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedToken(TenantModel):
    """A secret that opens one master's calendar feed; only its SHA-256 is stored."""

    master = models.ForeignKey(
        "catalog.Master", on_delete=models.CASCADE, related_name="calendar_feed_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"feed of master {self.master_id}{' (revoked)' if self.revoked_at else ''}"

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def digest(token: str) -> str:
        return _digest(token)


class MessageTemplate(TenantModel):
    """A salon's own wording of one message kind, on one channel, in one
    language (sandboxed Django template syntax, see `sandbox`). Without a row
    the built-in default of `defaults` is sent."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("message"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the template failed at send time (the default went out instead).
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["business", "kind", "channel", "language"], name="message_template_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.channel}/{self.language}"


class ChannelPreference(models.Model):
    """A client's own choice of channels, for one salon or (business empty)
    for every salon. Not a tenant row: it belongs to the client."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preferences"
    )
    business = models.ForeignKey(
        "catalog.Business", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "business"],
                condition=Q(business__isnull=False),
                name="channel_preference_per_salon",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(business__isnull=True),
                name="channel_preference_global",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.business_id or '*'}: {','.join(self.channels)}"


class PushSubscription(models.Model):
    """One browser or installed app of a client that accepts web push (the
    PushSubscription the browser gave us: endpoint and its two keys)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=2000)
    endpoint_hash = models.CharField(max_length=64, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"push of user {self.user_id} #{self.pk}"

    @staticmethod
    def digest(endpoint: str) -> str:
        return _digest(endpoint)
