"""Changing a business's money settings."""

from django.conf import settings as django_settings
from django.utils.translation import gettext as _

from solibook.core.audit import audit_log
from solibook.core.errors import ValidationFailed
from solibook.finance.models import FinanceSettings
from solibook.finance.services.common import actor_or_none, finance_settings

FIELDS = (
    "prices_include_tax",
    "vat_registered",
    "service_tax_rate",
    "online_provider",
    "stripe_account_id",
    "receipt_footer",
)


def settings_update(*, business, actor=None, **changes) -> FinanceSettings:
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown setting."),
            code="invalid",
            fields={name: [_("Unknown setting.")] for name in unknown},
        )
    row = finance_settings(business, lock=True)
    merged = {name: changes.get(name, getattr(row, name)) for name in FIELDS}
    if (
        merged["online_provider"] == FinanceSettings.Provider.STRIPE
        and not merged["stripe_account_id"]
    ):
        message = _("Connect the salon's Stripe account first.")
        raise ValidationFailed(
            message, code="stripe_account_required", fields={"stripe_account_id": [message]}
        )
    if merged["online_provider"] == FinanceSettings.Provider.TEST and not (
        django_settings.PAYMENTS_TEST_MODE
    ):
        message = _("Test payments are switched off on this site.")
        raise ValidationFailed(message, code="test_mode_off", fields={"online_provider": [message]})
    rate = merged["service_tax_rate"]
    if rate is not None and not 0 <= rate <= 10000:
        raise ValidationFailed(
            _("A tax rate is between 0 and 10000 basis points."),
            code="invalid",
            fields={"service_tax_rate": [_("Between 0 and 10000.")]},
        )
    for name, value in changes.items():
        setattr(row, name, value)
    row.save()
    audit_log(
        action="finance.settings",
        actor=actor_or_none(actor),
        business=business,
        obj=row,
        data=dict(changes.items()),
    )
    return row
