"""Social publishing: the salon's connected profiles, its posts and their
deliveries to each profile, and tracked links with their clicks and the
bookings that followed them.

- `SocialProfile`: a Facebook Page, an Instagram business account, a
  Telegram channel or a VK community, with the token the salon gave. The
  token is write-only: pages and the API show its last four characters.
- `Post`: what the salon publishes (an offer, a last-minute free slot or a
  new photo), its text, picture and tracked link.
- `Delivery`: one post on one profile. Its status only moves through
  conditional updates (`pending`/`failed` → `sending` → `published`/`failed`),
  so a post is never sent twice to one profile, whoever clicks "publish".
- `TrackedLink`: a short public code (`/<lang>/s/<code>/`) that counts the
  click, keeps the touch and leads to its page (a post's Open Graph page, a
  partner's landing page). `Click` rows are the evidence; `Attribution` ties a
  booking to the click that preceded it (last click, within the window).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel


class Network(models.TextChoices):
    FACEBOOK = "facebook", _("Facebook Page")
    INSTAGRAM = "instagram", _("Instagram business account")
    TELEGRAM = "telegram", _("Telegram channel")
    VK = "vk", _("VK community")


class SocialProfile(TenantModel):
    network = models.CharField(_("network"), max_length=10, choices=Network.choices)
    name = models.CharField(_("name"), max_length=120)
    # Page id, Instagram user id, Telegram chat (@channel or -100…), VK group id.
    external_id = models.CharField(_("profile id"), max_length=64)
    token = models.CharField(max_length=512)
    is_active = models.BooleanField(_("active"), default=True)
    last_error = models.CharField(max_length=300, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["network", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "network", "external_id"], name="social_profile_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()} · {self.name}"

    @property
    def token_hint(self) -> str:
        """What is shown of the token: its last four characters."""
        return f"…{self.token[-4:]}" if len(self.token) > 8 else "…"


class TrackedLink(TenantModel):
    class Purpose(models.TextChoices):
        POST = "post", _("Social post")
        LANDING = "landing", _("Landing page")

    code = models.CharField(max_length=16, unique=True)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    # Where the link leads, after the language prefix: "s/p/<code>/", "partnerships/…/".
    target_path = models.CharField(max_length=200)
    clicks = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.code


class Click(TenantModel):
    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="click_rows")
    token = models.CharField(max_length=32, unique=True)
    at = models.DateTimeField()
    referrer = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "id"]
        indexes = [models.Index(fields=["link", "at"])]


class Attribution(TenantModel):
    """A booking made after a tracked link's click (the last one, within
    `SOCIAL_ATTRIBUTION_DAYS`)."""

    appointment = models.OneToOneField(
        "booking.Appointment", on_delete=models.CASCADE, related_name="social_attribution"
    )
    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="attributions")
    click = models.ForeignKey(Click, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class Post(TenantModel):
    class Kind(models.TextChoices):
        OFFER = "offer", _("Offer")
        SLOT = "slot", _("Last-minute free slot")
        PHOTO = "photo", _("New photo")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), max_length=900)
    promo = models.ForeignKey(
        "offers.PromoCode", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    location = models.ForeignKey(
        "catalog.Location", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    slot_start = models.DateTimeField(null=True, blank=True)
    # A stored picture of the salon (a location's or a master's): its file name.
    image = models.CharField(max_length=300, blank=True)
    image_caption = models.CharField(max_length=200, blank=True)
    link = models.OneToOneField(TrackedLink, on_delete=models.PROTECT, related_name="post")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Delivery(TenantModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="deliveries")
    profile = models.ForeignKey(SocialProfile, on_delete=models.PROTECT, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    external_id = models.CharField(max_length=120, blank=True)
    error = models.CharField(max_length=300, blank=True)
    error_code = models.CharField(max_length=20, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "profile"], name="social_delivery_once"),
            models.CheckConstraint(
                condition=~Q(status="published") | ~Q(external_id=""),
                name="social_published_has_id",
            ),
        ]
