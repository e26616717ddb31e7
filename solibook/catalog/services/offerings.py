"""Writes for services: steps (with processing time), variants, resources."""

from django.db import transaction
from django.utils.translation import gettext as _

from solibook.catalog.models import (
    Business,
    Category,
    ResourceType,
    Service,
    ServiceStep,
    ServiceVariant,
)
from solibook.catalog.services._common import given
from solibook.core.audit import audit_log
from solibook.core.errors import ValidationFailed, clean_or_refuse, get_or_404

SERVICE_FIELDS = (
    "name",
    "description",
    "price_amount",
    "currency",
    "price_is_from",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "bookable_online",
    "requires_patch_test",
    "requires_consultation",
    "group_capacity",
    "is_active",
    "position",
)


def _build_steps(
    business: Business,
    service: Service,
    steps: list[dict],
    *,
    variant: ServiceVariant | None = None,
    prefix: str,
) -> list[ServiceStep]:
    if not steps:
        raise ValidationFailed(
            _("A service needs at least one step."),
            fields={prefix.rstrip("."): [_("A service needs at least one step.")]},
        )
    built = []
    for i, step in enumerate(steps):
        row = ServiceStep(
            business=business,
            service=service,
            variant=variant,
            position=i,
            duration_minutes=given(step, "duration_minutes"),
            master_busy=step.get("master_busy", True),
            label=step.get("label", ""),
        )
        clean_or_refuse(row, exclude=["business", "service", "variant"], prefix=f"{prefix}{i}.")
        built.append(row)
    if not any(s.master_busy for s in built):
        raise ValidationFailed(
            _("At least one step must need the master."),
            fields={prefix.rstrip("."): [_("At least one step must need the master.")]},
        )
    if not built[0].master_busy or not built[-1].master_busy:
        # Processing time sits between work: a visit neither starts nor ends
        # with the client waiting alone.
        raise ValidationFailed(
            _("Processing time must be between two steps with the master."),
            fields={
                prefix.rstrip("."): [
                    _("Processing time must be between two steps with the master.")
                ]
            },
        )
    return built


def _check_service(business: Business, service: Service) -> None:
    clean_or_refuse(service, exclude=["business", "category"])
    if service.currency != business.currency:
        raise ValidationFailed(
            _("Prices must be in the business's currency (%(currency)s).")
            % {"currency": business.currency},
            fields={
                "currency": [
                    _("Prices must be in the business's currency (%(currency)s).")
                    % {"currency": business.currency}
                ]
            },
        )


def _resource_types(business: Business, ids: list[int]) -> list[ResourceType]:
    found = list(ResourceType.objects.filter(business=business, pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationFailed(
            _("Unknown resource type."), fields={"resource_type_ids": [_("Unknown resource type.")]}
        )
    return found


def _write_variants(business: Business, service: Service, variants: list[dict]) -> None:
    for i, spec in enumerate(variants):
        variant = ServiceVariant(
            business=business,
            service=service,
            name=spec.get("name", ""),
            price_amount=given(spec, "price_amount"),
            position=i,
        )
        clean_or_refuse(variant, exclude=["business", "service"], prefix=f"variants.{i}.")
        steps = _build_steps(
            business,
            service,
            spec.get("steps") or [],
            variant=variant,
            prefix=f"variants.{i}.steps.",
        )
        variant.save()
        for step in steps:
            step.variant = variant
        ServiceStep.objects.bulk_create(steps)


def service_create(
    *,
    actor,
    business: Business,
    category_id: int,
    steps: list[dict],
    variants: list[dict] | None = None,
    resource_type_ids: list[int] | None = None,
    **fields,
) -> Service:
    """A service with its steps; each variant brings its own price and steps."""
    category = get_or_404(Category.objects.all(), category_id, _("Unknown category."))
    fields.setdefault("currency", business.currency)
    service = Service(
        business=business,
        category=category,
        **{k: v for k, v in fields.items() if k in SERVICE_FIELDS},
    )
    _check_service(business, service)
    own_steps = _build_steps(business, service, steps, prefix="steps.")
    types = _resource_types(business, resource_type_ids or [])
    with transaction.atomic():
        service.save()
        ServiceStep.objects.bulk_create(own_steps)
        service.resource_types.set(types, through_defaults={"business": business})
        _write_variants(business, service, variants or [])
        audit_log(action="service.create", actor=actor, business=business, obj=service)
    return service


def service_update(
    *,
    actor,
    business: Business,
    service_id: int,
    category_id: int | None = None,
    steps: list[dict] | None = None,
    variants: list[dict] | None = None,
    resource_type_ids: list[int] | None = None,
    **fields,
) -> Service:
    """Change a service. `steps`, `variants` and `resource_type_ids`, when
    given, replace what was there (existing appointments keep their times)."""
    service = get_or_404(
        Service.objects.filter(business=business), service_id, _("No such service.")
    )
    if category_id is not None:
        service.category = get_or_404(Category.objects.all(), category_id, _("Unknown category."))
    for name, value in fields.items():
        if name in SERVICE_FIELDS:
            setattr(service, name, value)
    _check_service(business, service)
    new_steps = (
        _build_steps(business, service, steps, prefix="steps.") if steps is not None else None
    )
    types = _resource_types(business, resource_type_ids) if resource_type_ids is not None else None
    with transaction.atomic():
        service.save()
        if new_steps is not None:
            ServiceStep.objects.filter(service=service, variant__isnull=True).delete()
            ServiceStep.objects.bulk_create(new_steps)
        if types is not None:
            service.resource_types.set(types, through_defaults={"business": business})
        if variants is not None:
            ServiceVariant.objects.filter(service=service).delete()
            _write_variants(business, service, variants)
        audit_log(
            action="service.update",
            actor=actor,
            business=business,
            obj=service,
            data={"fields": sorted(fields)},
        )
    return service
