"""Journey (issue #22, point 4): a Saudi salon's receipt carries its ZATCA QR code.

In Arabic, on a phone (390 px), through pages only on the demo `make run`
serves (solibook/demo/compliance.py: two walk-in sales at صالون لمسة ورد, whose
VAT number is set): the owner opens Reports › Local compliance, sees the
invoices with their counters, opens a receipt — right to left, the simplified
tax invoice's title in Arabic and the QR code drawn — downloads its UBL XML
and its PDF.
"""

import pytest
from lxml import etree
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import office_menu, sign_in, t

pytestmark = pytest.mark.browser

OWNER = "owner.riyadh@solibook.demo"
SALON = "lamsat-ward"
VAT = "310123456700003"
UBL = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"


def test_saudi_receipt_shows_its_qr_in_arabic(browser, demo_site):
    lang = "ar"
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(60_000)  # eight people on two cores
    try:
        sign_in(page, demo_site, lang, OWNER)
        page.goto(demo_site.page_url(lang, f"office/{SALON}/"))
        if page.locator(".navbar-toggler").is_visible():
            page.locator(".navbar-toggler").click()
        office_menu(page, lang, "Local compliance", group="Reports")
        expect(
            page.get_by_role("heading", name=t(lang, "ZATCA simplified tax invoices"))
        ).to_be_visible()
        expect(page.get_by_text(VAT)).to_be_visible()
        rows = page.locator("table tbody tr")
        expect(rows).to_have_count(2)
        assert not run_axe(page)

        # The XML of the newest invoice: ZATCA's simplified invoice with this salon's VAT number.
        with page.expect_download() as download:
            rows.first.get_by_role("link", name=t(lang, "UBL XML")).click()
        root = etree.parse(download.value.path()).getroot()
        assert root.tag == f"{{{UBL}}}Invoice"
        assert VAT in etree.tostring(root).decode()

        rows.first.locator("td a").first.click()
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.get_by_role("heading", name=t(lang, "Simplified tax invoice"))).to_be_visible()
        qr = page.get_by_role("img", name=t(lang, "ZATCA QR code of this invoice"))
        expect(qr).to_be_visible()
        assert qr.get_attribute("src").startswith("data:image/svg+xml")
        screenshot(page, "saudi-receipt-zatca-ar")
        assert not run_axe(page)
        pdf = page.request.get(page.url.replace("/receipt/", "/receipt.pdf"))
        assert pdf.ok and pdf.body().startswith(b"%PDF")
        assert b"/Subtype /Image" in pdf.body()
    finally:
        context.close()
