"""The accounting API: roles, tenant isolation, uploads, reports, exports, idempotency."""

from datetime import UTC, date, datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django_scopes import scopes_disabled

from solibook.accounting import fec
from solibook.accounting.models import Expense
from solibook.accounting.tests.helpers import PDF, category, sale
from solibook.accounting.tests.isolation import objects_of_b
from solibook.accounts.roles import Role
from solibook.finance import ledger
from solibook.testing.factories import BusinessFactory, LocationFactory, member

pytestmark = pytest.mark.django_db


def base(salon):
    return f"/api/v1/businesses/{salon.business.pk}/accounting"


def expense_body(salon, **changes):
    body = {
        "location_id": salon.location.pk,
        "category_id": category(salon.business).pk,
        "description": "Rent",
        "amount": 90000,
        "currency": "EUR",
        "incurred_on": "2026-01-15",
        "paid_from": "bank",
    }
    body.update(changes)
    return body


def test_record_an_expense_with_a_receipt_and_read_it_back(owner_api, salon, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from io import BytesIO

    receipt = BytesIO(PDF)
    receipt.name = "facture.pdf"
    response = owner_api.post(
        f"{base(salon)}/expenses/", {**expense_body(salon), "receipt": receipt}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (
        data["has_receipt"]
        and data["amount"] == 90000
        and data["category"]["account"] == "expenses:rent"
    )
    assert ledger.balance(business=salon.business, account="expenses:rent", currency="EUR") == 90000
    file_response = owner_api.get(f"{base(salon)}/expenses/{data['id']}/receipt/")
    assert file_response.status_code == 200
    assert b"".join(file_response.streaming_content) == PDF
    assert owner_api.get(f"{base(salon)}/expenses/").json()["count"] == 1
    voided = owner_api.post(
        f"{base(salon)}/expenses/{data['id']}/void/", {"reason": "wrong"}, format="json"
    )
    assert voided.json()["status"] == "voided"
    assert (
        owner_api.post(
            f"{base(salon)}/expenses/{data['id']}/void/", {"reason": "again"}, format="json"
        ).status_code
        == 409
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": -500}, "amount"),
        ({"currency": "USD"}, "currency"),
        ({"incurred_on": "2099-01-01"}, "incurred_on"),
        ({"paid_from": "bitcoin"}, "paid_from"),
        ({"incurred_on": "not a date"}, "incurred_on"),
    ],
)
def test_bad_expense_input_is_a_400_naming_the_field(owner_api, salon, changes, field):
    response = owner_api.post(
        f"{base(salon)}/expenses/", expense_body(salon, **changes), format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["fields"] and error["message"]
    with scopes_disabled():
        assert not Expense.objects.filter(business=salon.business).exists()


def test_a_non_image_receipt_is_a_400(owner_api, salon):
    from io import BytesIO

    fake = BytesIO(b"#!/bin/sh\nrm -rf /\n")
    fake.name = "receipt.jpg"
    response = owner_api.post(
        f"{base(salon)}/expenses/", {**expense_body(salon), "receipt": fake}, format="multipart"
    )
    assert response.status_code == 400
    assert "receipt" in response.json()["error"]["fields"]


def test_an_idempotent_expense_is_recorded_once(owner_api, salon):
    body = expense_body(salon)
    first = owner_api.post(
        f"{base(salon)}/expenses/", body, format="json", HTTP_IDEMPOTENCY_KEY="exp-1"
    )
    second = owner_api.post(
        f"{base(salon)}/expenses/", body, format="json", HTTP_IDEMPOTENCY_KEY="exp-1"
    )
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert ledger.balance(business=salon.business, account="expenses:rent", currency="EUR") == 90000


def test_reports_and_exports(owner_api, salon):
    salon.business.registration_number = "73282932000074"
    salon.business.save()
    sale(
        salon.business,
        at=datetime(2030, 3, 5, 10, tzinfo=UTC),
        amount=4500,
        tip=500,
        location=salon.location,
        master=salon.lea,
    )
    period = "start=2030-01-01&end=2030-12-31"
    pnl = owner_api.get(f"{base(salon)}/reports/pnl/?{period}").json()
    assert pnl["revenue_total"] == 4500 and pnl["net"] == 4500 and pnl["months"][2] == "2030-03"
    flow = owner_api.get(
        f"{base(salon)}/reports/cash-flow/?{period}&location_id={salon.location.pk}"
    ).json()
    assert flow["inflow"][2] == 5000
    fec_response = owner_api.get(f"{base(salon)}/exports/fec.txt?{period}")
    assert fec_response.status_code == 200
    assert "732829320FEC20301231.txt" in fec_response["Content-Disposition"]
    assert len(fec.parse(fec_response.content.decode())) == 3
    csv_response = owner_api.get(f"{base(salon)}/exports/journal.csv?{period}")
    assert (
        csv_response["Content-Type"].startswith("text/csv")
        and csv_response.content.count(b"\r\n") == 4
    )
    assert (
        owner_api.get(f"{base(salon)}/reports/pnl/?start=2030-12-31&end=2030-01-01").status_code
        == 400
    )
    assert (
        owner_api.get(f"{base(salon)}/reports/pnl/?start=2030-01-01&end=2039-01-01").status_code
        == 400
    )
    assert (
        owner_api.get(
            f"{base(salon)}/reports/pnl/?start=2030-01-01&end=2030-02-01&location_id=999999999"
        ).json()["revenue_total"]
        == 0
    )


def test_budget_via_the_api(owner_api, salon):
    rent = category(salon.business)
    put = owner_api.put(
        f"{base(salon)}/budget/",
        {"category_id": rent.pk, "month": "2030-05-01", "amount": 100000, "currency": "EUR"},
        format="json",
    )
    assert put.status_code == 200
    rows = owner_api.get(f"{base(salon)}/budget/?start=2030-05-01&end=2030-05-31").json()
    assert next(r for r in rows if r["category"]["code"] == "rent")["planned"] == 100000
    bad = owner_api.put(
        f"{base(salon)}/budget/",
        {"category_id": rent.pk, "month": "2030-05-02", "amount": 1, "currency": "EUR"},
        format="json",
    )
    assert bad.status_code == 400 and "month" in bad.json()["error"]["fields"]
    assert (
        owner_api.put(
            f"{base(salon)}/budget/",
            {"category_id": rent.pk, "month": "2030-05-01", "amount": 0, "currency": "EUR"},
            format="json",
        ).status_code
        == 204
    )


def test_pay_via_the_api(owner_api, salon):
    rule = owner_api.post(
        f"{base(salon)}/commission-rules/",
        {
            "master_id": salon.lea.pk,
            "kind": "service_percent",
            "rate_bp": 4000,
            "valid_from": "2030-01-01",
        },
        format="json",
    )
    assert rule.status_code == 201
    bad = owner_api.post(
        f"{base(salon)}/commission-rules/",
        {
            "master_id": salon.lea.pk,
            "kind": "service_percent",
            "rate_bp": 20000,
            "valid_from": "2030-01-01",
        },
        format="json",
    )
    assert bad.status_code == 400 and "rate_bp" in bad.json()["error"]["fields"]
    preview = owner_api.get(
        f"{base(salon)}/pay-statements/preview/?master_id={salon.lea.pk}&period_start=2030-06-01&period_end=2030-06-30"
    )
    assert preview.status_code == 200 and preview.json()["total"] == 0
    created = owner_api.post(
        f"{base(salon)}/pay-statements/",
        {"master_id": salon.lea.pk, "period_start": "2030-06-01", "period_end": "2030-06-30"},
        format="json",
    )
    assert created.status_code == 201
    again = owner_api.post(
        f"{base(salon)}/pay-statements/",
        {"master_id": salon.lea.pk, "period_start": "2030-06-01", "period_end": "2030-06-30"},
        format="json",
    )
    assert again.status_code == 409
    paid = owner_api.post(
        f"{base(salon)}/pay-statements/{created.json()['id']}/pay/",
        {"paid_from": "cash"},
        format="json",
    )
    assert paid.json()["status"] == "paid"


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        (Role.OWNER, 200, 201),
        (Role.MANAGER, 200, 201),
        (Role.ACCOUNTANT, 200, 201),
        (Role.RECEPTIONIST, 403, 403),
        (Role.MASTER, 403, 403),
    ],
)
def test_roles(api_client, salon, role, read, write):
    api_client.force_authenticate(member(salon.business, role))
    assert (
        api_client.get(f"{base(salon)}/reports/pnl/?start=2030-01-01&end=2030-01-31").status_code
        == read
    )
    assert (
        api_client.post(
            f"{base(salon)}/suppliers/", {"name": f"Supplier {role}"}, format="json"
        ).status_code
        == write
    )


def _accounting_routes():
    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry, route)
            elif (
                isinstance(entry, URLPattern)
                and "accounting" in route
                and {"business_id", "business_slug"} & set(entry.pattern.converters)
            ):
                yield route, entry

    return list(walk(get_resolver()))


def test_every_accounting_url_is_404_for_another_business(client, api_client, two_salons):
    a, b, _location_a, location_b = two_salons
    owner_a = member(a, Role.OWNER)
    client.force_login(owner_a)
    api_client.force_authenticate(owner_a)
    known = {"business_id": b.pk, "business_slug": b.slug, **objects_of_b(b, location_b)}
    routes = _accounting_routes()
    assert len(routes) >= 35
    for route, pattern in routes:
        path = "/" + route
        for key in pattern.pattern.converters:
            for converter in ("id", "int", "slug"):
                path = path.replace(f"<{converter}:{key}>", str(known[key]))
        http = api_client if path.startswith("/api/") else client
        if not path.startswith("/api/"):
            path = "/en" + path
        for method in ("get", "post", "put", "patch"):
            assert getattr(http, method)(path, {}).status_code in (404, 405), f"{method} {path}"
    # And B's objects through A's own URLs.
    own = f"/api/v1/businesses/{a.pk}/accounting"
    assert api_client.get(f"{own}/expenses/{known['expense_id']}/").status_code == 404
    assert (
        api_client.post(
            f"{own}/expenses/{known['expense_id']}/void/", {"reason": "x"}, format="json"
        ).status_code
        == 404
    )
    assert (
        client.get(
            f"/en/office/{a.slug}/accounting/expenses/{known['expense_id']}/receipt/"
        ).status_code
        == 404
    )
    assert (
        client.get(
            f"/en/office/{a.slug}/accounting/pay/statements/{known['statement_id']}/"
        ).status_code
        == 404
    )
    assert api_client.get(f"{own}/expenses/").json()["count"] == 0


def test_an_expense_can_not_use_another_business_location_through_the_api(owner_api, salon):
    other = BusinessFactory()
    response = owner_api.post(
        f"{base(salon)}/expenses/",
        expense_body(salon, location_id=LocationFactory(business=other).pk),
        format="json",
    )
    assert response.status_code == 400 and "location_id" in response.json()["error"]["fields"]


def test_expense_list_filters(owner_api, salon):
    owner_api.post(
        f"{base(salon)}/expenses/",
        expense_body(salon, incurred_on=date(2026, 1, 10).isoformat()),
        format="json",
    )
    owner_api.post(
        f"{base(salon)}/expenses/",
        expense_body(salon, incurred_on=date(2026, 2, 10).isoformat()),
        format="json",
    )
    assert owner_api.get(f"{base(salon)}/expenses/?start=2026-02-01").json()["count"] == 1
    assert owner_api.get(f"{base(salon)}/expenses/?status=voided").json()["count"] == 0
    assert owner_api.get(f"{base(salon)}/expenses/?start=bad").status_code == 400


def test_errors_come_in_the_requests_language(owner_api, salon):
    response = owner_api.post(
        f"{base(salon)}/expenses/",
        expense_body(salon, incurred_on="2099-01-01"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.json()["error"]["fields"]["incurred_on"] == [
        "Une dépense ne peut pas être datée de plus de 31 jours à l'avance."
    ]
    response = owner_api.get(
        f"{base(salon)}/reports/pnl/?start=2030-12-31&end=2030-01-01", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.json()["error"]["fields"]["end"] == [
        "Дата окончания не может быть раньше даты начала."
    ]
