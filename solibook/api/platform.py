"""Permissions of the operator console's API: platform staff whose platform
role grants the capability (`accounts.access.platform_can`)."""

from rest_framework.permissions import BasePermission

from solibook.accounts.access import platform_can
from solibook.accounts.roles import PlatformCapability


def platform_permission(capability: PlatformCapability) -> type[BasePermission]:
    """`permission_classes = [platform_permission(PlatformCapability.MANAGE_SALONS)]`."""

    class PlatformPermission(BasePermission):
        platform_capability = capability

        def has_permission(self, request, view) -> bool:
            return bool(request.user and platform_can(request.user, capability))

    PlatformPermission.__name__ = f"Platform_{capability}"
    return PlatformPermission
