"""Reviews of completed visits: one per visit, 1-5 stars, five aspects, text,
the salon's reply, reports and platform moderation.

Ratings are aggregated on read (`reviews.selectors`) from published reviews
only; a hidden review stops counting the moment it is hidden.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from solibook.core.tenancy import TenantModel

ASPECTS = ("quality", "cleanliness", "welcome", "value", "punctuality")


def stars_label(stars: int) -> str:
    """ "4 stars" in the reader's language, with its plural ("4 звезды", "4 نجوم")."""
    return ngettext("%(n)s star", "%(n)s stars", stars) % {"n": stars}


class ReviewStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by moderation")


def _stars(name: str) -> Q:
    return Q(**{f"{name}__gte": 1, f"{name}__lte": 5})


class Review(TenantModel):
    appointment = models.OneToOneField(
        "booking.Appointment", on_delete=models.CASCADE, related_name="review"
    )
    location = models.ForeignKey("catalog.Location", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    author_name = models.CharField(_("name shown"), max_length=80)
    rating = models.PositiveSmallIntegerField(_("rating"))
    quality = models.PositiveSmallIntegerField(_("quality"), null=True, blank=True)
    cleanliness = models.PositiveSmallIntegerField(_("cleanliness"), null=True, blank=True)
    welcome = models.PositiveSmallIntegerField(_("welcome"), null=True, blank=True)
    value = models.PositiveSmallIntegerField(_("value for money"), null=True, blank=True)
    punctuality = models.PositiveSmallIntegerField(_("punctuality"), null=True, blank=True)
    text = models.TextField(_("your review"), blank=True, max_length=4000)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PUBLISHED
    )
    reply_text = models.TextField(_("reply"), blank=True, max_length=2000)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderation_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["business", "status", "-created_at"])]
        constraints = [
            # One per visit is the OneToOneField's unique index; stars are checked by the database too.
            models.CheckConstraint(condition=_stars("rating"), name="review_rating_1_5"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{a}__isnull": True}) | _stars(a), name=f"review_{a}_1_5"
                )
                for a in ASPECTS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ #{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED


class ReportReason(models.TextChoices):
    OFFENSIVE = "offensive", _("Offensive or hateful")
    SPAM = "spam", _("Spam or advertising")
    FAKE = "fake", _("Not a genuine visit")
    PERSONAL = "personal", _("Personal information")
    OTHER = "other", _("Something else")


class ReviewReport(TenantModel):
    """Anyone (signed in or not) may report a review; open reports form the
    platform staff's moderation queue."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=12, choices=ReportReason.choices)
    note = models.CharField(_("details"), max_length=500, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=10, blank=True)  # hidden / kept

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(resolved_at__isnull=True),
                name="review_report_open",
            )
        ]
