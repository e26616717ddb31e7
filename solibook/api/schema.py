"""The OpenAPI schema: the errors every operation can answer, and serving it fast.

`AutoSchema` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) documents, on every
operation, the error responses that apply to it, all in the one error format
(`ErrorOut`, see solibook/api/errors.py), judged from what the view is:

- 400 a write, or an operation with query or header parameters (bad input);
- 401 a view that authenticates with a token (none sent where one is needed,
  or one sent that is not valid);
- 403 a back-office route (`BusinessScopedMixin`: the role may lack the
  capability), a permission beyond "signed in", or a session-authenticated
  write (CSRF);
- 404 a path with parameters (an id, the business), or a page number;
- 409 a write (a state that changed, a lock wait that ran out, the same
  Idempotency-Key still in flight);
- 415 an operation with a body (sent as something else than JSON);
- 422 an operation that honours Idempotency-Key (reused with another body);
- 429 a throttled view.

A status a view documents itself (`extend_schema(responses=…)`) wins.

/api/schema/ is served from the cache: solibook/api/schema_view.py.
"""

from django.utils.translation import gettext
from drf_spectacular import openapi
from rest_framework import permissions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.throttling import ScopedRateThrottle

from solibook.api.scoping import BusinessScopedMixin

IDEMPOTENCY_HEADER = "Idempotency-Key"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ErrorDetailOut(serializers.Serializer):
    code = serializers.CharField(
        help_text="Stable and machine-readable: invalid, not_found, busy, throttled, …"
    )
    message = serializers.CharField(help_text="For people, in the request's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each input field's messages (a dotted path for a nested one); "
        "empty when the error is not about fields.",
    )


class ErrorOut(serializers.Serializer):
    """Every error of the API. Some errors add keys beside `code` (e.g. the new
    price when it changed)."""

    error = ErrorDetailOut()


ERROR_DESCRIPTIONS = {
    "400": "Bad input: the body, a query or a header parameter is not valid "
    "(`invalid`, `parse_error`, …); `fields` says what is wrong with each field.",
    "401": "Not authenticated, or the credentials sent are not valid "
    "(`not_authenticated`, `authentication_failed`).",
    "403": "Not allowed: the role lacks the capability, or a session-authenticated "
    "write failed its CSRF check (`permission_denied`, `forbidden`).",
    "404": "Not found, or not visible to you (`not_found`).",
    "409": "Conflict: the state changed meanwhile (a slot taken, a price changed), or a "
    "lock wait ran out or the same Idempotency-Key is still in flight (`busy`, with "
    "`Retry-After`: retry).",
    "415": "The body is not JSON (`unsupported_media_type`).",
    "422": "This Idempotency-Key was already used with another body (`idempotency_key_reused`).",
    "429": "Too many requests (`throttled`); `Retry-After` says when to try again.",
}


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        codes = self.error_codes(operation)
        # Errors a view documents itself, even where none of the rules applies.
        codes |= {code for code in operation.get("responses", {}) if code in ERROR_DESCRIPTIONS}
        if codes:
            error_ref = self.resolve_serializer(ErrorOut, "response").ref
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                response = responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code]})
                # A view's own error response keeps its description; a body it
                # left out is the one error format all the same.
                if response.get("description") in ("", gettext("No response body")):
                    response["description"] = ERROR_DESCRIPTIONS[code]
                response.setdefault("content", {"application/json": {"schema": dict(error_ref)}})
        return operation

    def error_codes(self, operation: dict) -> set[str]:
        """The error statuses this operation can answer, from what its view is."""
        view, method = self.view, self.method
        parameters = operation.get("parameters", [])
        is_write = method in WRITE_METHODS
        codes: set[str] = set()

        if is_write or any(p["in"] in ("query", "header") for p in parameters):
            codes.add("400")

        authenticators = list(getattr(view, "authentication_classes", []))
        perms = view.get_permissions()
        needs_sign_in = any(not isinstance(p, permissions.AllowAny) for p in perms) and not (
            method in permissions.SAFE_METHODS
            and all(isinstance(p, permissions.IsAuthenticatedOrReadOnly) for p in perms)
        )
        token_auth = any(not issubclass(a, SessionAuthentication) for a in authenticators)
        if token_auth:
            codes.add("401")  # a token sent that is not valid is refused even where none is needed
        elif authenticators and needs_sign_in:
            codes.add("403")  # session only: DRF answers 403 to the signed out
        plain = (permissions.AllowAny, permissions.IsAuthenticated)
        if (
            isinstance(view, BusinessScopedMixin)
            or any(type(p) not in plain for p in perms)
            or (is_write and any(issubclass(a, SessionAuthentication) for a in authenticators))
        ):
            codes.add("403")

        if (
            isinstance(view, BusinessScopedMixin)
            or any(p["in"] == "path" for p in parameters)
            or any(p["in"] == "query" and p["name"] == "page" for p in parameters)
        ):
            codes.add("404")  # an id, the business, or a page past the last one
        if is_write:
            codes.add("409")
        if "requestBody" in operation:
            codes.add("415")
        if any(p["in"] == "header" and p["name"] == IDEMPOTENCY_HEADER for p in parameters):
            codes.add("422")
        if any(
            not (issubclass(t, ScopedRateThrottle) and not getattr(view, "throttle_scope", None))
            for t in getattr(view, "throttle_classes", [])
        ):
            codes.add("429")
        return codes
