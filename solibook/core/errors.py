"""Errors that services raise and every entry point renders the same way.

Pages show `message` (already translated); the API turns them into
`{"error": {"code", "message", "fields"}}` with the matching status.
"""

from typing import Any, NoReturn


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
