"""Two receipts of the same order line at the same moment (threads on
PostgreSQL): the order's row lock queues them; the second sees what the first
received and is refused when it would go over, and nothing is half-written."""

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from solibook.core.tenancy import business_scope
from solibook.finance.models import LedgerTransaction
from solibook.inventory import selectors as inventory
from solibook.inventory.models import StockMovement
from solibook.purchasing import services
from solibook.purchasing.models import Receipt
from solibook.purchasing.tests.conftest import make_shop, sent_order
from solibook.testing.races import outcome, race

RACERS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_receipts_of_one_line_never_receive_more_than_ordered():
    shop = make_shop("Race")
    order = sent_order(shop, packs=10)
    with scopes_disabled():
        line = order.lines.get()

    def attempt(i):
        with business_scope(shop.business):
            return services.order_receive(
                actor=None, business=shop.business, order_id=order.pk, packs={line.pk: 4}
            )

    results = race(RACERS, attempt)
    wins = [r for r in results if isinstance(r, Receipt)]
    refusals = [outcome(r) for r in results if not isinstance(r, Receipt)]
    assert len(wins) == 2, results  # 4 + 4 fit in 10; a third 4 does not
    assert refusals == ["receipt_over_ordered"] * (RACERS - 2), results
    with scopes_disabled():
        line.refresh_from_db()
        assert line.received_packs == 8
        assert StockMovement.objects.filter(business=shop.business, kind="receipt").count() == 2
        assert (
            LedgerTransaction.objects.filter(business=shop.business, kind="stock_receipt").count()
            == 2
        )
        order.refresh_from_db()
        assert order.status == "partly_received"
    with business_scope(shop.business):
        assert inventory.on_hand(shop.location, shop.dye) == Decimal("8000")
