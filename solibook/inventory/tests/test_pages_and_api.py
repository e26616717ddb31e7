"""The stock pages and API: who may do what, one write path, bad input answered
in the user's language with nothing written, other salons' ids invisible."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.booking.selectors import ItemSpec
from solibook.core.tenancy import business_scope
from solibook.finance.models import Product
from solibook.inventory import selectors, services
from solibook.inventory.models import (
    RecipeLine,
    StockMovement,
    StockTake,
    StockTakeLine,
    VisitUsage,
)
from solibook.testing.booking import book, complete
from solibook.testing.clients import api_as, pages_as
from solibook.testing.factories import BusinessFactory, LocationFactory, member

pytestmark = pytest.mark.django_db


def url(name, salon, *args):
    return reverse(f"inventory:{name}", args=[salon.business.slug, *args])


def api(name, salon, *args):
    return reverse(f"inventory_api:{name}", args=[salon.business.pk, *args])


def stock_of(salon, product):
    with business_scope(salon.business):
        return selectors.on_hand(salon.location, product)


def test_every_page_opens_for_the_owner(salon, dye, shampoo):
    pages = pages_as(salon.business)
    with business_scope(salon.business):
        take = services.stocktake_start(business=salon.business, location=salon.location)
    for name, args in [
        ("stock", ()),
        ("movements", ()),
        ("products", ()),
        ("product_edit", (dye.pk,)),
        ("recipes", ()),
        ("recipe_edit", (salon.colour.pk,)),
        ("transfers", ()),
        ("stocktakes", ()),
        ("stocktake", (take.pk,)),
        ("stocktake_sheet", (take.pk,)),
    ]:
        response = pages.get(url(name, salon, *args))
        assert response.status_code == 200, name
        # Two forms on one page never share an id (a label would name the other's field).
        ids = re.findall(r'\bid="([^"]+)"', response.content.decode())
        assert len(ids) == len(set(ids)), (name, sorted({i for i in ids if ids.count(i) > 1}))


def test_a_receipt_then_too_much_written_off_is_refused_in_french(salon, dye):
    pages = pages_as(salon.business)
    ok = pages.post(
        url("movement_add", salon),
        {
            "location": salon.location.pk,
            "kind": "receipt",
            "product": dye.pk,
            "quantity": "1",
            "unit": "l",
            "unit_cost": "0.8",
        },
    )
    assert ok.status_code == 302
    assert stock_of(salon, dye) == 1000
    refused = pages.post(
        "/fr" + url("movement_add", salon)[3:],
        {
            "location": salon.location.pk,
            "kind": "write_off",
            "product": dye.pk,
            "quantity": "2000",
            "unit": "",
            "write_off_reason": "expired",
        },
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Il n&#x27;y a que 1000 ml de Dye 6.0 en stock" in page
    assert stock_of(salon, dye) == 1000


def test_a_barcode_already_used_is_refused(salon, shampoo):
    pages = pages_as(salon.business)
    response = pages.post(
        url("products", salon),
        {
            "name": "Conditioner",
            "kind": "retail",
            "stock_unit": "piece",
            "barcode": shampoo.barcode,
            "price": "12",
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert "already used by Shampoo" in response.content.decode()
    with scopes_disabled():
        assert not Product.objects.filter(name="Conditioner").exists()
    bad = pages.post(
        url("products", salon),
        {
            "name": "X",
            "kind": "retail",
            "stock_unit": "piece",
            "barcode": "4006381333932",
            "price": "1",
        },
    )
    assert bad.status_code == 400
    assert "not a valid EAN-13" in bad.content.decode()


def test_a_receptionist_counts_but_does_not_manage(salon, shampoo):
    desk = pages_as(salon.business, Role.RECEPTIONIST)
    assert desk.get(url("stock", salon)).status_code == 200
    forbidden = desk.post(
        url("movement_add", salon),
        {"location": salon.location.pk, "kind": "receipt", "product": shampoo.pk, "quantity": 5},
    )
    assert forbidden.status_code == 403
    start = desk.post(url("stocktakes", salon), {"location": salon.location.pk})
    assert start.status_code == 302
    with scopes_disabled():
        take = StockTake.objects.get()
    for _ in range(3):  # the scanner types the code and Enter, three times
        scanned = desk.post(
            url("stocktake", salon, take.pk), {"form": "scan", "barcode": shampoo.barcode}
        )
        assert scanned.status_code == 302
    unknown = desk.post(
        url("stocktake", salon, take.pk), {"form": "scan", "barcode": "4006381333948"}
    )
    assert unknown.status_code == 400
    assert desk.post(url("stocktake_book", salon, take.pk)).status_code == 302
    assert stock_of(salon, shampoo) == 3
    with scopes_disabled():
        adjustment = StockMovement.objects.get(kind="adjustment")
        take.refresh_from_db()
    assert adjustment.actor is not None and adjustment.actor == take.booked_by
    assert take.status == "booked"


def test_a_master_records_use_on_their_own_visit_only(salon, dye):
    with scopes_disabled():
        user = member(salon.business, Role.MASTER)
        salon.lea.user = user
        salon.lea.save(update_fields=["user"])
        services.recipe_set(
            business=salon.business, service_id=salon.colour.pk, lines=[(dye, 60, "ml")]
        )
    visit = book(salon, specs=[ItemSpec(salon.colour.pk, master_id=salon.lea.pk)])
    complete(salon, visit)
    from django.test import Client

    pages = Client()
    pages.force_login(user)
    response = pages.post(
        url("visit_materials", salon, visit.pk), {"product": dye.pk, "quantity": "75", "unit": ""}
    )
    assert response.status_code == 302
    assert stock_of(salon, dye) == -75
    other = book(salon, hour=15, master=salon.marc)
    assert pages.get(url("visit_materials", salon, other.pk)).status_code == 404


def test_api_records_a_movement_and_refuses_bad_input(salon, dye):
    client = api_as(salon.business)
    created = client.post(
        api("movement_list", salon),
        {
            "location_id": salon.location.pk,
            "product_id": dye.pk,
            "kind": "receipt",
            "quantity": "500",
            "unit_cost": "0.9",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert Decimal(created.json()["balance_after"]) == 500
    too_much = client.post(
        api("movement_list", salon),
        {
            "location_id": salon.location.pk,
            "product_id": dye.pk,
            "kind": "consumption",
            "quantity": "-600",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert too_much.status_code == 400
    assert too_much.json()["error"]["code"] == "not_enough_stock"
    with scopes_disabled():
        annex = LocationFactory(business=salon.business, name="Annex")
    same = client.post(
        api("transfer_list", salon),
        {
            "from_location_id": salon.location.pk,
            "to_location_id": salon.location.pk,
            "items": [{"product_id": dye.pk, "quantity": "1"}],
        },
        format="json",
    )
    assert same.json()["error"]["code"] == "same_location"
    sent = client.post(
        api("transfer_list", salon),
        {
            "from_location_id": salon.location.pk,
            "to_location_id": annex.pk,
            "items": [{"product_id": dye.pk, "quantity": "100"}],
        },
        format="json",
    )
    assert sent.status_code == 201
    at = client.get(api("at_location", salon, salon.location.pk)).json()
    assert at["total_value"] == 360  # 400 ml at 0.9
    assert stock_of(salon, dye) == 400


def test_api_hides_another_salons_ids(salon, dye):
    with scopes_disabled():
        other = BusinessFactory()
        their_location = LocationFactory(business=other)
        theirs = Product.objects.create(
            business=other, name="Theirs", price_amount=1, currency=other.currency
        )
    client = api_as(salon.business)
    for body in (
        {"location_id": salon.location.pk, "product_id": theirs.pk},
        {"location_id": their_location.pk, "product_id": dye.pk},
    ):
        response = client.post(
            api("movement_list", salon), {**body, "kind": "receipt", "quantity": "1"}, format="json"
        )
        assert response.status_code == 404
    assert client.get(api("at_location", salon, their_location.pk)).status_code == 404
    visit = book(salon)
    with business_scope(salon.business):
        take = services.stocktake_start(business=salon.business, location=salon.location)
    for name, args, body, method in [
        (
            "transfer_list",
            (),
            {
                "from_location_id": salon.location.pk,
                "to_location_id": their_location.pk,
                "items": [{"product_id": dye.pk, "quantity": "1"}],
            },
            "post",
        ),
        (
            "transfer_list",
            (),
            {
                "from_location_id": their_location.pk,
                "to_location_id": salon.location.pk,
                "items": [{"product_id": dye.pk, "quantity": "1"}],
            },
            "post",
        ),
        (
            "transfer_list",
            (),
            {
                "from_location_id": salon.location.pk,
                "to_location_id": LocationFactory(business=salon.business).pk,
                "items": [{"product_id": theirs.pk, "quantity": "1"}],
            },
            "post",
        ),
        (
            "recipe",
            (salon.colour.pk,),
            {"lines": [{"product_id": theirs.pk, "quantity": "5"}]},
            "put",
        ),
        ("stocktake_start", (), {"location_id": their_location.pk}, "post"),
        ("stocktake_count", (take.pk,), {"product_id": theirs.pk, "counted": "1"}, "post"),
        ("visit_usage", (visit.pk,), {"product_id": theirs.pk, "quantity": "1"}, "put"),
    ]:
        response = getattr(client, method)(api(name, salon, *args), body, format="json")
        assert response.status_code == 404, (name, body, response.content)
    with scopes_disabled():
        assert not StockMovement.objects.exists()
        assert not RecipeLine.objects.exists()
        assert not StockTakeLine.objects.exists()
        assert not VisitUsage.objects.exists()
        assert StockTake.objects.count() == 1
    assert api_as(other).get(api("movement_list", salon)).status_code == 404
