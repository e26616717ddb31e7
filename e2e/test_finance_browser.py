"""The checkout in a real browser: price the visit, split the payment (the
page shows what is left to pay and fills the rest on double-click), charge,
and the receipt in Arabic reads right to left."""

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from e2e.conftest import screenshot
from solibook.accounts.roles import Role
from solibook.testing.factories import TEST_PASSWORD, member
from solibook.testing.salon import salon as salon_fixture  # noqa: F401 - the fixture, under this name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def visit(transactional_db, request):
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into
    from solibook.testing.booking import book

    load_into(Category)  # an earlier transactional test's flush may have removed them
    salon = request.getfixturevalue("salon_fixture")
    member(salon.business, Role.RECEPTIONIST, email="desk@example.test", full_name="Desk")
    appointment = book(salon)
    yield salon, appointment
    load_into(Category)


def test_checkout_split_and_receipt(desktop_page, live_server, visit):
    salon, appointment = visit
    page = desktop_page
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("E-mail address").fill("desk@example.test")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(
        f"{live_server.url}/en/office/{salon.business.slug}/finance/checkout/?appointment={appointment.pk}"
    )
    page.get_by_role("button", name="Price it").click()
    page.wait_for_load_state()
    expect(page.locator("#to-pay")).to_contain_text("45")
    page.locator("#id_pay_cash").fill("20")
    expect(page.locator("#split-status")).to_contain_text("Still to pay")
    page.locator("#id_pay_card").dblclick()
    expect(page.locator("#id_pay_card")).to_have_value("25.00")
    expect(page.locator("#split-status")).to_contain_text("add up")
    page.locator("#id_language").select_option("ar")
    screenshot(page, "finance-checkout")
    page.get_by_role("button", name="Charge").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Receipt")
    with scopes_disabled():
        from solibook.finance.models import Checkout

        checkout = Checkout.objects.get()
    assert checkout.total == 4500 and checkout.language == "ar"
    page.goto(
        f"{live_server.url}/en/office/{salon.business.slug}/finance/checkouts/{checkout.pk}/receipt/"
    )
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator("h2")).to_contain_text("إيصال")
    screenshot(page, "finance-receipt-ar")
