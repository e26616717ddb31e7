"""Promo landing pages for an event or a partner business (a gym, a bridal
shop): a public page with its own promo code (an `offers.PromoCode`), its own
tracked link (`social.TrackedLink`), the partner's name and logo, and dates.

A booking belongs to a landing page when it was made after a click on its
link (`social.Attribution`) or when it spent its code (`offers.Redemption`).
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel


class Landing(TenantModel):
    class Kind(models.TextChoices):
        EVENT = "event", _("Event")
        PARTNER = "partner", _("Partner business")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    slug = models.SlugField(_("address"), max_length=60)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    partner_name = models.CharField(_("partner"), max_length=120, blank=True)
    partner_url = models.URLField(_("partner's website"), blank=True)
    partner_logo = models.ImageField(_("partner's logo"), upload_to="partners/", blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    promo = models.OneToOneField(
        "offers.PromoCode", on_delete=models.PROTECT, related_name="landing"
    )
    link = models.OneToOneField(
        "social.TrackedLink", on_delete=models.PROTECT, related_name="landing"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["business", "slug"], name="landing_slug_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="landing_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title
