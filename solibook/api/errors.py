"""One error format for the whole API:

{"error": {"code": "invalid", "message": "…in the request's language…",
           "fields": {"email": ["…"]}}}
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from solibook.core.errors import DomainError
from solibook.core.locking import Busy, is_lock_timeout

_GENERIC_MESSAGES = {
    status.HTTP_400_BAD_REQUEST: lambda: _("The request is not valid."),
    status.HTTP_401_UNAUTHORIZED: lambda: _("Authentication is required."),
    status.HTTP_403_FORBIDDEN: lambda: _("You do not have permission to do this."),
    status.HTTP_404_NOT_FOUND: lambda: _("Not found."),
    status.HTTP_405_METHOD_NOT_ALLOWED: lambda: _("This method is not allowed here."),
    status.HTTP_406_NOT_ACCEPTABLE: lambda: _("This response format is not available."),
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: lambda: _("Send the request body as JSON."),
    status.HTTP_429_TOO_MANY_REQUESTS: lambda: _("Too many requests. Please wait and try again."),
}


def error_body(*, code: str, message: str, fields: dict | None = None, **extra) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}, **extra}}


def _flatten_fields(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _flatten_fields(value).items():
                    out[f"{key}.{sub}"] = msgs
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for i, item in enumerate(value):
                    for sub, msgs in _flatten_fields(item).items():
                        out[f"{key}.{i}.{sub}"] = msgs
            else:
                out[str(key)] = [str(m) for m in (value if isinstance(value, list) else [value])]
        return out
    return {}


def domain_error_response(exc: DomainError) -> Response:
    """A service's refusal in the one error format; a `Busy` one says when to retry."""
    response = Response(
        error_body(code=exc.code, message=exc.message, fields=exc.fields, **exc.extra),
        status=exc.status_code,
    )
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def exception_handler(exc, context):
    if isinstance(exc, OperationalError) and not isinstance(exc, Busy) and is_lock_timeout(exc):
        exc = Busy()  # a lock wait that ran out outside a statement (at commit, say)
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: Django logs it and answers 500
    code = getattr(exc, "default_code", "error")
    fields: dict[str, list[str]] = {}
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(exc.detail, dict):
            fields = _flatten_fields(exc.detail)
            non_field = fields.pop("non_field_errors", None)
            message = non_field[0] if non_field else _("Please correct the errors in the fields.")
        else:
            items = exc.detail if isinstance(exc.detail, list) else [exc.detail]
            message = " ".join(str(i) for i in items)
    elif isinstance(exc, exceptions.APIException) and isinstance(
        exc.detail, str | exceptions.ErrorDetail
    ):
        message = str(exc.detail)
        code = getattr(exc.detail, "code", code) or code
    else:
        message = _GENERIC_MESSAGES.get(response.status_code, lambda: _("The request failed."))()
    response.data = error_body(code=str(code), message=message, fields=fields)
    return response
