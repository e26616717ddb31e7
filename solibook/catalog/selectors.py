"""Reads of the catalogue that need more than one line."""

from django_scopes import scopes_disabled

from solibook.catalog.models import DEFAULT_COLOUR, Branding


def brand_colour(business) -> str:
    """The salon's colour as #RRGGBB (the default when unset). Safe outside a scope."""
    with scopes_disabled():
        colour = (
            Branding.objects.filter(business_id=business.pk)
            .values_list("colour", flat=True)
            .first()
        )
    return colour or DEFAULT_COLOUR
