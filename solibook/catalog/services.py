"""Writes for businesses and locations."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from solibook.accounts.models import Membership
from solibook.accounts.roles import Role
from solibook.catalog.models import Business, Location
from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, ValidationFailed


def _clean(instance, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        raise ValidationFailed(_("Please correct the errors below."), fields=exc.message_dict) from exc


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=False)[:60] or "salon"
    slug, n = base, 1
    while Business.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def business_create(*, owner, name: str, currency: str, country: str, description: str = "", is_listed: bool = True) -> Business:
    """A new tenant with its creator as owner."""
    business = Business(
        name=name.strip(), slug=_unique_slug(name), currency=currency.upper(), country=country.upper(),
        description=description, is_listed=is_listed,
    )
    _clean(business)
    try:
        with transaction.atomic():
            business.save()
            Membership.objects.create(business=business, user=owner, role=Role.OWNER)
            audit_log(action="business.create", actor=owner, business=business, obj=business)
    except IntegrityError as exc:
        raise ValidationFailed(_("A business with this address already exists."), fields={"name": [_("Choose another name.")]}) from exc
    return business


LOCATION_FIELDS = ("name", "address", "city", "postal_code", "country", "latitude", "longitude", "time_zone", "phone")


def location_create(*, actor, business: Business, **fields) -> Location:
    location = Location(business=business, **{k: v for k, v in fields.items() if k in LOCATION_FIELDS})
    location.slug = slugify(fields.get("slug") or location.name)[:80] or "location"
    location.country = (location.country or business.country).upper()
    _clean(location, exclude=["business"])
    if Location.objects.filter(business=business, slug=location.slug).exists():
        raise ValidationFailed(_("Please correct the errors below."), fields={"name": [_("Another location has this name.")]})
    with transaction.atomic():
        location.save()
        audit_log(action="location.create", actor=actor, business=business, obj=location)
    return location


def location_update(*, actor, business: Business, location_id: int, **fields) -> Location:
    location = Location.objects.filter(business=business, pk=location_id).first()
    if location is None:
        raise NotFound(_("No such location."))
    for name, value in fields.items():
        if name in LOCATION_FIELDS:
            setattr(location, name, value)
    _clean(location, exclude=["business"])
    with transaction.atomic():
        location.save()
        audit_log(action="location.update", actor=actor, business=business, obj=location, data={"fields": sorted(fields)})
    return location
