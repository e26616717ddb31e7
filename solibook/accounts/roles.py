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
    # What a visit's details show (calendar, its panel, the appointments API):
    VIEW_CLIENT_CONTACTS = "view_client_contacts"  # a client's phone number and e-mail
    VIEW_PRICES = "view_prices"  # a visit's price, deposit and what a client spent
    # Purchasing: orders, goods in transit and reorder suggestions; receiving a
    # delivery; suppliers' offers, drafting and sending orders.
    VIEW_PURCHASING = "view_purchasing"
    RECEIVE_DELIVERIES = "receive_deliveries"
    MANAGE_PURCHASING = "manage_purchasing"
    # Stock: see stock, movements and recipes; count stock and receive
    # transfers; manage products, recipes, minimums, adjustments, write-offs
    # and transfers; record what a visit actually used.
    VIEW_STOCK = "view_stock"
    COUNT_STOCK = "count_stock"
    MANAGE_STOCK = "manage_stock"
    RECORD_MATERIALS = "record_materials"


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
            Capability.VIEW_CLIENT_CONTACTS,
            Capability.VIEW_PRICES,
            Capability.VIEW_PURCHASING,
            Capability.RECEIVE_DELIVERIES,
            Capability.VIEW_STOCK,
            Capability.COUNT_STOCK,
            Capability.RECORD_MATERIALS,
        }
    ),
    Role.MASTER: frozenset(
        {Capability.VIEW_BACK_OFFICE, Capability.VIEW_OWN_CALENDAR, Capability.RECORD_MATERIALS}
    ),
    Role.ACCOUNTANT: frozenset(
        {
            Capability.VIEW_BACK_OFFICE,
            Capability.VIEW_FINANCE,
            Capability.MANAGE_ACCOUNTING,
            Capability.VIEW_STAFF_PERFORMANCE,
            Capability.VIEW_PRICES,
            Capability.VIEW_PURCHASING,
        }
    ),
}


def role_can(role: str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())


# Keys of a visit's API and panel shapes that hold a client's contacts or money.
CONTACT_KEYS = frozenset({"client_phone", "client_email", "phone", "email"})
MONEY_KEYS = frozenset(
    {"price", "price_amount", "deposit_amount", "total_spend", "balance_due", "amount_due"}
)


def redact(data, *, can) -> object:
    """`data` (nested dicts and lists, as an API answers) without what the
    person may not see: contacts without `view_client_contacts` ("" instead),
    money without `view_prices` (None instead), the cancellation policy's fee
    with it. `can` is `access.can`. Pages and API of a visit call this one rule."""
    hidden: dict[str, object] = {}
    if not can(Capability.VIEW_CLIENT_CONTACTS):
        hidden.update(dict.fromkeys(CONTACT_KEYS, ""))
    if not can(Capability.VIEW_PRICES):
        hidden.update(dict.fromkeys(MONEY_KEYS | {"cancellation_policy"}, None))
    if not hidden:
        return data
    return _redact(data, hidden)


def _redact(data, hidden: dict[str, object]):
    if isinstance(data, dict):
        return {
            key: hidden[key] if key in hidden else _redact(value, hidden)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_redact(value, hidden) for value in data]
    return data


class PlatformRole(models.TextChoices):
    """The operator's own staff (users with `is_staff`), narrowed by role."""

    OPERATOR = "operator", _("Operator")
    FINANCE = "finance", _("Finance")
    SUPPORT = "support", _("Support")
    MODERATOR = "moderator", _("Moderator")


class PlatformCapability(StrEnum):
    VIEW_CONSOLE = "view_console"  # enter the operator console
    VIEW_SALONS = "view_salons"  # salons, their plan and health
    MANAGE_SALONS = "manage_salons"  # approve, reject, suspend a salon
    VIEW_PLATFORM_FINANCE = "view_platform_finance"  # figures, invoices, commissions
    MANAGE_PLATFORM_FINANCE = "manage_platform_finance"  # credits, refunds, disputes
    MANAGE_PROMOTIONS = "manage_promotions"  # the promotion inventory
    MODERATE_REVIEWS = "moderate_reviews"
    IMPERSONATE = "impersonate"  # enter a salon's back office with its consent
    VIEW_PLATFORM_AUDIT = "view_platform_audit"
    ANSWER_TICKETS = "answer_tickets"  # the support desk: queue, replies, assignment, chat


PLATFORM_ROLE_CAPABILITIES: dict[str, frozenset[PlatformCapability]] = {
    PlatformRole.OPERATOR: frozenset(PlatformCapability),
    PlatformRole.FINANCE: frozenset(
        {
            PlatformCapability.VIEW_CONSOLE,
            PlatformCapability.VIEW_SALONS,
            PlatformCapability.VIEW_PLATFORM_FINANCE,
            PlatformCapability.MANAGE_PLATFORM_FINANCE,
            PlatformCapability.MANAGE_PROMOTIONS,
        }
    ),
    PlatformRole.SUPPORT: frozenset(
        {
            PlatformCapability.VIEW_CONSOLE,
            PlatformCapability.VIEW_SALONS,
            PlatformCapability.IMPERSONATE,
            PlatformCapability.VIEW_PLATFORM_AUDIT,
            PlatformCapability.ANSWER_TICKETS,
        }
    ),
    PlatformRole.MODERATOR: frozenset(
        {PlatformCapability.VIEW_CONSOLE, PlatformCapability.MODERATE_REVIEWS}
    ),
}
