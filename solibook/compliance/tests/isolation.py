"""Business B's compliance objects, for platform/tests/test_isolation.py (every
URL taking one must 404 for A)."""

from django_scopes import scopes_disabled


def objects_of_b(b, checkout_id: int) -> dict:
    from solibook.compliance.models import FiscalReceipt

    with scopes_disabled():
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
    return {"receipt_id": receipt.pk, "package": "xero"}
