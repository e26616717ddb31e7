"""Who may enter which business, and do what: used by pages and API alike.

A user who is not a member of a business gets 404 for it and everything in
it, so that one salon cannot even learn which ids another salon has. A member
whose role lacks the capability gets 403.
"""

from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.accounts import twofactor
from solibook.accounts.models import Membership, PlatformRoleGrant
from solibook.accounts.roles import (
    PLATFORM_ROLE_CAPABILITIES,
    ROLE_CAPABILITIES,
    Capability,
    PlatformCapability,
    PlatformRole,
    Role,
    role_can,
)
from solibook.core.audit import audit_log
from solibook.core.models import AuditEvent
from solibook.core.tenancy import business_scope

if TYPE_CHECKING:  # the tenant model lives above accounts; only its type is named here
    from solibook.catalog.models import Business


@dataclass(frozen=True, slots=True)
class BusinessAccess:
    business: "Business"
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
            Membership.objects.filter(user=user)
            .select_related("business")
            .order_by("business__name")
        )


def business_access(
    *, user, capability: Capability, slug: str | None = None, business_id: int | None = None
) -> BusinessAccess:
    """Resolve a business for a member or raise 404 (not a member) / 403 (role lacks capability)."""
    if not user.is_authenticated:
        raise Http404
    lookup = {"business__slug": slug} if slug is not None else {"business_id": business_id}
    with scopes_disabled():
        membership = (
            Membership.objects.select_related("business").filter(user=user, **lookup).first()
        )
    if membership is None:
        raise Http404
    if twofactor.required_for_role(membership.role) and not twofactor.is_verified(user):
        raise twofactor.TwoFactorRequired(
            _("Owners and managers need two-factor authentication to enter the back office."),
            extra={"enrolled": twofactor.has_totp(user)},
        )
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
            try:
                access = business_access(
                    user=request.user, slug=business_slug, capability=capability
                )
            except Http404:
                # Platform support, inside the salon's consent: read only, audited.
                access = impersonated_access(request, business_slug)
                if access is None:
                    raise
                if not access.can(capability):
                    raise PermissionDenied from None
            except twofactor.TwoFactorRequired as exc:
                step = "accounts:otp_verify" if exc.extra.get("enrolled") else "accounts:otp_setup"
                return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
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


IMPERSONATION_KEY = "platform_impersonation"


def impersonated_access(request, slug: str) -> BusinessAccess | None:
    """Platform support in a salon's back office (`platform.services.
    impersonation_start` put the salon in the session): only while the owner's
    consent (`Business.support_access_until`) lasts, only reading (any write is
    refused), every request in the salon's audit log, a banner on every page."""
    entry = request.session.get(IMPERSONATION_KEY)
    if not entry or entry.get("slug") != slug:
        return None
    if not platform_can(request.user, PlatformCapability.IMPERSONATE):
        return None
    business_model = Membership._meta.get_field("business").related_model
    with scopes_disabled():
        business = business_model.objects.filter(slug=slug).first()
    now = timezone.now()
    if (
        business is None
        or not business.support_access_until
        or business.support_access_until <= now
    ):
        request.session.pop(IMPERSONATION_KEY, None)
        return None
    audit_log(
        action="platform.impersonated_request",
        actor=request.user,
        business=business,
        data={"method": request.method, "path": request.path[:300]},
    )
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        raise PermissionDenied
    messages.warning(
        request,
        _("You are viewing %(salon)s as platform support, with its consent, read only.")
        % {"salon": business.name},
    )
    return BusinessAccess(
        business=business,
        membership=Membership(business=business, user=request.user, role=Role.MANAGER),
    )


IMPERSONATION_START = "platform.impersonation_start"
IMPERSONATION_STOP = "platform.impersonation_stop"
CONSENT_CHANGED = "platform.support_access"


def impersonated_api_access(*, user, business_id: int, method: str, path: str):
    """Platform support in a salon's back-office API (`POST /api/v1/platform/
    salons/{id}/support/` started it; `.../support/end/` or the owner's
    withdrawal ends it): the same rules as the pages' `impersonated_access`,
    with the visit's state read from the salon's audit log instead of a
    session. None when support has no open visit there."""
    if not platform_can(user, PlatformCapability.IMPERSONATE):
        return None
    business_model = Membership._meta.get_field("business").related_model
    with scopes_disabled():
        business = business_model.objects.filter(pk=business_id).first()
        now = timezone.now()
        if (
            business is None
            or not business.support_access_until
            or business.support_access_until <= now
        ):
            return None
        # The latest of: support's own start or stop, and the owner's consent
        # changes (a new consent asks support to enter again).
        last = (
            AuditEvent.objects.filter(business=business)
            .filter(
                Q(actor=user, action__in=[IMPERSONATION_START, IMPERSONATION_STOP])
                | Q(action=CONSENT_CHANGED)
            )
            .order_by("-created_at", "-id")
            .values_list("action", flat=True)
            .first()
        )
    if last != IMPERSONATION_START:
        return None
    audit_log(
        action="platform.impersonated_request",
        actor=user,
        business=business,
        data={"method": method, "path": path[:300]},
    )
    if method not in ("GET", "HEAD", "OPTIONS"):
        raise PermissionDenied
    return BusinessAccess(
        business=business,
        membership=Membership(business=business, user=user, role=Role.MANAGER),
    )


def platform_capabilities(user) -> frozenset[str]:
    """What a platform staff member may do in the operator console: staff with
    no role grant (and superusers) are operators; grants narrow to their roles."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return frozenset()
    if user.is_superuser:
        return frozenset(str(c) for c in PlatformCapability)
    cached = getattr(user, "_platform_capabilities", None)
    if cached is not None:
        return cached
    roles = list(PlatformRoleGrant.objects.filter(user=user).values_list("role", flat=True))
    if not roles:
        roles = [PlatformRole.OPERATOR]
    capabilities = frozenset(
        str(c) for role in roles for c in PLATFORM_ROLE_CAPABILITIES.get(role, ())
    )
    user._platform_capabilities = capabilities
    return capabilities


def platform_can(user, capability: PlatformCapability) -> bool:
    return str(capability) in platform_capabilities(user)


def platform_view(view=None, *, capability: PlatformCapability = PlatformCapability.VIEW_CONSOLE):
    """Platform staff only (`@platform_view` or `@platform_view(capability=...)`);
    with REQUIRE_2FA, only after the second factor; staff whose platform role
    lacks the capability get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if (
                not request.user.is_authenticated
                or not request.user.is_active
                or not request.user.is_staff
            ):
                return redirect_to_login(request.get_full_path())
            if settings.REQUIRE_2FA and not twofactor.is_verified(request.user):
                step = (
                    "accounts:otp_verify"
                    if twofactor.has_totp(request.user)
                    else "accounts:otp_setup"
                )
                return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
            if not platform_can(request.user, capability):
                raise PermissionDenied
            request.platform_capabilities = platform_capabilities(request.user)
            return view(request, *args, **kwargs)

        wrapped.platform_capability = capability
        return wrapped

    return decorator(view) if view is not None else decorator
