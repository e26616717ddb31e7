"""Self-serve onboarding: a new salon sets itself up in a few short steps
(business and first location, services from the taxonomy, team and opening
hours), then submits itself for approval. Each step is one service call that
the wizard's pages (and the API) share; each builds on the catalogue's own
services, so the rules are the same as in the back office."""

from datetime import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.catalog.models import (
    Approval,
    Business,
    Category,
    Location,
    Master,
    OpeningHours,
    Service,
    WeeklyShift,
)
from solibook.catalog.services.business import business_create, location_create, opening_hours_set
from solibook.catalog.services.offerings import service_create
from solibook.catalog.services.schedules import weekly_schedule_set
from solibook.catalog.services.staff import master_create
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, ValidationFailed, refuse
from solibook.core.tenancy import business_scope

# The currency and time zone a salon of each country starts with.
COUNTRY_DEFAULTS: dict[str, tuple[str, str]] = {
    "FR": ("EUR", "Europe/Paris"),
    "BE": ("EUR", "Europe/Brussels"),
    "CH": ("CHF", "Europe/Zurich"),
    "GB": ("GBP", "Europe/London"),
    "RU": ("RUB", "Europe/Moscow"),
    "KZ": ("KZT", "Asia/Almaty"),
    "SA": ("SAR", "Asia/Riyadh"),
    "AE": ("AED", "Asia/Dubai"),
    "MA": ("MAD", "Africa/Casablanca"),
}

EDITABLE = (Approval.DRAFT, Approval.REJECTED)


def onboarding_start(
    *,
    owner,
    name: str,
    country: str,
    address: str,
    city: str,
    postal_code: str = "",
    time_zone: str = "",
) -> Business:
    """The business and its first location; currency and zone follow the country."""
    country = (country or "").upper()
    if country not in COUNTRY_DEFAULTS:
        refuse(_("Choose a country from the list."), "country")
    currency, zone = COUNTRY_DEFAULTS[country]
    with transaction.atomic():
        business = business_create(
            owner=owner, name=name, currency=currency, country=country, needs_approval=True
        )
        with business_scope(business):
            location_create(
                actor=owner,
                business=business,
                name=name,
                address=address,
                city=city,
                postal_code=postal_code,
                country=country,
                time_zone=time_zone or zone,
            )
    return business


def onboarding_editable(business: Business) -> None:
    """Refuse a change to a salon already submitted (or live): the operator
    checks what was submitted (the plan step, in billing, asks it too)."""
    if business.approval_status not in EDITABLE:
        raise Conflict(_("Your salon is already submitted; the platform is checking it."))


def onboarding_services(*, actor, business: Business, picks: list[dict]) -> list[Service]:
    """Services picked from the taxonomy: [{category_id, name?, duration_minutes,
    price_amount}]; the name defaults to the category's name in the salon's
    page language."""
    onboarding_editable(business)
    if not picks:
        refuse(_("Pick at least one service."), "picks")
    categories = {
        c.pk: c for c in Category.objects.filter(pk__in=[p.get("category_id") for p in picks])
    }
    created = []
    with transaction.atomic():
        for i, pick in enumerate(picks):
            category = categories.get(pick.get("category_id") or 0)
            if category is None:
                refuse(_("Unknown category."), f"picks.{i}.category_id")
            created.append(
                service_create(
                    actor=actor,
                    business=business,
                    category_id=category.pk,
                    name=(pick.get("name") or "").strip() or category.name,
                    price_amount=pick.get("price_amount"),
                    steps=[{"duration_minutes": pick.get("duration_minutes")}],
                )
            )
    return created


def onboarding_team(
    *,
    actor,
    business: Business,
    names: list[str],
    weekdays: list[int],
    opens: time,
    closes: time,
) -> list[Master]:
    """Opening hours of the first location, and its masters, each doing every
    service and working the opening hours."""
    onboarding_editable(business)
    names = [n.strip() for n in names if n and n.strip()]
    if not names:
        refuse(_("Add at least one person who takes clients."), "names")
    if not weekdays:
        refuse(_("Choose the days you are open."), "weekdays")
    location = Location.objects.filter(business=business).order_by("pk").first()
    if location is None:
        refuse(_("Add your salon's address first."), "names")
    services = [
        {"service_id": pk}
        for pk in Service.objects.filter(business=business).values_list("pk", flat=True)
    ]
    periods = [{"weekday": d, "opens": opens, "closes": closes} for d in sorted(set(weekdays))]
    masters = []
    with transaction.atomic():
        opening_hours_set(actor=actor, business=business, location_id=location.pk, periods=periods)
        for name in names:
            master = master_create(
                actor=actor,
                business=business,
                display_name=name,
                location_ids=[location.pk],
                services=services,
            )
            weekly_schedule_set(
                actor=actor,
                business=business,
                master_id=master.pk,
                location_id=location.pk,
                shifts=[{"weekday": p["weekday"], "start": opens, "end": closes} for p in periods],
            )
            masters.append(master)
    return masters


def onboarding_progress(business: Business) -> dict[str, bool]:
    """Which steps are done (read in the business's scope)."""
    return {
        "location": Location.objects.filter(business=business).exists(),
        "services": Service.objects.filter(business=business, is_active=True).exists(),
        "team": Master.objects.filter(business=business).exists()
        and WeeklyShift.objects.filter(business=business).exists(),
        "hours": OpeningHours.objects.filter(business=business).exists(),
    }


def onboarding_submit(*, actor, business: Business) -> Business:
    """Ask the platform to approve the salon; every step must be done."""
    onboarding_editable(business)
    progress = onboarding_progress(business)
    if not progress["services"]:
        raise ValidationFailed(_("Add at least one service before you submit."))
    if not (progress["team"] and progress["hours"]):
        raise ValidationFailed(_("Add your team and opening hours before you submit."))
    with transaction.atomic():
        locked = Business.objects.select_for_update().get(pk=business.pk)
        onboarding_editable(locked)
        locked.approval_status = Approval.PENDING
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["approval_status", "submitted_at"])
        audit_log(action="business.submit", actor=actor, business=locked, obj=locked)
    business.approval_status, business.submitted_at = locked.approval_status, locked.submitted_at
    return business
