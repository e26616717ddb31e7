"""Roles and what each may do: the one permission matrix pages and API share.

Add a capability here and check it with `accounts.access`; never compare role
names in a view.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    RECEPTIONIST = "receptionist", _("Receptionist")
    MASTER = "master", _("Master")
    ACCOUNTANT = "accountant", _("Accountant")


class Capability(StrEnum):
    VIEW_BACK_OFFICE = "view_back_office"
    MANAGE_BUSINESS = "manage_business"  # settings, locations, branding
    MANAGE_TEAM = "manage_team"  # invite members, change roles
    MANAGE_CATALOG = "manage_catalog"  # services, masters, resources, schedules
    MANAGE_BOOKINGS = "manage_bookings"  # any master's calendar
    VIEW_OWN_CALENDAR = "view_own_calendar"
    MANAGE_CLIENTS = "manage_clients"
    VIEW_FINANCE = "view_finance"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_ACCOUNTING = "manage_accounting"  # expenses, budgets, commission rules, pay statements
    EXPORT_CLIENTS = "export_clients"  # client lists out (CSV/XLSX) and in (import)
    ERASE_CLIENTS = "erase_clients"  # GDPR erasure of a client card
    VIEW_STAFF_PERFORMANCE = "view_staff_performance"  # revenue, occupancy per master
    TAKE_PAYMENTS = "take_payments"  # checkout, deposits at the desk, gift card sales
    MANAGE_PAYMENTS = (
        "manage_payments"  # refunds, payment settings, products, packages, memberships
    )


_ALL = frozenset(Capability)

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.OWNER: _ALL,
    Role.MANAGER: _ALL - {Capability.MANAGE_TEAM},
    Role.RECEPTIONIST: frozenset(
        {
            Capability.VIEW_BACK_OFFICE,
            Capability.MANAGE_BOOKINGS,
            Capability.VIEW_OWN_CALENDAR,
            Capability.MANAGE_CLIENTS,
            Capability.TAKE_PAYMENTS,
        }
    ),
    Role.MASTER: frozenset({Capability.VIEW_BACK_OFFICE, Capability.VIEW_OWN_CALENDAR}),
    Role.ACCOUNTANT: frozenset(
        {
            Capability.VIEW_BACK_OFFICE,
            Capability.VIEW_FINANCE,
            Capability.MANAGE_ACCOUNTING,
            Capability.VIEW_STAFF_PERFORMANCE,
        }
    ),
}


def role_can(role: str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())
