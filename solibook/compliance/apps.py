"""Local fiscal and e-invoicing exports (ZATCA, 54-FZ), accounting packages' CSV mappings, payout reconciliation."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "solibook.compliance"
    label = "compliance"
    verbose_name = _("Local compliance")
