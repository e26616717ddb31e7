"""A checkout reads what its lines and tips name with one query per table, not
one per line: more lines (products, services of the visit, tips to masters
already on the bill) cost no more queries, and the ledger is still one
balanced transaction."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from solibook.booking.models import AppointmentItem
from solibook.core.tenancy import business_scope
from solibook.finance import services
from solibook.finance.models import LedgerTransaction, Product
from solibook.finance.services import LineIn, TenderIn, TipIn
from solibook.finance.tests.helpers import books_balance
from solibook.testing.booking import book
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db


def products(salon, n):
    with scopes_disabled():
        return [
            Product.objects.create(
                business=salon.business, name=f"P{i}", price_amount=1000, currency="EUR"
            )
            for i in range(n)
        ]


def queries_of_checkout(salon, hour, sold):
    visit = book(salon, hour=hour)
    with scopes_disabled():
        item = AppointmentItem.objects.get(appointment=visit)
    lines = [LineIn("service", appointment_item_id=item.pk)] + [
        LineIn("product", product_id=p.pk, master_id=item.master_id) for p in sold
    ]
    tips = [TipIn(item.master_id, 100)] * (1 + len(sold) // 2)
    total = 4500 + 1000 * len(sold) + sum(t.amount for t in tips)
    with business_scope(salon.business), CaptureQueriesContext(connection) as captured:
        services.checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            appointment_id=visit.pk,
            lines=lines,
            tips=tips,
            shown_total=total,
            currency="EUR",
            tenders=[TenderIn("cash", 1000), TenderIn("card", total - 1000)],
            now=NOW,
        )
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_lines_or_tips(salon):
    few = products(salon, 1)
    many = products(salon, 6)
    queries_of_checkout(salon, 9, few)  # warms what any first checkout reads once
    one_line = queries_of_checkout(salon, 11, few)
    six_lines = queries_of_checkout(salon, 14, many)
    assert six_lines == one_line
    with scopes_disabled():
        assert LedgerTransaction.objects.filter(kind="checkout").count() == 3
    assert books_balance(salon.business)
