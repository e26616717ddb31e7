"""The client side of booking: a held visit waiting for confirmation (with
the guest's verified contact), and favourite salons and masters."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BookingDraft(models.Model):
    """A slot held by the wizard (or the API) while the client identifies and
    confirms. `token` is the bearer secret of the draft; guests verify an
    e-mail or phone with a one-time code before they may confirm."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    token = models.CharField(max_length=64, unique=True)
    business = models.ForeignKey("catalog.Business", on_delete=models.CASCADE, related_name="+")
    appointment = models.OneToOneField(
        "booking.Appointment", on_delete=models.CASCADE, related_name="draft"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    guest_name = models.CharField(max_length=150, blank=True)
    channel = models.CharField(max_length=5, choices=Channel.choices, blank=True)
    destination = models.CharField(max_length=254, blank=True)
    code_hash = models.CharField(max_length=128, blank=True)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    codes_sent = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"draft #{self.pk} (appointment {self.appointment_id})"


class Favourite(models.Model):
    """A client's favourite salon or master (exactly one of the two)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites"
    )
    business = models.ForeignKey(
        "catalog.Business", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    master = models.ForeignKey(
        "catalog.Master", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(business__isnull=False, master__isnull=True)
                | Q(business__isnull=True, master__isnull=False),
                name="favourite_salon_xor_master",
            ),
            models.UniqueConstraint(
                fields=["user", "business"],
                condition=Q(business__isnull=False),
                name="favourite_salon_once",
            ),
            models.UniqueConstraint(
                fields=["user", "master"],
                condition=Q(master__isnull=False),
                name="favourite_master_once",
            ),
        ]

    def __str__(self) -> str:
        return f"favourite #{self.pk}"
