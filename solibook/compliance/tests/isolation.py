"""Business B's compliance objects, for platform/tests/test_isolation.py (every
URL taking one must 404 for A)."""

from django_scopes import scopes_disabled


def objects_of_b(b, checkout_id: int) -> dict:
    from django.utils import timezone

    from solibook.compliance.models import FiscalReceipt
    from solibook.finance.models import Payment, Refund

    with scopes_disabled():
        payment = Payment.objects.filter(business=b).first()
        refund = Refund.objects.create(
            business=b,
            payment=payment,
            amount=1,
            currency=payment.currency,
            reason="client_request",
            state="succeeded",
            created_at=timezone.now(),
        )
        receipt = FiscalReceipt.objects.create(
            business=b,
            checkout_id=checkout_id,
            operation="sell",
            external_id=f"isolation-{b.pk}",
            body={},
            total=1000,
            status="failed",
        )
    # `package` names an accounting package, not an object: the salon in the path is B's.
    return {"receipt_id": receipt.pk, "refund_id": refund.pk, "package": "xero"}
