"""Who may enter which business, and do what: used by pages and API alike.

A user who is not a member of a business gets 404 for it and everything in
it, so that one salon cannot even learn which ids another salon has. A member
whose role lacks the capability gets 403.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django_scopes import scopes_disabled

from solibook.accounts.models import Membership
from solibook.accounts.roles import ROLE_CAPABILITIES, Capability, role_can
from solibook.catalog.models import Business
from solibook.core.tenancy import business_scope


@dataclass(frozen=True, slots=True)
class BusinessAccess:
    business: Business
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role

    def can(self, capability: Capability) -> bool:
        return role_can(self.role, capability)

    @property
    def capabilities(self) -> frozenset[str]:
        """For templates: `{% if "manage_team" in request.access.capabilities %}`."""
        return frozenset(str(c) for c in ROLE_CAPABILITIES.get(self.role, ()))


def memberships_of(user) -> list[Membership]:
    """Every business the user works in (a deliberate cross-tenant read)."""
    if not user.is_authenticated:
        return []
    with scopes_disabled():
        return list(
            Membership.objects.filter(user=user).select_related("business").order_by("business__name")
        )


def business_access(*, user, capability: Capability, slug: str | None = None, business_id: int | None = None) -> BusinessAccess:
    """Resolve a business for a member or raise 404 (not a member) / 403 (role lacks capability)."""
    if not user.is_authenticated:
        raise Http404
    if business_id is not None and not 0 < business_id < 2**63:
        raise Http404
    lookup = {"business__slug": slug} if slug is not None else {"business_id": business_id}
    with scopes_disabled():
        membership = (
            Membership.objects.select_related("business").filter(user=user, **lookup).first()
        )
    if membership is None:
        raise Http404
    access = BusinessAccess(business=membership.business, membership=membership)
    if not access.can(capability):
        raise PermissionDenied
    return access


def backoffice_view(capability: Capability = Capability.VIEW_BACK_OFFICE):
    """Decorate a back-office page taking `business_slug`: check access, then
    run the view (and render its template) inside the business's scope."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, business_slug: str, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = business_access(user=request.user, slug=business_slug, capability=capability)
            request.business = access.business
            request.access = access
            with business_scope(access.business):
                response = view(request, *args, **kwargs)
                # Lazy template responses must render while the scope is open.
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()
            return response

        return wrapped

    return decorator
