"""Helpers every finance service shares."""

from django.utils.translation import gettext as _

from solibook.core.errors import ValidationFailed
from solibook.finance.models import FinanceSettings


def finance_settings(business, *, lock: bool = False) -> FinanceSettings:
    """The business's money settings (created with the business). With `lock`, the
    row lock serialises the business's checkouts (consecutive numbering)."""
    query = FinanceSettings.objects.select_for_update() if lock else FinanceSettings.objects
    return query.get(business=business)


def same_currency(expected: str, got: str, field: str = "currency") -> None:
    if got != expected:
        message = _("Currency mismatch: this business works in %(expected)s, not %(got)s.") % {
            "expected": expected,
            "got": got,
        }
        raise ValidationFailed(message, code="currency_mismatch", fields={field: [message]})


def positive_amount(value, field: str = "amount", *, maximum: int = 10**10) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        message = _("The amount must be a positive whole number of minor units.")
        raise ValidationFailed(message, code="invalid_amount", fields={field: [message]})
    if value > maximum:
        message = _("This amount is too large.")
        raise ValidationFailed(message, code="invalid_amount", fields={field: [message]})
    return value


def actor_or_none(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None
