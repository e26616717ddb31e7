"""Finance's refunds give a wellness budget back (on commit of the refund)."""

from django.dispatch import receiver

from solibook.corporate import services
from solibook.finance.signals import payment_refunded


@receiver(payment_refunded, dispatch_uid="corporate_budget_give_back")
def give_budget_back(sender, refund, **kwargs) -> None:
    if refund.payment.tender == services.TENDER:
        services.budget_give_back(refund=refund)
