"""Reactions to finance's signals (connected in apps.py).

- `checkout_recorded` (inside the sale's transaction): the ZATCA invoice of a
  Saudi salon and the 54-FZ receipt row of a Russian one commit with the sale;
  the call to the operator is enqueued once the sale commits.
- `payment_refunded` (after the refund commits): the refund's ZATCA credit note
  (Saudi Arabia) or its `sell_refund` (Russia).
"""

from django.db import transaction

from solibook.compliance import services, tasks
from solibook.core.tenancy import business_scope


def on_checkout_recorded(sender, checkout, **kwargs) -> None:
    with business_scope(checkout.business):
        services.zatca_issue(checkout=checkout)
        receipt = services.fiscal_receipt_for_sale(checkout=checkout)
    if receipt is not None and receipt.status == receipt.Status.PENDING:
        business_id, receipt_id = checkout.business_id, receipt.pk
        transaction.on_commit(
            lambda: tasks.schedule(business_id=business_id, receipt_id=receipt_id)
        )


def on_payment_refunded(sender, refund, **kwargs) -> None:
    with business_scope(refund.business):
        services.zatca_credit_note(refund=refund)
        receipt = services.fiscal_receipt_for_refund(refund=refund)
    if receipt is not None and receipt.status == receipt.Status.PENDING and not receipt.attempts:
        tasks.schedule(business_id=refund.business_id, receipt_id=receipt.pk)
