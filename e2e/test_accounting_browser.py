"""The accounting report in a real browser: Chart.js draws the ledger's
figures; an expense recorded through the form (with a receipt) shows up in
the report and its chart; the Arabic page draws right to left."""

from datetime import UTC, datetime

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from solibook.accounts.roles import Role
from solibook.finance import ledger
from solibook.testing.factories import TEST_PASSWORD, BusinessFactory, LocationFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def books(transactional_db):
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into

    load_into(Category)
    business = BusinessFactory(name="Salon Compta", slug="salon-compta")
    location = LocationFactory(business=business, name="Marais", time_zone="Europe/Paris")
    member(business, Role.ACCOUNTANT, email="compta@example.test", full_name="Comptable")
    with scopes_disabled():
        for month, amount in ((1, 300000), (2, 450000), (3, 520000)):
            ledger.post(
                business=business,
                kind="checkout",
                memo="Visits",
                occurred_at=datetime(2026, month, 10, 12, tzinfo=UTC),
                lines=[
                    ledger.Line("card", amount, "EUR", location=location),
                    ledger.Line("revenue:womens-haircut", -amount, "EUR", location=location),
                ],
            )
    yield {"business": business, "location": location}
    load_into(Category)  # leave the taxonomy for the next test, as the flush removed it


def login(page, live_server):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("E-mail address").fill("compta@example.test")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def chart_series(page, canvas_id: str) -> list[list[float]]:
    return page.evaluate(f"() => Chart.getChart('{canvas_id}').data.datasets.map(d => d.data)")


def test_report_chart_and_expense_flow(desktop_page, live_server, books, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    page = desktop_page
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Errors of the page's own scripts and resources (the browser's favicon probe is not one).
    page.on(
        "console",
        lambda msg: (
            errors.append(f"{msg.text} {msg.location.get('url')}")
            if msg.type == "error" and "favicon" not in msg.location.get("url", "")
            else None
        ),
    )
    login(page, live_server)
    base = f"{live_server.url}/en/office/salon-compta/accounting/"
    page.goto(f"{base}?start=2026-01-01&end=2026-06-30")
    expect(page.locator("#pnl-chart")).to_have_attribute("data-ready", "1")
    revenue, expenses, net = chart_series(page, "pnl-chart")
    assert revenue == [3000, 4500, 5200, 0, 0, 0]
    assert expenses == [0] * 6 and net == revenue
    expect(page.get_by_test_id("revenue-total")).to_contain_text("12,700.00")
    expect(page.locator("#flow-chart")).to_have_attribute("data-ready", "1")
    assert not run_axe(page)
    screenshot(page, "accounting-report")

    # Record an expense with a receipt through the form.
    page.get_by_role("link", name="Expenses").first.click()
    page.get_by_role("link", name="Record an expense").click()
    page.get_by_label("Category").select_option(label="Rent")
    page.get_by_label("Description").fill("Loyer mars")
    page.get_by_label("Amount").fill("1500.00")
    page.get_by_label("Date").fill("2026-03-01")
    page.get_by_label("Paid from").select_option("bank")
    page.get_by_label("Receipt").set_input_files(
        files=[{"name": "facture.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_have_text("Loyer mars")
    expect(page.get_by_role("link", name="Open the receipt")).to_be_visible()

    page.goto(f"{base}?start=2026-01-01&end=2026-06-30")
    expect(page.locator("#pnl-chart")).to_have_attribute("data-ready", "1")
    revenue, expenses, net = chart_series(page, "pnl-chart")
    assert expenses[2] == 1500 and net[2] == 5200 - 1500
    expect(page.get_by_test_id("net-total")).to_contain_text("11,200.00")

    # The budget page: plan March's rent, see planned against actual in the grid and the chart.
    page.goto(f"{base}budget/?year=2026")
    page.locator("#id_category_id").select_option(label="Rent")
    page.get_by_label("Month").select_option("2026-03-01")
    page.get_by_role("spinbutton", name="Planned").fill("1200")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#budget-chart")).to_have_attribute("data-ready", "1")
    planned, actual = chart_series(page, "budget-chart")
    labels = page.evaluate("Chart.getChart('budget-chart').data.labels")
    assert planned[labels.index("Rent")] == 1200 and actual[labels.index("Rent")] == 1500
    expect(page.locator("td.table-danger")).to_have_count(1)  # March's rent is over budget
    screenshot(page, "accounting-budget")

    # A bad period is explained, not a crash.
    page.goto(f"{base}?start=2026-06-30&end=2026-01-01")
    expect(page.get_by_text("The end date cannot be before the start date.")).to_be_visible()
    assert not errors, errors


def test_the_arabic_report_draws_right_to_left(desktop_page, live_server, books):
    page = desktop_page
    login(page, live_server)
    page.goto(
        f"{live_server.url}/ar/office/salon-compta/accounting/?start=2026-01-01&end=2026-03-31"
    )
    assert page.evaluate("document.documentElement.dir") == "rtl"
    expect(page.locator("#pnl-chart")).to_have_attribute("data-ready", "1")
    assert page.evaluate("Chart.getChart('pnl-chart').options.scales.x.reverse") is True
    screenshot(page, "accounting-report-ar")
