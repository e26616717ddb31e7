"""Tables of calendar sync.

- `Connection`: one master's own calendar (CalDAV or Google), its secret
  sealed (`secrets.seal`), its sync state and health.
- `PushedEvent`: a visit item of that master as it was last written to the
  calendar (its stable UID, where it lives, a fingerprint of what was sent).
- `Conflict`: busy time from the calendar over a visit already booked. The
  visit wins (docs/calendarsync.md); the salon sees the conflict.
- `ClientFeedToken`: a secret that opens one client's own visits as a feed.

Busy time itself is stored as `catalog.TimeOff` rows with `external_ref`
set, which availability already subtracts.
"""

import hashlib
import secrets as stdlib_secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel


class Kind(models.TextChoices):
    CALDAV = "caldav", _("CalDAV")
    GOOGLE = "google", _("Google Calendar")


class Health(models.TextChoices):
    OK = "ok", _("Connected")
    FAILING = "failing", _("Failing (retrying)")
    RECONNECT = "reconnect", _("Needs reconnecting")


class Connection(TenantModel):
    master = models.OneToOneField(
        "catalog.Master", on_delete=models.CASCADE, related_name="calendar_connection"
    )
    kind = models.CharField(_("calendar"), max_length=10, choices=Kind.choices)
    # CalDAV: the calendar collection's URL; Google: the calendar id ("primary").
    url = models.CharField(_("calendar address"), max_length=500)
    username = models.CharField(_("user name"), max_length=200, blank=True)
    # CalDAV password or Google tokens (JSON), sealed; never shown back.
    secret = models.TextField(blank=True)
    health = models.CharField(max_length=10, choices=Health.choices, default=Health.OK)
    last_error = models.CharField(max_length=300, blank=True)
    sync_token = models.TextField(blank=True)
    last_pulled_at = models.DateTimeField(null=True, blank=True)
    last_pushed_at = models.DateTimeField(null=True, blank=True)
    # Timed events without DTEND or DURATION last an instant (RFC 5545) and
    # block nothing: how many the last pull saw, so the page can say it.
    ignored_without_end = models.PositiveIntegerField(default=0)
    # One sync at a time per connection (see services._claim).
    lease_until = models.DateTimeField(null=True, blank=True)
    again = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of master {self.master_id}"

    @property
    def ref_prefix(self) -> str:
        """The start of `TimeOff.external_ref` of this connection's busy time."""
        return f"cs:{self.pk}:"

    def ref_for(self, key: str) -> str:
        return self.ref_prefix + hashlib.sha256(key.encode()).hexdigest()[:40]


class PushedEvent(TenantModel):
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="pushed")
    uid = models.CharField(max_length=200)
    appointment = models.ForeignKey(
        "booking.Appointment", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    remote_id = models.CharField(max_length=500, blank=True)
    fingerprint = models.CharField(max_length=64)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    pushed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "uid"], name="calendarsync_pushed_once")
        ]


class Conflict(TenantModel):
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="conflicts")
    external_ref = models.CharField(max_length=80)
    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.CASCADE, related_name="+"
    )
    busy_from = models.DateTimeField()
    busy_until = models.DateTimeField()
    detected_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["busy_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "external_ref", "appointment"],
                condition=Q(resolved_at__isnull=True),
                name="calendarsync_conflict_open_once",
            )
        ]


class ClientFeedToken(models.Model):
    """Not a tenant row: a client's visits span salons. Only the SHA-256 of
    the secret is stored; the URL is shown once, when issued."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"feed of account {self.account_id}{' (revoked)' if self.revoked_at else ''}"

    @staticmethod
    def new_secret() -> str:
        return stdlib_secrets.token_urlsafe(32)

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
