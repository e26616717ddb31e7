"""Writes for resource types and resources (rooms, chairs, equipment)."""

from django.db import transaction
from django.utils.translation import gettext as _

from solibook.catalog.models import Business, Location, Resource, ResourceType
from solibook.core.audit import audit_log
from solibook.core.errors import ValidationFailed, clean_or_refuse, get_or_404


def resource_type_create(*, actor, business: Business, name: str) -> ResourceType:
    resource_type = ResourceType(business=business, name=name.strip())
    clean_or_refuse(resource_type, exclude=["business"])
    if ResourceType.objects.filter(business=business, name__iexact=resource_type.name).exists():
        raise ValidationFailed(
            _("This resource type exists already."),
            fields={"name": [_("This resource type exists already.")]},
        )
    with transaction.atomic():
        resource_type.save()
        audit_log(action="resource_type.create", actor=actor, business=business, obj=resource_type)
    return resource_type


def resource_type_update(
    *, actor, business: Business, resource_type_id: int, name: str
) -> ResourceType:
    """Rename a resource type; names stay unique in the business."""
    resource_type = get_or_404(
        ResourceType.objects.filter(business=business),
        resource_type_id,
        _("Unknown resource type."),
    )
    resource_type.name = name.strip()
    clean_or_refuse(resource_type, exclude=["business"])
    taken = ResourceType.objects.filter(business=business, name__iexact=resource_type.name).exclude(
        pk=resource_type.pk
    )
    if taken.exists():
        raise ValidationFailed(
            _("This resource type exists already."),
            fields={"name": [_("This resource type exists already.")]},
        )
    with transaction.atomic():
        resource_type.save()
        audit_log(action="resource_type.update", actor=actor, business=business, obj=resource_type)
    return resource_type


def resource_create(
    *,
    actor,
    business: Business,
    location_id: int,
    resource_type_id: int,
    name: str,
    capacity: int = 1,
) -> Resource:
    location = get_or_404(
        Location.objects.filter(business=business), location_id, _("No such location.")
    )
    resource_type = get_or_404(
        ResourceType.objects.filter(business=business),
        resource_type_id,
        _("Unknown resource type."),
    )
    resource = Resource(
        business=business,
        location=location,
        resource_type=resource_type,
        name=name.strip(),
        capacity=capacity,
    )
    clean_or_refuse(resource, exclude=["business", "location", "resource_type"])
    with transaction.atomic():
        resource.save()
        audit_log(action="resource.create", actor=actor, business=business, obj=resource)
    return resource


def resource_update(*, actor, business: Business, resource_id: int, **fields) -> Resource:
    resource = get_or_404(
        Resource.objects.filter(business=business), resource_id, _("No such resource.")
    )
    for name in ("name", "capacity", "is_active"):
        if name in fields:
            setattr(resource, name, fields[name])
    clean_or_refuse(resource, exclude=["business", "location", "resource_type"])
    with transaction.atomic():
        resource.save()
        audit_log(
            action="resource.update",
            actor=actor,
            business=business,
            obj=resource,
            data={"fields": sorted(fields)},
        )
    return resource
