"""Invoice numbers under concurrency: every invoice issued at once gets its own number,
with no gap; a charge recorded twice at once is one charge."""

from datetime import UTC, datetime

import pytest
from django_scopes import scopes_disabled

from solibook.billing import services
from solibook.billing.models import Charge, Invoice
from solibook.testing.factories import BusinessFactory
from solibook.testing.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
NOW = datetime(2031, 2, 1, 9, 0, tzinfo=UTC)


def test_invoices_issued_at_once_take_consecutive_numbers():
    businesses = [BusinessFactory() for _ in range(8)]
    for i, business in enumerate(businesses):
        services.charge_record(
            business=business,
            kind="sms",
            amount=100 + i,
            currency="EUR",
            description="SMS",
            source="sms:race",
            now=NOW,
        )
    results = race(8, lambda i: services.invoice_issue(business=businesses[i], now=NOW))
    assert all(isinstance(r, Invoice) for r in results), results
    with scopes_disabled():
        sequences = sorted(
            Invoice.objects.filter(series="INV-2031").values_list("sequence", flat=True)
        )
    assert sequences == list(range(1, 9))


def test_one_salon_invoiced_twice_at_once_bills_each_charge_once():
    business = BusinessFactory()
    services.charge_record(
        business=business,
        kind="sms",
        amount=700,
        currency="EUR",
        description="SMS",
        source="sms:once",
        now=NOW,
    )
    results = race(4, lambda i: services.invoice_issue(business=business, now=NOW))
    issued = [r for r in results if isinstance(r, Invoice)]
    assert len(issued) == 1 and results.count(None) == 3, results
    with scopes_disabled():
        assert Invoice.objects.filter(business=business).count() == 1


def test_a_charge_recorded_twice_at_once_is_one_charge():
    business = BusinessFactory()
    results = race(
        6,
        lambda i: services.charge_record(
            business=business,
            kind="commission",
            amount=300,
            currency="EUR",
            description="Commission",
            source="commission:42",
            now=NOW,
        ),
    )
    assert len({r.pk for r in results if isinstance(r, Charge)}) == 1, results
