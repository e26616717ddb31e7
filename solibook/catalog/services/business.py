"""Writes for businesses, their settings, locations, opening hours and closures."""

from datetime import date

import holidays as holiday_calendars
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from solibook.accounts.models import Membership
from solibook.accounts.roles import Role
from solibook.catalog import limits
from solibook.catalog.models import (
    Approval,
    Branding,
    Business,
    Location,
    LocationClosure,
    OpeningHours,
)
from solibook.catalog.services._common import given, overlapping
from solibook.catalog.signals import business_created
from solibook.catalog.versioning import catalog_changed
from solibook.core.audit import audit_log
from solibook.core.errors import ValidationFailed, clean_or_refuse, get_or_404
from solibook.core.slugs import readable_slug
from solibook.core.tenancy import business_scope


def _unique_slug(name: str) -> str:
    """A free slug from the name, transliterated ("Жемчуг" -> "zhemchug")."""
    base = readable_slug(name) or "salon"
    slug, n = base, 1
    while Business.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def business_create(
    *,
    owner,
    name: str,
    currency: str,
    country: str,
    description: str = "",
    is_listed: bool = True,
    slug: str = "",
    needs_approval: bool = False,
) -> Business:
    """A new tenant with its creator as owner; `slug` (optional, Latin) is
    its address, else one is made from the name. A self-served salon
    (`needs_approval`) starts as a draft, off the marketplace, until the
    operator approves it."""
    business = Business(
        name=name.strip(),
        slug=_unique_slug(slug or name),
        currency=currency.upper(),
        country=country.upper(),
        description=description,
        is_listed=is_listed and not needs_approval,
        approval_status=Approval.DRAFT if needs_approval else Approval.APPROVED,
    )
    clean_or_refuse(business)
    try:
        with transaction.atomic():
            business.save()
            Membership.objects.create(business=business, user=owner, role=Role.OWNER)
            business_settings_create(business=business)
            audit_log(action="business.create", actor=owner, business=business, obj=business)
    except IntegrityError as exc:
        raise ValidationFailed(
            _("A business with this address already exists."),
            fields={"name": [_("Choose another name.")]},
        ) from exc
    return business


def business_settings_create(*, business: Business) -> None:
    """Every per-business settings row (branding here; finance settings, the loyalty
    and referral programmes, notification settings through `business_created`).
    Called inside `business_create`'s transaction; safe to call twice."""
    with transaction.atomic(), business_scope(business):
        Branding.objects.get_or_create(business=business)
        business_created.send(sender=Business, business=business)


BUSINESS_SETTINGS_FIELDS = (
    "name",
    "description",
    "legal_name",
    "registration_number",
    "vat_number",
    "languages",
    "is_listed",
    "lead_time_minutes",
    "horizon_days",
    "slot_step_minutes",
    "cancellation_window_hours",
    "cancellation_fee_percent",
    "no_show_grace_minutes",
    "no_show_undo_minutes",
    "deposit_rule",
    "deposit_value",
    "logo",
)


def business_update_settings(*, actor, business: Business, **changes) -> Business:
    """Profile and booking rules. The currency is fixed once prices exist in it."""
    unknown = set(changes) - set(BUSINESS_SETTINGS_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    if changes.get("is_listed") and business.approval_status != Approval.APPROVED:
        message = _("Your salon goes on the marketplace once the platform approves it.")
        raise ValidationFailed(message, fields={"is_listed": [message]})
    for name, value in changes.items():
        setattr(business, name, value)
    # Before the model validation, whose check constraint names no field.
    if (
        business.deposit_rule == "percent"
        and isinstance(business.deposit_value, int)
        and business.deposit_value > 100
    ):
        raise ValidationFailed(
            _("Please correct the errors below."),
            fields={"deposit_value": [_("A percentage cannot exceed 100.")]},
        )
    clean_or_refuse(business)
    with transaction.atomic():
        business.save()
        audit_log(
            action="business.settings",
            actor=actor,
            business=business,
            obj=business,
            data={"fields": sorted(changes)},
        )
    return business


LOCATION_FIELDS = (
    "name",
    "address",
    "city",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "time_zone",
    "phone",
    "amenities",
)


def location_create(*, actor, business: Business, **fields) -> Location:
    location = Location(
        business=business, **{k: v for k, v in fields.items() if k in LOCATION_FIELDS}
    )
    location.slug = slugify(fields.get("slug") or location.name)[:80] or "location"
    location.country = (location.country or business.country).upper()
    clean_or_refuse(location, exclude=["business"])
    if Location.objects.filter(business=business, slug=location.slug).exists():
        raise ValidationFailed(
            _("Please correct the errors below."),
            fields={"name": [_("Another location has this name.")]},
        )
    limits.check(business=business, what="locations")
    with transaction.atomic():
        location.save()
        audit_log(action="location.create", actor=actor, business=business, obj=location)
    return location


def location_update(*, actor, business: Business, location_id: int, **fields) -> Location:
    location = get_or_404(
        Location.objects.filter(business=business), location_id, _("No such location.")
    )
    for name, value in fields.items():
        if name in LOCATION_FIELDS:
            setattr(location, name, value)
    clean_or_refuse(location, exclude=["business"])
    with transaction.atomic():
        location.save()
        audit_log(
            action="location.update",
            actor=actor,
            business=business,
            obj=location,
            data={"fields": sorted(fields)},
        )
    return location


def opening_hours_set(
    *, actor, business: Business, location_id: int, periods: list[dict]
) -> list[OpeningHours]:
    """Replace a location's weekly opening hours: [{weekday, opens, closes}]."""
    location = get_or_404(
        Location.objects.filter(business=business), location_id, _("No such location.")
    )
    rows = []
    for i, period in enumerate(periods):
        row = OpeningHours(
            business=business,
            location=location,
            weekday=given(period, "weekday"),
            opens=given(period, "opens"),
            closes=given(period, "closes"),
        )
        # Before the model validation, whose check constraint names no field.
        if row.opens is not None and row.closes is not None and row.closes <= row.opens:
            raise ValidationFailed(
                _("Closing time must be after opening time."),
                fields={f"periods.{i}.closes": [_("Closing time must be after opening time.")]},
            )
        clean_or_refuse(row, exclude=["business", "location"], prefix=f"periods.{i}.")
        rows.append(row)
    for weekday in {r.weekday for r in rows}:
        clash = overlapping([(r.opens, r.closes) for r in rows if r.weekday == weekday])
        if clash:
            raise ValidationFailed(
                _("Opening hours overlap on the same day."),
                fields={"periods": [_("Opening hours overlap on the same day.")]},
            )
    with transaction.atomic():
        OpeningHours.objects.filter(location=location).delete()
        OpeningHours.objects.bulk_create(rows)
        catalog_changed(business.pk)
        audit_log(
            action="location.opening_hours",
            actor=actor,
            business=business,
            obj=location,
            data={"periods": len(rows)},
        )
    return rows


def holidays_propose(*, location: Location, year: int) -> list[tuple[date, str]]:
    """Public holidays of the location's country (from the `holidays` package)."""
    try:
        calendar = holiday_calendars.country_holidays(
            location.country, years=year, language="en_US"
        )
    except NotImplementedError:
        return []
    return sorted(calendar.items())


def closure_add(
    *,
    actor,
    business: Business,
    location_id: int,
    day: date,
    name: str,
    source: str = LocationClosure.Source.MANUAL,
) -> LocationClosure:
    location = get_or_404(
        Location.objects.filter(business=business), location_id, _("No such location.")
    )
    closure = LocationClosure(
        business=business,
        location=location,
        date=day,
        name=name.strip() or _("Closed"),
        source=source,
    )
    clean_or_refuse(closure, exclude=["business", "location"])
    if LocationClosure.objects.filter(location=location, date=day).exists():
        raise ValidationFailed(
            _("This date is already closed."), fields={"date": [_("This date is already closed.")]}
        )
    with transaction.atomic():
        closure.save()
        audit_log(
            action="location.closure_add",
            actor=actor,
            business=business,
            obj=closure,
            data={"date": day.isoformat()},
        )
    return closure


def closure_remove(*, actor, business: Business, closure_id: int) -> None:
    closure = get_or_404(
        LocationClosure.objects.filter(business=business), closure_id, _("No such closure.")
    )
    with transaction.atomic():
        audit_log(
            action="location.closure_remove",
            actor=actor,
            business=business,
            obj=closure,
            data={"date": closure.date.isoformat()},
        )
        closure.delete()


def holidays_import(
    *, actor, business: Business, location_id: int, year: int
) -> list[LocationClosure]:
    """Close the location on every public holiday of `year` not closed yet."""
    location = get_or_404(
        Location.objects.filter(business=business), location_id, _("No such location.")
    )
    taken = set(
        LocationClosure.objects.filter(location=location, date__year=year).values_list(
            "date", flat=True
        )
    )
    rows = [
        LocationClosure(
            business=business,
            location=location,
            date=day,
            name=name[:200],
            source=LocationClosure.Source.HOLIDAY,
        )
        for day, name in holidays_propose(location=location, year=year)
        if day not in taken
    ]
    with transaction.atomic():
        LocationClosure.objects.bulk_create(rows)
        catalog_changed(business.pk)
        audit_log(
            action="location.holidays_import",
            actor=actor,
            business=business,
            obj=location,
            data={"year": year, "count": len(rows)},
        )
    return rows
