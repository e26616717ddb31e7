"""Business B's stock objects for platform/tests/test_isolation.py."""

from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.finance.models import Product
from solibook.inventory.models import StockTake, StockTransfer
from solibook.testing.factories import LocationFactory


def objects_of_b(b, location_b) -> dict:
    with scopes_disabled():
        product = Product.objects.create(
            business=b, name="B's dye", price_amount=0, currency=b.currency, stock_unit="ml"
        )
        annex = LocationFactory(business=b, name="B's annex")
        transfer = StockTransfer.objects.create(
            business=b, from_location=location_b, to_location=annex, sent_at=timezone.now()
        )
        take = StockTake.objects.create(business=b, location=location_b, started_at=timezone.now())
    return {"product_id": product.pk, "transfer_id": transfer.pk, "stock_take_id": take.pk}
