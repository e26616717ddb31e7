"""Business B's purchasing objects, for platform/tests/test_isolation.py (every
URL taking one must 404 for A)."""

from datetime import date
from decimal import Decimal

from django_scopes import scopes_disabled


def objects_of_b(b, location_b) -> dict:
    from solibook.accounting.models import Supplier
    from solibook.finance.models import Product
    from solibook.purchasing.models import PurchaseOrder, SupplierInvoice, SupplierProduct

    with scopes_disabled():
        supplier = Supplier.objects.create(business=b, name="B's purchasing supplier")
        product = Product.objects.create(
            business=b, name="B's dye", price_amount=100, currency=b.currency
        )
        offer = SupplierProduct.objects.create(
            business=b,
            supplier=supplier,
            product=product,
            pack_name="Bottle",
            pack_size=Decimal("1000"),
            price_amount=1000,
            currency=b.currency,
        )
        order = PurchaseOrder.objects.create(
            business=b, number=1, supplier=supplier, location=location_b, currency=b.currency
        )
        invoice = SupplierInvoice.objects.create(
            business=b,
            order=order,
            supplier=supplier,
            number="B-1",
            issued_on=date(2030, 1, 1),
            amount=1000,
            currency=b.currency,
        )
    return {"offer_id": offer.pk, "order_id": order.pk, "invoice_id": invoice.pk}
