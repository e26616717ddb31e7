"""Back-office settings that belong to no other domain."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel

DEFAULT_COLOUR = "#7a2e5a"
colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))


class Branding(TenantModel):
    """The salon's colour (its logo is `Business.logo`). Read it with
    `crm.selectors.brand_colour(business)`."""

    colour = models.CharField(
        _("brand colour"), max_length=7, default=DEFAULT_COLOUR, validators=[colour_validator]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business"], name="crm_branding_one_per_business")
        ]
