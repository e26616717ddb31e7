"""Back-office API views: membership check, capability check, tenant scope."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django_scopes import scope
from rest_framework.request import Request

from solibook.accounts.access import BusinessAccess, business_access, impersonated_api_access
from solibook.accounts.roles import Capability


class BusinessScopedMixin:
    """For views under /api/v1/businesses/{business_id}/.

    After DRF has authenticated the request, the business is resolved for the
    member (404 when not a member, 403 when the role lacks `capability`) and
    every tenant query of the handler runs inside its scope.
    `capability_by_method` overrides `capability` for writes.
    """

    capability: Capability = Capability.VIEW_BACK_OFFICE
    capability_by_method: dict[str, Capability] = {}
    access: BusinessAccess

    def required_capability(self, method: str) -> Capability:
        return self.capability_by_method.get(method, self.capability)

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        capability = self.required_capability(request.method)
        # A credential that carries its own access (a salon's API key) decides
        # it itself: its business only (404 otherwise), within its scopes (403).
        credential_access = getattr(request.auth, "business_access", None)
        if callable(credential_access):
            self.access = credential_access(
                business_id=kwargs["business_id"], capability=capability, method=request.method
            )
        else:
            self.access = self._member_access(request, kwargs["business_id"], capability)
        self.business = self.access.business
        self._scope = scope(business=self.business)
        self._scope.__enter__()

    def _member_access(self, request: Request, business_id: int, capability: Capability):
        try:
            return business_access(
                user=request.user, business_id=business_id, capability=capability
            )
        except Http404:
            # Platform support inside the salon's consent: read only, audited.
            access = impersonated_api_access(
                user=request.user,
                business_id=business_id,
                method=request.method,
                path=request.path,
            )
            if access is None:
                raise
            if not access.can(capability):
                raise PermissionDenied from None
            return access

    def dispatch(self, request, *args, **kwargs):
        self._scope = None
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            # Closed here, not in `initial`, so the handler and its
            # serializers run inside the scope, and it closes on errors too.
            if self._scope is not None:
                self._scope.__exit__(None, None, None)
