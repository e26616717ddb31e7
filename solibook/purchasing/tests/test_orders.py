"""Offers, purchase orders, sending, receiving and supplier invoices, through
the services pages and API share."""

from decimal import Decimal

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from solibook.core.errors import Conflict, NotFound, ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance import accounts, ledger
from solibook.finance.models import LedgerTransaction
from solibook.inventory import selectors as inventory
from solibook.purchasing import services
from solibook.purchasing.models import PurchaseOrder, Receipt, ReceiptLine
from solibook.purchasing.tests.conftest import make_shop, sent_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scoped")]


def on_hand(shop) -> Decimal:
    with business_scope(shop.business):
        return Decimal(str(inventory.on_hand(shop.location, shop.dye)))


def balance(shop, account: str) -> int:
    return ledger.balance(business=shop.business, account=account, currency="EUR")


def receive(shop, order, packs: int, **kwargs):
    line = order.lines.get()
    with business_scope(shop.business):
        return services.order_receive(
            actor=None, business=shop.business, order_id=order.pk, packs={line.pk: packs}, **kwargs
        )


# ---------------------------------------------------------------- offers


def test_an_offer_refuses_a_pack_of_no_size_and_a_duplicate(shop):
    with business_scope(shop.business):
        kwargs = {
            "actor": None,
            "business": shop.business,
            "supplier_id": shop.supplier.pk,
            "product_id": shop.dye.pk,
            "pack_name": "Box",
            "price_amount": 100,
            "lead_time_days": 2,
        }
        with pytest.raises(ValidationFailed) as zero:
            services.offer_create(pack_size="0", **kwargs)
        assert "pack_size" in zero.value.fields
        with pytest.raises(ValidationFailed) as twice:
            services.offer_create(pack_size=Decimal("1000"), **kwargs)
        assert "already offers" in twice.value.message


def test_an_offer_for_another_salons_supplier_or_product_is_not_found(shop):
    other = make_shop("Other")
    with business_scope(shop.business):
        with pytest.raises(NotFound):
            services.offer_create(
                actor=None,
                business=shop.business,
                supplier_id=other.supplier.pk,
                product_id=shop.dye.pk,
                pack_name="Box",
                pack_size=1,
                price_amount=100,
                lead_time_days=2,
            )
        with pytest.raises(NotFound):
            services.offer_create(
                actor=None,
                business=shop.business,
                supplier_id=shop.supplier.pk,
                product_id=other.dye.pk,
                pack_name="Box",
                pack_size=1,
                price_amount=100,
                lead_time_days=2,
            )


# ---------------------------------------------------------------- drafting and sending


def test_sending_an_empty_order_is_refused_and_it_stays_a_draft(shop):
    with business_scope(shop.business):
        order = services.order_create(
            actor=None,
            business=shop.business,
            supplier_id=shop.supplier.pk,
            location_id=shop.location.pk,
        )
        with pytest.raises(ValidationFailed) as refused:
            services.order_send(actor=None, business=shop.business, order_id=order.pk)
    assert refused.value.code == "order_empty"
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.DRAFT and order.sent_at is None
    assert mail.outbox == []


def test_an_order_for_another_salons_supplier_or_location_is_not_found(shop):
    other = make_shop("Other")
    with business_scope(shop.business):
        for supplier_id, location_id in (
            (other.supplier.pk, shop.location.pk),
            (shop.supplier.pk, other.location.pk),
        ):
            with pytest.raises(NotFound):
                services.order_create(
                    actor=None,
                    business=shop.business,
                    supplier_id=supplier_id,
                    location_id=location_id,
                )
    with scopes_disabled():
        assert not PurchaseOrder.objects.filter(business=shop.business).exists()


def test_a_line_takes_only_the_orders_suppliers_offers(shop):
    other = make_shop("Other")
    with business_scope(shop.business):
        order = services.order_create(
            actor=None,
            business=shop.business,
            supplier_id=shop.supplier.pk,
            location_id=shop.location.pk,
        )
        with pytest.raises(NotFound):
            services.order_line_set(
                actor=None,
                business=shop.business,
                order_id=order.pk,
                offer_id=other.bottle.pk,
                packs=1,
            )


def test_sending_mails_the_pdf_in_the_suppliers_language(shop):
    order = sent_order(shop, packs=3)
    assert order.status == PurchaseOrder.Status.SENT and order.language == "fr"
    assert order.expected_on is not None
    [message] = mail.outbox
    assert message.to == ["orders@beaute.example"]
    assert message.subject.startswith("Bon de commande PO-")
    assert "3 × Flacon 1 L" in message.body
    [(name, content, mimetype)] = message.attachments
    assert name == f"{order.label}.pdf" and mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    with business_scope(shop.business), pytest.raises(Conflict):
        services.order_line_set(
            actor=None, business=shop.business, order_id=order.pk, offer_id=shop.bottle.pk, packs=1
        )


def test_the_pdf_is_written_in_arabic_for_an_arabic_supplier(shop):
    with business_scope(shop.business):
        services.supplier_language_set(
            actor=None, business=shop.business, supplier_id=shop.supplier.pk, language="ar"
        )
    order = sent_order(shop, packs=1)
    assert order.language == "ar"
    assert mail.outbox[0].attachments[0][1].startswith(b"%PDF")


# ---------------------------------------------------------------- receiving


def test_receiving_partly_then_fully_updates_stock_cost_ledger_and_status(shop):
    order = sent_order(shop, packs=10)
    first = receive(shop, order, 4)
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.PARTLY_RECEIVED
    assert on_hand(shop) == Decimal("4000")
    with business_scope(shop.business):
        # 12.00 EUR a 1,000 ml bottle: 1.2 cents a ml.
        assert Decimal(str(inventory.average_cost(shop.business, shop.dye))) == Decimal("1.2")
    assert first.amount == 4800
    assert balance(shop, accounts.INVENTORY) == 4800
    assert balance(shop, accounts.PAYABLES) == -4800
    receive(shop, order, 6)
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.RECEIVED and order.received_at
    assert on_hand(shop) == Decimal("10000")
    assert balance(shop, accounts.INVENTORY) == 12000
    assert order.lines.get().received_packs == 10


def test_receiving_more_than_ordered_is_refused_and_writes_nothing(shop):
    order = sent_order(shop, packs=5)
    receive(shop, order, 3)
    with pytest.raises(ValidationFailed) as refused:
        receive(shop, order, 3)
    assert refused.value.code == "receipt_over_ordered"
    assert "only 2 packs remain" in refused.value.message
    line = order.lines.get()
    assert refused.value.fields == {f"lines.{line.pk}": [refused.value.message]}
    with scopes_disabled():
        assert Receipt.objects.filter(order=order).count() == 1
        assert ReceiptLine.objects.filter(line=line).count() == 1
        assert LedgerTransaction.objects.filter(kind="stock_receipt").count() == 1
    assert on_hand(shop) == Decimal("3000")
    line.refresh_from_db()
    assert line.received_packs == 3


def test_a_draft_or_a_received_order_cannot_be_received(shop):
    order = sent_order(shop, packs=1)
    receive(shop, order, 1)
    with pytest.raises(Conflict) as done:
        receive(shop, order, 1)
    assert done.value.code == "order_not_open"


def test_a_delivery_paid_at_once_credits_the_cash_and_owes_nothing(shop):
    order = sent_order(shop, packs=2)
    receive(shop, order, 2, paid_from="cash")
    assert balance(shop, accounts.CASH) == -2400
    assert balance(shop, accounts.PAYABLES) == 0
    with business_scope(shop.business), pytest.raises(Conflict) as refused:
        services.invoice_record(
            actor=None,
            business=shop.business,
            order_id=order.pk,
            number="F-1",
            issued_on=order.sent_at.date(),
            amount=2400,
        )
    assert refused.value.code == "invoice_too_large"


# ---------------------------------------------------------------- invoices


def test_an_invoice_recorded_then_paid_clears_what_is_owed(shop):
    order = sent_order(shop, packs=3)
    receive(shop, order, 3)
    with business_scope(shop.business):
        with pytest.raises(Conflict):
            services.invoice_record(
                actor=None,
                business=shop.business,
                order_id=order.pk,
                number="F-77",
                issued_on=order.sent_at.date(),
                amount=3601,
            )
        invoice = services.invoice_record(
            actor=None,
            business=shop.business,
            order_id=order.pk,
            number="F-77",
            issued_on=order.sent_at.date(),
            amount=3600,
        )
        assert balance(shop, accounts.PAYABLES) == -3600
        services.invoice_pay(
            actor=None, business=shop.business, invoice_id=invoice.pk, paid_from="bank"
        )
        with pytest.raises(Conflict) as twice:
            services.invoice_pay(
                actor=None, business=shop.business, invoice_id=invoice.pk, paid_from="bank"
            )
    assert twice.value.code == "invoice_paid"
    assert balance(shop, accounts.PAYABLES) == 0
    assert balance(shop, accounts.BANK) == -3600
