"""Pages and API: every page renders, forms and endpoints call the services,
refusals show on the form or in the error format, roles and tenants hold."""

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.core.tenancy import business_scope
from solibook.inventory import services as inventory
from solibook.purchasing.models import PurchaseOrder, Receipt
from solibook.purchasing.tests.conftest import make_shop, sent_order
from solibook.testing.clients import api_as, pages_as

pytestmark = pytest.mark.django_db


def page(shop, tail=""):
    return f"/en/office/{shop.business.slug}/purchasing/{tail}"


def api(shop, tail=""):
    return f"/api/v1/businesses/{shop.business.pk}/purchasing/{tail}"


def test_every_page_renders_and_the_menu_links_here(shop):
    order = sent_order(shop, packs=2)
    owner = pages_as(shop.business, Role.OWNER)
    for tail in (
        "",
        "?status=sent",
        "suggestions/",
        "suppliers/",
        f"suppliers/{shop.supplier.pk}/",
        f"offers/{shop.bottle.pk}/",
        f"orders/{order.pk}/",
    ):
        assert owner.get(page(shop, tail)).status_code == 200, tail
    pdf = owner.get(page(shop, f"orders/{order.pk}/pdf/"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert page(shop).encode() in owner.get(f"/en/office/{shop.business.slug}/").content
    for language in ("fr", "ru", "ar"):
        assert (
            owner.get(
                f"/{language}/office/{shop.business.slug}/purchasing/orders/{order.pk}/"
            ).status_code
            == 200
        )


def test_a_draft_is_made_filled_and_sent_through_the_pages(shop):
    owner = pages_as(shop.business, Role.OWNER)
    response = owner.post(
        page(shop), {"supplier_id": shop.supplier.pk, "location_id": shop.location.pk}
    )
    assert response.status_code == 302
    with scopes_disabled():
        order = PurchaseOrder.objects.get(business=shop.business)
    empty = owner.post(page(shop, f"orders/{order.pk}/send/"), follow=True)
    assert "This order has no lines" in empty.content.decode()
    assert mail.outbox == []
    owner.post(page(shop, f"orders/{order.pk}/lines/"), {"offer_id": shop.bottle.pk, "packs": 3})
    sent = owner.post(page(shop, f"orders/{order.pk}/send/"), follow=True)
    assert "Order sent to orders@beaute.example" in sent.content.decode()
    assert len(mail.outbox) == 1


def test_receiving_too_many_on_the_page_says_so_beside_the_line(shop):
    order = sent_order(shop, packs=2)
    with scopes_disabled():
        line = order.lines.get()
    desk = pages_as(shop.business, Role.RECEPTIONIST)
    response = desk.post(
        page(shop, f"orders/{order.pk}/receive/"),
        {f"line_{line.pk}": 5, "paid_from": "on_account"},
    )
    assert response.status_code == 400
    assert "only 2 packs remain to receive" in response.content.decode()
    ok = desk.post(
        page(shop, f"orders/{order.pk}/receive/"),
        {f"line_{line.pk}": 2, "paid_from": "on_account"},
    )
    assert ok.status_code == 302
    with scopes_disabled():
        assert Receipt.objects.filter(order=order).count() == 1


def test_the_suggestions_page_makes_draft_orders_in_one_click(shop):
    with business_scope(shop.business):
        inventory.minimum_set(
            business=shop.business, location=shop.location, product=shop.dye, minimum=1500
        )
    owner = pages_as(shop.business, Role.OWNER)
    listing = owner.get(page(shop, "suggestions/")).content.decode()
    assert "Low stock" in listing and "Below its minimum" in listing
    key = f"{shop.location.pk}-{shop.dye.pk}"
    response = owner.post(
        page(shop, "suggestions/"),
        {"pick": key, f"offer_{key}": shop.bottle.pk, f"packs_{key}": 2},
    )
    assert response.status_code == 302
    with scopes_disabled():
        order = PurchaseOrder.objects.get(business=shop.business)
        assert order.status == "draft" and order.lines.get().packs == 2


def test_roles_on_pages(shop):
    order = sent_order(shop, packs=1)
    master = pages_as(shop.business, Role.MASTER)
    assert master.get(page(shop)).status_code == 403
    desk = pages_as(shop.business, Role.RECEPTIONIST)
    assert desk.get(page(shop, f"orders/{order.pk}/")).status_code == 200
    assert desk.post(page(shop, f"orders/{order.pk}/cancel/")).status_code == 403
    accountant = pages_as(shop.business, Role.ACCOUNTANT)
    with scopes_disabled():
        line = order.lines.get()
    assert (
        accountant.post(
            page(shop, f"orders/{order.pk}/receive/"), {f"line_{line.pk}": 1}
        ).status_code
        == 403
    )


def test_the_api_runs_the_whole_order(shop):
    owner = api_as(shop.business, Role.OWNER)
    created = owner.post(
        api(shop, "orders/"),
        {"supplier_id": shop.supplier.pk, "location_id": shop.location.pk},
        format="json",
    )
    assert created.status_code == 201, created.content
    order_id = created.json()["id"]
    empty = owner.post(api(shop, f"orders/{order_id}/send/"), format="json")
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "order_empty"
    lined = owner.post(
        api(shop, f"orders/{order_id}/lines/"),
        {"offer_id": shop.bottle.pk, "packs": 4},
        format="json",
    )
    line_id = lined.json()["lines"][0]["id"]
    assert (
        owner.post(api(shop, f"orders/{order_id}/send/"), format="json").json()["status"] == "sent"
    )
    over = owner.post(
        api(shop, f"orders/{order_id}/receipts/"),
        {"lines": [{"line_id": line_id, "packs": 5}]},
        format="json",
    )
    assert over.status_code == 400
    assert over.json()["error"]["code"] == "receipt_over_ordered"
    assert f"lines.{line_id}" in over.json()["error"]["fields"]
    got = owner.post(
        api(shop, f"orders/{order_id}/receipts/"),
        {"lines": [{"line_id": line_id, "packs": 4}], "paid_from": "on_account"},
        format="json",
    )
    assert got.status_code == 201 and got.json()["amount"] == 4800
    assert owner.get(api(shop, f"orders/{order_id}/")).json()["status"] == "received"
    invoice = owner.post(
        api(shop, f"orders/{order_id}/invoices/"),
        {"number": "F-1", "issued_on": "2026-01-05", "amount": 4800},
        format="json",
    )
    assert invoice.status_code == 201, invoice.content
    paid = owner.post(
        api(shop, f"invoices/{invoice.json()['id']}/pay/"), {"paid_from": "bank"}, format="json"
    )
    assert paid.status_code == 200 and paid.json()["paid_from"] == "bank"
    assert owner.get(api(shop, "in-transit/")).json()["count"] == 0
    assert owner.get(api(shop, "suggestions/")).status_code == 200


def test_the_api_refuses_another_salons_ids_in_the_body(shop):
    other = make_shop("Other")
    owner = api_as(shop.business, Role.OWNER)
    for body in (
        {"supplier_id": other.supplier.pk, "location_id": shop.location.pk},
        {"supplier_id": shop.supplier.pk, "location_id": other.location.pk},
    ):
        assert owner.post(api(shop, "orders/"), body, format="json").status_code == 404
    offer = owner.post(
        api(shop, "offers/"),
        {
            "supplier_id": shop.supplier.pk,
            "product_id": other.dye.pk,
            "pack_name": "Box",
            "pack_size": "10",
            "price_amount": 100,
            "lead_time_days": 1,
        },
        format="json",
    )
    assert offer.status_code == 404
    items = {"items": [{"location_id": shop.location.pk, "offer_id": other.bottle.pk, "packs": 1}]}
    assert owner.post(api(shop, "suggestions/orders/"), items, format="json").status_code == 404
    with scopes_disabled():
        assert not PurchaseOrder.objects.filter(business=shop.business).exists()


@pytest.mark.parametrize(
    "role, read, receive, manage",
    [
        (Role.OWNER, 200, True, True),
        (Role.MANAGER, 200, True, True),
        (Role.RECEPTIONIST, 200, True, False),
        (Role.ACCOUNTANT, 200, False, False),
        (Role.MASTER, 403, False, False),
    ],
)
def test_api_roles(shop, role, read, receive, manage):
    order = sent_order(shop, packs=1)
    client = api_as(shop.business, role)
    assert client.get(api(shop, "orders/")).status_code == read
    cancel = client.post(api(shop, f"orders/{order.pk}/cancel/"), format="json")
    assert (cancel.status_code == 200) == manage, cancel.status_code
    if not manage:
        with scopes_disabled():
            line = order.lines.get()
        got = client.post(
            api(shop, f"orders/{order.pk}/receipts/"),
            {"lines": [{"line_id": line.pk, "packs": 1}]},
            format="json",
        )
        assert (got.status_code == 201) == receive, got.status_code
