"""Back-office pages: every page renders for finance roles, forms call the services, bad input shows on the form."""

import json
import re
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from solibook.accounting.models import BudgetLine, CommissionRule, Expense, PayStatement, Supplier
from solibook.accounting.tests.helpers import PDF, category, expense, sale
from solibook.accounts.roles import Role
from solibook.finance import ledger
from solibook.testing.factories import member

pytestmark = pytest.mark.django_db


def url(salon, tail=""):
    return f"/en/office/{salon.business.slug}/accounting/{tail}"


def test_every_page_renders(owner_pages, salon):
    e = expense(salon)
    for tail in (
        "",
        "expenses/",
        "expenses/new/",
        f"expenses/{e.pk}/",
        "categories/",
        f"categories/{e.category_id}/",
        "suppliers/",
        "budget/",
        "budget/?year=2030",
        "pay/",
        f"pay/statement/?master={salon.lea.pk}&start=2030-06-01&end=2030-06-30",
    ):
        response = owner_pages.get(url(salon, tail))
        assert response.status_code == 200, tail
    # The nav of the back office links here.
    assert url(salon).encode() in owner_pages.get(f"/en/office/{salon.business.slug}/").content


def test_the_report_page_carries_chart_data_from_the_ledger(owner_pages, salon):
    sale(
        salon.business,
        at=datetime(2030, 3, 5, 10, tzinfo=UTC),
        amount=4500,
        location=salon.location,
    )
    page = owner_pages.get(url(salon, "?start=2030-01-01&end=2030-12-31")).content.decode()
    data = json.loads(
        re.search(r'<script id="pnl-data" type="application/json">(.*?)</script>', page).group(1)
    )
    assert data["revenue"][2] == 4500 and data["labels"][0] == "2030-01"
    assert "vendor/chartjs/chart.umd.min.js" in page and "js/accounting/charts.js" in page
    # No inline script with code: only json_script data blocks and src= scripts.
    for script in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page):
        assert 'type="application/json"' in script
    bad = owner_pages.get(url(salon, "?start=2030-12-31&end=2030-01-01"))
    assert bad.status_code == 200 and b"cannot be before" in bad.content


def test_record_an_expense_with_a_receipt_through_the_page(owner_pages, salon, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form = {
        "location_id": salon.location.pk,
        "category_id": category(salon.business).pk,
        "description": "Shampoo stock",
        "amount": "123.45",
        "incurred_on": "2026-01-10",
        "paid_from": "card",
        "receipt": SimpleUploadedFile("r.pdf", PDF, "application/pdf"),
    }
    response = owner_pages.post(url(salon, "expenses/new/"), form)
    assert response.status_code == 302
    with scopes_disabled():
        e = Expense.objects.get(business=salon.business)
    assert e.amount == 12345 and e.receipt
    assert ledger.balance(business=salon.business, account="card", currency="EUR") == -12345
    assert (
        b"".join(owner_pages.get(url(salon, f"expenses/{e.pk}/receipt/")).streaming_content) == PDF
    )
    listing = owner_pages.get(
        url(salon, "expenses/?start=2026-01-01&end=2026-12-31")
    ).content.decode()
    assert "€123.45" in listing
    owner_pages.post(url(salon, f"expenses/{e.pk}/"), {"reason": "duplicate"})
    with scopes_disabled():
        e.refresh_from_db()
    assert e.status == "voided"
    # The list shows what the ledger holds: nothing once reversed, the document's amount struck.
    listing = owner_pages.get(
        url(salon, "expenses/?start=2026-01-01&end=2026-12-31")
    ).content.decode()
    assert "€0.00" in listing and "<del" in listing


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"amount": "-5"}, b"must be positive"),
        ({"amount": "1.234"}, b"Too many decimals"),
        ({"incurred_on": "2099-01-01"}, b"days ahead"),
        (
            {"receipt": SimpleUploadedFile("x.pdf", b"not a pdf at all", "application/pdf")},
            b"PDF or an image",
        ),
    ],
)
def test_bad_expense_input_shows_on_the_form(owner_pages, salon, changes, text):
    form = {
        "location_id": salon.location.pk,
        "category_id": category(salon.business).pk,
        "description": "x",
        "amount": "10",
        "incurred_on": "2026-01-10",
        "paid_from": "card",
    }
    form.update(changes)
    response = owner_pages.post(url(salon, "expenses/new/"), form)
    assert response.status_code == 200
    assert text in response.content
    with scopes_disabled():
        assert not Expense.objects.filter(business=salon.business).exists()


def test_suppliers_categories_budget_and_rules_through_pages(owner_pages, salon):
    assert (
        owner_pages.post(
            url(salon, "suppliers/"), {"name": "L'Oréal Pro", "is_active": "on"}
        ).status_code
        == 302
    )
    with scopes_disabled():
        assert Supplier.objects.filter(business=salon.business, name="L'Oréal Pro").exists()
    assert (
        owner_pages.post(
            url(salon, "categories/"),
            {"name": "Laundry", "code": "laundry", "fec_account": "606400", "is_active": "on"},
        ).status_code
        == 302
    )
    rent = category(salon.business)
    assert (
        owner_pages.post(
            url(salon, "budget/?year=2030"),
            {"category_id": rent.pk, "month": "2030-05-01", "amount": "1000"},
        ).status_code
        == 302
    )
    with scopes_disabled():
        assert BudgetLine.objects.get(business=salon.business).amount == 100000
    bad = owner_pages.post(
        url(salon, "budget/?year=2030"),
        {"category_id": rent.pk, "month": "2030-05-01", "amount": "-3"},
    )
    assert bad.status_code == 200 and b"must be positive" in bad.content
    assert (
        owner_pages.post(
            url(salon, "pay/"),
            {
                "master_id": salon.lea.pk,
                "kind": "service_percent",
                "percent": "40",
                "valid_from": "2030-01-01",
            },
        ).status_code
        == 302
    )
    with scopes_disabled():
        assert CommissionRule.objects.get(business=salon.business).rate_bp == 4000
    bad = owner_pages.post(
        url(salon, "pay/"),
        {
            "master_id": salon.lea.pk,
            "kind": "service_percent",
            "percent": "140",
            "valid_from": "2030-01-01",
        },
    )
    assert bad.status_code == 200 and b"100 %" in bad.content


def test_approve_and_pay_a_statement_through_pages(owner_pages, salon):
    approve = owner_pages.post(
        url(salon, "pay/statement/"),
        {"master": salon.lea.pk, "start": "2030-06-01", "end": "2030-06-30"},
    )
    assert approve.status_code == 302
    with scopes_disabled():
        statement = PayStatement.objects.get(business=salon.business)
    assert (
        owner_pages.post(
            url(salon, f"pay/statements/{statement.pk}/"), {"action": "pay", "paid_from": "cash"}
        ).status_code
        == 302
    )
    with scopes_disabled():
        statement.refresh_from_db()
    assert statement.status == "paid"


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        (Role.ACCOUNTANT, 200, 200),
        (Role.MANAGER, 200, 200),
        (Role.RECEPTIONIST, 403, 403),
        (Role.MASTER, 403, 403),
    ],
)
def test_roles_on_pages(client, salon, role, read, write):
    client.force_login(member(salon.business, role))
    assert client.get(url(salon)).status_code == read
    assert client.get(url(salon, "expenses/new/")).status_code == write


def test_exports_download(owner_pages, salon):
    sale(
        salon.business,
        at=datetime(2030, 3, 5, 10, tzinfo=UTC),
        amount=4500,
        location=salon.location,
    )
    fec_file = owner_pages.get(url(salon, "export/fec.txt?start=2030-01-01&end=2030-12-31"))
    assert fec_file.status_code == 200 and fec_file.content.startswith(b"JournalCode\tJournalLib")
    pnl = owner_pages.get(url(salon, "export/pnl.csv?start=2030-01-01&end=2030-12-31"))
    assert b"revenue:womens-haircut" in pnl.content
    assert (
        owner_pages.get(
            url(salon, "export/journal.csv?start=2030-01-01&end=2030-12-31")
        ).status_code
        == 200
    )
    assert (
        owner_pages.get(url(salon, "export/fec.txt?start=2030-12-01&end=2030-01-01")).status_code
        == 302
    )
