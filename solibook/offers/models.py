"""Offers a salon makes on the marketplace.

- `OffPeakRule`: a weekly time window (local wall-clock) with a percentage
  off the visit's price: shown in the slot picker and search badges.
- `PromoCode`: a code worth a percentage or a fixed amount (integer minor
  units of the business's currency), off the whole visit or off one service
  of it, with validity dates, an optional total limit and a once-per-client rule. `redeemed_count` only moves with a
  conditional `UPDATE ... SET redeemed_count = redeemed_count + 1 WHERE
  redeemed_count < max_redemptions`, and a check constraint backs it.
- `Redemption`: what was applied to which appointment; once per client is a
  partial unique index on (promo, client_key).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel
from solibook.core.validators import validate_currency


class OffPeakRule(TenantModel):
    location = models.ForeignKey(
        "catalog.Location",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: every location."),
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    weekdays = models.JSONField(_("days"), default=list, help_text=_("0 = Monday … 6 = Sunday"))
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    discount_percent = models.PositiveSmallIntegerField(
        _("discount (%)"), validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="offpeak_end_after_start"),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=1, discount_percent__lte=90),
                name="offpeak_percent_1_90",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"-{self.discount_percent}%"


class PromoCode(TenantModel):
    code = models.CharField(_("code"), max_length=32)
    description = models.CharField(_("description"), max_length=200, blank=True)
    discount_percent = models.PositiveSmallIntegerField(
        _("discount (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    discount_amount = models.PositiveIntegerField(
        _("discount (minor units)"), null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    max_redemptions = models.PositiveIntegerField(_("total limit"), null=True, blank=True)
    redeemed_count = models.PositiveIntegerField(default=0, editable=False)
    once_per_client = models.BooleanField(_("once per client"), default=True)
    min_price_amount = models.PositiveIntegerField(
        _("minimum visit price (minor units)"), default=0
    )
    # Set: the discount applies to this service's price in the visit only, and a
    # visit without it is refused. Empty: to the whole visit.
    service = models.ForeignKey(
        "catalog.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # What issued the code when no one typed it: "campaign:12", "journey:birthday"
    # (a code for one recipient, used once; kept off the salon's list of codes).
    issued_by = models.CharField(max_length=40, blank=True, default="", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "code"], name="promo_code_unique_per_business"
            ),
            models.CheckConstraint(
                condition=Q(max_redemptions__isnull=True)
                | Q(redeemed_count__lte=F("max_redemptions")),
                name="promo_not_overspent",
            ),
            models.CheckConstraint(
                condition=(Q(discount_percent__isnull=False) & Q(discount_amount__isnull=True))
                | (Q(discount_percent__isnull=True) & Q(discount_amount__isnull=False)),
                name="promo_percent_xor_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Redemption(TenantModel):
    class Kind(models.TextChoices):
        PROMO = "promo", _("Promo code")
        OFF_PEAK = "off_peak", _("Off-peak price")

    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.CASCADE, related_name="redemptions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    promo = models.ForeignKey(
        PromoCode, null=True, blank=True, on_delete=models.PROTECT, related_name="redemptions"
    )
    rule = models.ForeignKey(
        OffPeakRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who "once per client" means: the user id, else the verified e-mail or phone.
    client_key = models.CharField(max_length=200, blank=True)
    discount_amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind"],
                condition=Q(is_active=True),
                name="redemption_one_kind_per_appointment",
            ),
            models.UniqueConstraint(
                fields=["promo", "client_key"],
                condition=Q(is_active=True, promo__isnull=False) & ~Q(client_key=""),
                name="redemption_promo_once_per_client",
            ),
        ]
