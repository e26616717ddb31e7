"""Errors that services raise and every entry point renders the same way.

Pages show `message` (already translated); the API turns them into
`{"error": {"code", "message", "fields"}}` with the matching status.
"""

from typing import Any, NoReturn

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _


class DomainError(Exception):
    status_code = 400
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}
        self.extra = extra or {}


class ValidationFailed(DomainError):
    status_code = 400
    code = "invalid"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


def refuse(message: str, field: str | None = None, *, code: str = "invalid") -> NoReturn:
    """Refuse the input: a `ValidationFailed` (400) whose message is also put on
    `field` when one is named, so a page shows it beside the input."""
    raise ValidationFailed(message, code=code, fields={field: [message]} if field else None)


def refuse_fields(fields: dict[str, list[str]], *, code: str = "invalid") -> NoReturn:
    """Refuse several fields at once: the message is the field's own when only one
    is named, else a general "Please correct the errors below."."""
    if len(fields) == 1:
        message = next(iter(fields.values()))[0]
    else:
        message = _("Please correct the errors below.")
    raise ValidationFailed(message, code=code, fields=fields)


def clean_or_refuse(instance, *, exclude: list[str] | None = None, prefix: str = "") -> None:
    """Run model validation; a failure becomes ValidationFailed naming the fields."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except DjangoValidationError as exc:
        fields = {f"{prefix}{k}": v for k, v in exc.message_dict.items()}
        raise ValidationFailed(_("Please correct the errors below."), fields=fields) from exc


def get_or_404(queryset, pk, message: str):
    """The row of `queryset` with primary key `pk`, else NotFound(message)."""
    obj = queryset.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise NotFound(message)
    return obj
