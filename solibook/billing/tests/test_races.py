"""Invoice numbers under concurrency: every invoice issued at once gets its own number,
with no gap; a charge recorded twice at once is one charge."""

from datetime import UTC, datetime

import pytest
from django_scopes import scopes_disabled

from solibook.billing import services
from solibook.billing.models import Charge, Invoice
from solibook.core.errors import Conflict
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


def test_invoices_regenerated_and_issued_at_once_never_reuse_or_skip_a_number():
    """Four salons regenerate their invoice while four others issue theirs: every
    number is taken once, the series has no gap, and each voided invoice keeps its own."""
    businesses = [BusinessFactory() for _ in range(8)]
    for i, business in enumerate(businesses):
        services.charge_record(
            business=business,
            kind="subscription",
            amount=2900 + i,
            currency="EUR",
            description="Plan",
            source=f"sub:regen:{i}",
            now=NOW,
        )
    first = [services.invoice_issue(business=b, now=NOW) for b in businesses[:4]]

    def attempt(i):
        if i < 4:
            return services.invoice_regenerate(
                business=businesses[i], invoice_id=first[i].pk, now=NOW
            )
        return services.invoice_issue(business=businesses[i], now=NOW)

    results = race(8, attempt)
    assert all(isinstance(r, Invoice) for r in results), results
    with scopes_disabled():
        rows = list(Invoice.objects.filter(series="INV-2031").values_list("sequence", "status"))
    assert sorted(s for s, _status in rows) == list(range(1, 13))
    assert sum(1 for _s, status in rows if status == Invoice.Status.VOID) == 4
    # and one invoice regenerated twice at once: one wins, the other is refused
    again = race(
        2,
        lambda i: services.invoice_regenerate(
            business=businesses[0], invoice_id=results[0].pk, now=NOW
        ),
    )
    assert sum(isinstance(r, Invoice) for r in again) == 1, again
    assert any(isinstance(r, Conflict) for r in again), again
