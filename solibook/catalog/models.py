from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from solibook.core.tenancy import TenantModel
from solibook.core.validators import validate_currency, validate_time_zone


class Business(models.Model):
    """The tenant: a salon brand with one or more locations."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. FR"))
    is_listed = models.BooleanField(_("listed on the marketplace"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(TenantModel):
    """A place where a business serves clients, with its own time zone."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    address = models.CharField(_("address"), max_length=300)
    city = models.CharField(_("city"), max_length=120)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    phone = PhoneNumberField(_("phone"), blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["business", "slug"], name="location_slug_unique_per_business"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"
