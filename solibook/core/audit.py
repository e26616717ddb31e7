"""The audit log: every sensitive state change is recorded with who, what and when."""

from typing import Any

from django.db import models

from solibook.core.models import AuditEvent


def audit_log(
    *,
    action: str,
    actor=None,
    business=None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        business=business,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
    )


def events_for_business(*, business) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(business=business).select_related("actor")
