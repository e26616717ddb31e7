"""Writes for masters: profile, locations, services with own price and pace."""

from django.db import transaction
from django.utils.translation import gettext as _

from solibook.accounts.models import Membership
from solibook.catalog import limits
from solibook.catalog.models import Business, Location, Master, MasterService, Service
from solibook.catalog.services._common import given
from solibook.core.audit import audit_log
from solibook.core.errors import ValidationFailed, clean_or_refuse, get_or_404
from solibook.core.validators import clean_name

MASTER_FIELDS = ("display_name", "bio", "color", "is_active", "position", "photo")


def _locations(business: Business, ids: list[int]) -> list[Location]:
    found = list(Location.objects.filter(business=business, pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationFailed(
            _("Unknown location."), fields={"location_ids": [_("Unknown location.")]}
        )
    return found


def _service_links(business: Business, master: Master, services: list[dict]) -> list[MasterService]:
    ids = [s.get("service_id") for s in services]
    known = {s.pk: s for s in Service.objects.filter(business=business, pk__in=ids)}
    links = []
    for i, spec in enumerate(services):
        service = known.get(given(spec, "service_id"))
        if service is None:
            raise ValidationFailed(
                _("Unknown service."), fields={f"services.{i}.service_id": [_("Unknown service.")]}
            )
        link = MasterService(
            business=business,
            master=master,
            service=service,
            price_amount=spec.get("price_amount"),
            duration_delta_minutes=spec.get("duration_delta_minutes") or 0,
        )
        clean_or_refuse(link, exclude=["business", "master", "service"], prefix=f"services.{i}.")
        links.append(link)
    if len({link.service_id for link in links}) != len(links):
        raise ValidationFailed(
            _("A service is listed twice."), fields={"services": [_("A service is listed twice.")]}
        )
    return links


def _check_user(business: Business, user) -> None:
    if user is not None and not Membership.objects.filter(business=business, user=user).exists():
        raise ValidationFailed(
            _("This person is not a member of the team."),
            fields={"user": [_("This person is not a member of the team.")]},
        )


def team_member_user(*, business: Business, user_id: int):
    """The user with this id when they are a member of the business: whom a
    master profile may be linked to (the API names users by id)."""
    membership = (
        Membership.objects.filter(business=business, user_id=user_id).select_related("user").first()
    )
    if membership is None:
        raise ValidationFailed(
            _("This person is not a member of the team."),
            fields={"user_id": [_("This person is not a member of the team.")]},
        )
    return membership.user


def master_create(
    *,
    actor,
    business: Business,
    display_name: str,
    location_ids: list[int],
    services: list[dict] | None = None,
    user=None,
    **fields,
) -> Master:
    master = Master(
        business=business,
        display_name=clean_name(display_name, field="display_name"),
        user=user,
        **{k: v for k, v in fields.items() if k in MASTER_FIELDS},
    )
    clean_or_refuse(master, exclude=["business", "user"])
    _check_user(business, user)
    locations = _locations(business, location_ids)
    if not locations:
        raise ValidationFailed(
            _("Choose at least one location."),
            fields={"location_ids": [_("Choose at least one location.")]},
        )
    links = _service_links(business, master, services or [])
    limits.check(business=business, what="masters")
    with transaction.atomic():
        master.save()
        master.locations.set(locations, through_defaults={"business": business})
        MasterService.objects.bulk_create(links)
        audit_log(action="master.create", actor=actor, business=business, obj=master)
    return master


def master_update(
    *,
    actor,
    business: Business,
    master_id: int,
    location_ids: list[int] | None = None,
    services: list[dict] | None = None,
    **fields,
) -> Master:
    master = get_or_404(Master.objects.filter(business=business), master_id, _("No such master."))
    if "display_name" in fields:
        fields["display_name"] = clean_name(fields["display_name"], field="display_name")
    user_given = "user" in fields
    for name, value in fields.items():
        if name in MASTER_FIELDS or name == "user":
            setattr(master, name, value)
    clean_or_refuse(master, exclude=["business", "user"])
    if user_given:
        _check_user(business, master.user)
    locations = _locations(business, location_ids) if location_ids is not None else None
    if locations is not None and not locations:
        raise ValidationFailed(
            _("Choose at least one location."),
            fields={"location_ids": [_("Choose at least one location.")]},
        )
    links = _service_links(business, master, services) if services is not None else None
    with transaction.atomic():
        master.save()
        if locations is not None:
            master.locations.set(locations, through_defaults={"business": business})
        if links is not None:
            MasterService.objects.filter(master=master).delete()
            MasterService.objects.bulk_create(links)
        audit_log(
            action="master.update",
            actor=actor,
            business=business,
            obj=master,
            data={"fields": sorted(fields)},
        )
    return master
