"""Campaigns and automatic journeys: who gets a marketing message, who is kept
out of it (the hold-out), what each message became (sent, opened, clicked,
unsubscribed), and what it did (bookings and revenue against the hold-out).

- `MarketingSettings`: one row per salon: quiet hours, the default hold-out,
  the per-channel throttle and the report's window.
- `Campaign` with its `CampaignTemplate` per language: a message to an
  audience (a saved `clients.Segment` or a retention RFM segment), on the
  channels the salon chose, with an optional offer, sent at a time.
- `Journey`: an automatic message (birthday, win-back...) switched on per salon.
- `Recipient`: one client card in one campaign, or in one journey for one
  period, with its group (sent or held out) decided and stored before anything
  is sent. The database holds "once": one row per (campaign, card) and one per
  (journey, card, period); the message is queued in the transaction that locks
  the row and links it to its `notifications.Notification`, so a rerun after a
  crash finds it linked and queues nothing twice.
"""

import secrets
from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel

CHANNELS = (
    ("email", _("E-mail")),
    ("sms", _("SMS")),
    ("whatsapp", _("WhatsApp")),
    ("push", _("Push notification")),
)
# Messages a minute per channel when the salon has not chosen (see services.due_times).
DEFAULT_THROTTLE = {"email": 600, "sms": 60, "whatsapp": 60, "push": 600}


def new_token() -> str:
    return secrets.token_urlsafe(16)


class MarketingSettings(TenantModel):
    quiet_start = models.TimeField(_("quiet hours from"), default=time(21, 0))
    quiet_end = models.TimeField(_("quiet hours until"), default=time(9, 0))
    holdout_percent = models.PositiveSmallIntegerField(
        _("hold-out (%)"), default=10, validators=[MinValueValidator(0), MaxValueValidator(50)]
    )
    throttle = models.JSONField(_("messages a minute per channel"), default=dict, blank=True)
    window_days = models.PositiveSmallIntegerField(
        _("effect measured over (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business"], name="marketing_settings_one"),
            models.CheckConstraint(
                condition=Q(holdout_percent__lte=50), name="marketing_holdout_at_most_half"
            ),
        ]

    def rate(self, channel: str) -> int:
        value = (self.throttle or {}).get(channel) or DEFAULT_THROTTLE.get(channel, 60)
        return max(1, int(value))


class Campaign(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    class Audience(models.TextChoices):
        SEGMENT = "segment", _("Saved segment")
        RFM = "rfm", _("Retention segment")

    class Offer(models.TextChoices):
        NONE = "", _("No offer")
        CODE = "code", _("A promo code for each recipient")
        SERVICE = "service", _("A discount on one service")

    name = models.CharField(_("name"), max_length=120)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.SEGMENT
    )
    segment = models.ForeignKey(
        "clients.Segment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("segment"),
    )
    rfm_code = models.CharField(_("retention segment"), max_length=40, blank=True)
    # In the salon's order of preference: each recipient gets the first one they accept.
    channels = models.JSONField(_("channels"), default=list)
    offer = models.CharField(_("offer"), max_length=10, choices=Offer.choices, blank=True)
    discount_percent = models.PositiveSmallIntegerField(
        _("discount (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    service = models.ForeignKey(
        "catalog.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("service"),
    )
    offer_days = models.PositiveSmallIntegerField(_("offer valid for (days)"), default=30)
    holdout_percent = models.PositiveSmallIntegerField(_("hold-out (%)"), default=10)
    window_days = models.PositiveSmallIntegerField(_("effect measured over (days)"), default=14)
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Set when the audience was drawn (hold-out chosen and stored).
    prepared_at = models.DateTimeField(null=True, blank=True)
    promo_code = models.ForeignKey(
        "offers.PromoCode", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(holdout_percent__lte=50), name="campaign_holdout_at_most_half"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignTemplate(TenantModel):
    """The campaign's words in one language (sandboxed template syntax, see `templating`)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="templates")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("message"))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "language"], name="campaign_template_once")
        ]


class JourneyKind(models.TextChoices):
    BIRTHDAY = "birthday", _("Birthday")
    WINBACK = "winback", _("Win-back")
    REBOOK = "rebook", _("Rebooking reminder")
    WELCOME = "welcome", _("First-visit welcome")
    THANK_YOU = "thank_you", _("Thank-you and review request")
    CHURN_RISK = "churn_risk", _("Churn-risk offer")


class Journey(TenantModel):
    kind = models.CharField(_("journey"), max_length=12, choices=JourneyKind.choices)
    enabled = models.BooleanField(_("on"), default=False)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    holdout_percent = models.PositiveSmallIntegerField(_("hold-out (%)"), default=10)
    discount_percent = models.PositiveSmallIntegerField(
        _("discount (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # Win-back: days without a visit when the client has no rebooking rhythm of their own.
    days = models.PositiveSmallIntegerField(_("days"), default=90)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["business", "kind"], name="journey_one_per_kind"),
            models.CheckConstraint(
                condition=Q(holdout_percent__lte=50), name="journey_holdout_at_most_half"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Recipient(TenantModel):
    class Group(models.TextChoices):
        SENT = "sent", _("Sent")
        HOLDOUT = "holdout", _("Hold-out")

    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="recipients"
    )
    journey = models.CharField(max_length=12, choices=JourneyKind.choices, blank=True)
    # A journey's period: the year of a birthday, the visit thanked, the month of a churn offer...
    period = models.CharField(max_length=60, blank=True)
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=8, choices=Group.choices)
    channel = models.CharField(max_length=10, choices=CHANNELS, blank=True)
    language = models.CharField(max_length=8, blank=True)
    token = models.CharField(max_length=32, unique=True, default=new_token)
    # When the effect starts counting, for both groups (the campaign's start, the journey's day).
    base_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    # Set in the transaction that queues the message: the claim that makes it once.
    queued_at = models.DateTimeField(null=True, blank=True)
    # Why a card in the sent group got no message (no channel left, turned off since...).
    skipped = models.CharField(max_length=120, blank=True)
    promo = models.ForeignKey(
        "offers.PromoCode", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notification = models.OneToOneField(
        "notifications.Notification",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="marketing_recipient",
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    clicks = models.PositiveIntegerField(default=0)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "client"],
                condition=Q(campaign__isnull=False),
                name="recipient_once_per_campaign",
            ),
            models.UniqueConstraint(
                fields=["business", "journey", "client", "period"],
                condition=~Q(journey=""),
                name="recipient_once_per_journey_period",
            ),
            models.CheckConstraint(
                condition=(Q(campaign__isnull=False) & Q(journey=""))
                | (Q(campaign__isnull=True) & ~Q(journey="")),
                name="recipient_campaign_xor_journey",
            ),
        ]
        indexes = [
            models.Index(
                fields=["campaign", "id"],
                condition=Q(group="sent", queued_at__isnull=True),
                name="recipient_to_queue",
            ),
            models.Index(fields=["business", "journey", "base_at"], name="recipient_journey"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id or self.journey} → card {self.client_id} ({self.group})"
