from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "solibook.compliance"
    label = "compliance"
    verbose_name = _("Local compliance")

    def ready(self) -> None:
        from solibook.compliance import receipt_extras, receivers
        from solibook.finance import signals
        from solibook.finance.receipts import register_receipt_extra

        signals.checkout_recorded.connect(
            receivers.on_checkout_recorded, dispatch_uid="compliance_checkout_recorded"
        )
        signals.payment_refunded.connect(
            receivers.on_payment_refunded, dispatch_uid="compliance_payment_refunded"
        )
        register_receipt_extra(receipt_extras.zatca_block)
        register_receipt_extra(receipt_extras.fiscal_block)
