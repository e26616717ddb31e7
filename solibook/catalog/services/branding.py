"""Writes of back-office settings: branding (colour and logo)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from solibook.catalog.models import Branding, colour_validator
from solibook.catalog.services.business import business_update_settings
from solibook.core.audit import audit_log
from solibook.core.errors import ValidationFailed
from solibook.core.images import photo_sanitize

MAX_LOGO_BYTES = 2 * 1024 * 1024


def branding_update(
    *, business, actor, colour: str | None = None, logo=None, remove_logo: bool = False
) -> Branding:
    errors: dict[str, list[str]] = {}
    if colour is not None:
        try:
            colour_validator(colour)
        except ValidationError:
            errors["colour"] = [_("Enter a colour as #RRGGBB.")]
    if logo is not None:
        if logo.size > MAX_LOGO_BYTES:
            errors["logo"] = [_("The logo must be smaller than 2 MB.")]
        elif not errors:
            # Decoded and re-encoded without metadata (EXIF, GPS) before it is stored.
            logo = photo_sanitize(logo, field="logo", max_bytes=MAX_LOGO_BYTES, name="logo")
    if errors:
        message = next(iter(errors.values()))[0]
        raise ValidationFailed(message, fields=errors)
    with transaction.atomic():
        branding = Branding.objects.get(business=business)
        if colour is not None:
            branding.colour = colour.lower()
            branding.save()
        if logo is not None:
            business_update_settings(actor=actor, business=business, logo=logo)
        elif remove_logo and business.logo:
            business_update_settings(actor=actor, business=business, logo="")
        audit_log(
            action="business.branding",
            actor=actor,
            business=business,
            obj=branding,
            data={"colour": branding.colour, "logo": logo is not None or remove_logo},
        )
    return branding
