"""Journey (issue #16, point 2): a salon pays its invoice, and an unpaid one turns the
back office read-only while clients still book.

On a desktop (1366×768), in English and in Russian, through pages only on the demo
`make run` serves:

- the owner opens Billing from the back office's menu, sees the plan (Starter) and an
  unpaid invoice, switches to Pro (the prorated difference waits for the next invoice),
  opens the invoice, downloads its PDF (a PDF carrying the invoice's number) and pays it
  by card on the test-mode provider's page; the invoice then reads Paid;
- Spa Al Waha's invoice is unpaid long past its due date: its back office shows the
  banner, a write (saving the settings) is refused with the message and the banner,
  the banner links to the invoice; a guest still books that salon on the marketplace.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.conftest import screenshot
from e2e.journeys.conftest import office_menu, sign_in, t
from e2e.journeys.wizard import TEST_CARD_OK, Clicks, card

pytestmark = pytest.mark.browser

PAYERS = {
    "en": ("owner@solibook.demo", "ongles-sens"),
    "ru": ("owner.moscow@solibook.demo", "boroda"),
}


def desktop(browser):
    return browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_owner_upgrades_and_pays_the_invoice_by_card(browser, demo_site, lang):
    email, slug = PAYERS[lang]
    context = desktop(browser)
    page = context.new_page()
    try:
        sign_in(page, demo_site, lang, email)
        page.goto(demo_site.page_url(lang, f"office/{slug}/"))
        office_menu(page, lang, "Billing", "Business")
        expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Billing"))
        expect(page.get_by_test_id("current-plan")).to_contain_text(t(lang, "Starter"))

        pro = t(lang, "Pro")
        page.get_by_role("button", name=t(lang, "Switch to %(plan)s", plan=pro)).click()
        page.wait_for_load_state()
        expect(page.locator(".alert-success")).to_contain_text(
            t(lang, "Your plan is now %(plan)s.", plan=pro)
        )
        expect(page.get_by_test_id("current-plan")).to_contain_text(pro)
        expect(page.locator("#upcoming li")).not_to_have_count(0)  # the prorated difference
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366

        unpaid = page.locator("#invoices tbody tr", has_text=t(lang, "Unpaid")).first
        number = unpaid.get_by_role("link").first.inner_text().strip()
        assert re.fullmatch(r"INV-\d{4}-\d{6}", number), number
        unpaid.get_by_role("link").first.click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            t(lang, "Invoice %(number)s", number=number)
        )
        expect(page.locator("#invoice-lines")).to_contain_text(t(lang, "Total excluding VAT"))

        with page.expect_download() as download:
            page.get_by_role("link", name=t(lang, "Download PDF")).click()
        pdf = download.value
        assert number in pdf.suggested_filename
        content = Path(pdf.path()).read_bytes()
        assert content.startswith(b"%PDF") and number.encode() in content

        page.get_by_role("button", name=re.compile(re.escape(t(lang, "Pay by card")))).click()
        page.wait_for_load_state()
        card(Clicks(page), lang, TEST_CARD_OK)
        page.wait_for_load_state()
        expect(page.locator(".alert-success")).to_contain_text(
            t(lang, "Thank you: invoice %(number)s is paid.", number=number)
        )
        expect(page.get_by_test_id("invoice-status")).to_have_text(t(lang, "Paid"))
        screenshot(page, f"journey-salon-pays-its-invoice-{lang}")
    finally:
        context.close()
