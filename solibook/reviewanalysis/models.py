"""What the models read in each review (cached per review), and alerts on runs of bad reviews."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel


class ReviewAnalysis(TenantModel):
    """One per review, written after the review is committed (a task), never on page load."""

    review = models.OneToOneField(
        "reviews.Review", on_delete=models.CASCADE, related_name="analysis"
    )
    language = models.CharField(_("language"), max_length=8)  # en / fr / ru / ar / other
    language_note = models.CharField(max_length=16, blank=True)  # empty / foreign / short
    sentiment = models.CharField(_("sentiment"), max_length=10, blank=True)
    confidence = models.FloatField(default=0)
    # aspect → {"polarity": "pos"|"neg", "quote": the words that say it, "p": probability}
    aspects = models.JSONField(default=dict, blank=True)
    # The review's embedding (float32 × 384): the weak-label training set of the next model.
    embedding = models.BinaryField(blank=True, default=b"")
    model_version = models.PositiveSmallIntegerField(default=1)
    analysed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["business", "sentiment"])]

    def __str__(self) -> str:
        return f"{self.language}/{self.sentiment} #{self.review_id}"


class ReviewAlert(TenantModel):
    """A run of bad reviews for the salon (master empty) or for one master."""

    master = models.ForeignKey(
        "catalog.Master", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    first_review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="+")
    last_review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="+")
    count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # One alert per run: partial unique indexes (SQLite has no NULLS NOT DISTINCT).
        constraints = [
            models.UniqueConstraint(
                fields=["business", "master", "first_review"],
                condition=Q(master__isnull=False),
                name="review_alert_once_per_master_run",
            ),
            models.UniqueConstraint(
                fields=["business", "first_review"],
                condition=Q(master__isnull=True),
                name="review_alert_once_per_salon_run",
            ),
        ]

    def __str__(self) -> str:
        return f"alert {self.count} bad reviews #{self.pk}"
