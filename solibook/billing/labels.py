"""Names people read for the plans' codes (translated; the codes are data)."""

from django.utils.translation import gettext as _


def plan_name(code: str) -> str:
    names = {"free": _("Free"), "starter": _("Starter"), "pro": _("Pro")}
    return names.get(code, code.replace("_", " ").title())


def feature_name(code: str) -> str:
    names = {
        "online_payments": _("Online payments"),
        "marketing": _("Marketing campaigns"),
        "insights": _("Staff performance reports"),
        "priority_support": _("Priority support"),
        "custom_branding": _("Your own branding"),
    }
    return names.get(code, code.replace("_", " "))
