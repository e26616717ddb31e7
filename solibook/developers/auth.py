"""API keys at the door: authentication, scopes, rate limit.

`ApiKeyAuthentication` (in REST_FRAMEWORK's authentication classes, by its
dotted path: the API shell does not import this app) reads
`Authorization: Api-Key sbk_…`. The request then acts as the member who
created the key (audit trail, idempotency records), but its access is the
key's, not that member's role: `KeyCredential.business_access` is what the
API shell's `BusinessScopedMixin` asks of a credential that carries one.

- another business than the key's: 404, as for a stranger;
- a route whose capability no scope of the key covers, or a write with a
  read-only scope: 403 `scope_missing`, naming the scope needed;
- a route outside /api/v1/businesses/{id}/ (the member's own account, the
  client's bookings, the console): 403, a key is the salon's, not a person's.

Which scope a route needs is read from the capability it already declares
(`capability`, `capability_by_method`), mapped below; capabilities with no
scope (team, settings, accounting, stock, API keys themselves) are never
reachable with a key.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from solibook.accounts.roles import Capability
from solibook.developers.models import ApiKey
from solibook.developers.services import KEY_PREFIX, key_hash

KEYWORD = "Api-Key"

# Capability a route declares → the family of scopes that reaches it.
SCOPE_FAMILY: dict[str, str] = {
    Capability.VIEW_BACK_OFFICE: "catalog",  # the salon's setup: locations, services, masters
    Capability.MANAGE_CATALOG: "catalog",
    Capability.MANAGE_BOOKINGS: "bookings",
    Capability.VIEW_OWN_CALENDAR: "bookings",
    Capability.MANAGE_CLIENTS: "clients",
    Capability.VIEW_CLIENT_CONTACTS: "clients",
    Capability.EXPORT_CLIENTS: "clients",
    Capability.VIEW_FINANCE: "finance",
    Capability.VIEW_PRICES: "finance",
    Capability.TAKE_PAYMENTS: "finance",
    Capability.MANAGE_PAYMENTS: "finance",
}


def needed_scope(capability: str, method: str) -> str | None:
    family = SCOPE_FAMILY.get(capability)
    if family is None:
        return None
    return f"{family}:read" if method in SAFE_METHODS else f"{family}:write"


@dataclass(frozen=True)
class KeyAccess:
    """What `BusinessAccess` offers views, for a key: `can` answers by scope."""

    business: object
    scopes: frozenset[str]
    membership = None
    role = "api_key"

    def can(self, capability: Capability) -> bool:
        family = SCOPE_FAMILY.get(capability)
        return family is not None and bool({f"{family}:read", f"{family}:write"} & self.scopes)

    @property
    def capabilities(self) -> frozenset[str]:
        return frozenset(str(c) for c in SCOPE_FAMILY if self.can(c))


@dataclass(frozen=True)
class KeyCredential:
    key: ApiKey

    def business_access(self, *, business_id: int, capability: Capability, method: str):
        if business_id != self.key.business_id:
            raise Http404
        scope = needed_scope(capability, method)
        scopes = frozenset(self.key.scopes)
        # A write scope includes reading its family.
        granted = scope is not None and (
            scope in scopes or scope.replace(":read", ":write") in scopes
        )
        if not granted:
            message = (
                _("This API key lacks the scope %(scope)s needed here.") % {"scope": scope}
                if scope
                else _("API keys cannot use this route; sign in as a member instead.")
            )
            raise exceptions.PermissionDenied(message, code="scope_missing")
        return KeyAccess(business=self.key.business, scopes=scopes)


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the key as: Api-Key <key>."))
        raw = parts[1].decode(errors="replace")
        with scopes_disabled():
            key = (
                ApiKey.objects.select_related("business", "created_by")
                .filter(key_hash=key_hash(raw), revoked_at__isnull=True)
                .first()
                if raw.startswith(KEY_PREFIX)
                else None
            )
        if key is None or not key.created_by.is_active:
            raise exceptions.AuthenticationFailed(_("This API key is not valid or was revoked."))
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if not callable(getattr(view, "required_capability", None)):
            raise exceptions.PermissionDenied(
                _("API keys reach only their salon's routes under /api/v1/businesses/{id}/."),
                code="scope_missing",
            )
        now = timezone.now()
        # At most one write a minute per key, not one per request.
        with scopes_disabled():
            ApiKey.objects.filter(pk=key.pk).exclude(
                last_used_at__gt=now - timedelta(minutes=1)
            ).update(last_used_at=now)
        return key.created_by, KeyCredential(key)

    def authenticate_header(self, request) -> str:
        return KEYWORD


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Each key's own limit (`ApiKey.rate_per_minute`), counted in the cache."""

    scope = "api_key"

    def __init__(self) -> None:  # the rate is the key's, not a settings entry
        pass

    def get_cache_key(self, request, view):
        return f"throttle_apikey_{request.auth.key.pk}"

    def allow_request(self, request, view) -> bool:
        if not isinstance(request.auth, KeyCredential):
            return True
        self.rate = f"{request.auth.key.rate_per_minute}/min"
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "solibook.developers.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A salon's API key: `Authorization: Api-Key sbk_…` "
            "(its scopes decide which routes it reaches).",
        }
