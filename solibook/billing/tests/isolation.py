"""Business B's billing objects for the tenant-isolation guard."""

from datetime import UTC, datetime

from django_scopes import scopes_disabled


def billing_objects_of_b(b) -> dict:
    from solibook.billing import services

    with scopes_disabled():
        services.charge_record(
            business=b,
            kind="sms",
            amount=100,
            currency=b.currency,
            description="B's SMS",
            source="isolation:b",
            now=datetime(2030, 1, 1, tzinfo=UTC),
        )
        invoice = services.invoice_issue(business=b, now=datetime(2030, 1, 2, tzinfo=UTC))
    return {"invoice_id": invoice.pk}
