from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

from solibook.core.errors import NotFound, ValidationFailed


def clean_or_refuse(instance, *, exclude: list[str] | None = None, prefix: str = "") -> None:
    """Run model validation; a failure becomes ValidationFailed naming the fields."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except DjangoValidationError as exc:
        fields = {f"{prefix}{k}": v for k, v in exc.message_dict.items()}
        raise ValidationFailed(_("Please correct the errors below."), fields=fields) from exc


def given(spec: Mapping[str, Any], key: str) -> Any:
    """An input value for a model field, None when absent: `clean_or_refuse`
    then reports the field as required (unvalidated input, hence Any)."""
    return spec.get(key)


def get_or_404(queryset, pk, message: str):
    obj = queryset.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise NotFound(message)
    return obj


def overlapping(periods: list[tuple]) -> tuple | None:
    """The first pair of [start, end) periods that overlap, or None."""
    ordered = sorted(periods, key=lambda p: (p[0], p[1]))
    for previous, current in zip(ordered, ordered[1:], strict=False):
        if current[0] < previous[1]:
            return previous, current
    return None
