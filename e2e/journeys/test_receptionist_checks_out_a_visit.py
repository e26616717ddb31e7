"""Journey (issue #15, points 2 and 6): the front desk checks a visit out and
refunds a returned product by line.

On a desktop (1366×768), in English and in Russian, through pages only: the
receptionist of Atelier Lumière opens the till (Payments), sees today's
visits first, checks out the visit of a client booked at the desk today
(solibook/demo/till.py, one client per language) with the €28 shampoo and a
€5 tip, paid part in cash and the rest by card, and sees the receipt. A
second tab opened on the same visit before the charge is refused when it
charges too. The owner then refunds the shampoo by line: the page shows the
order the tenders are paid back in, the card gets €28 back (nothing from the
service or the tip), and the payments page lists the refund.
Prints the clicks and seconds of the checkout.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import office_menu, sign_in, t
from solibook.testing.races import stopwatch

pytestmark = pytest.mark.browser

SALON = "Atelier Lumière"
RECEPTION = "reception@solibook.demo"
OWNER = "owner@solibook.demo"
CLIENT = {"en": "Camille Roux", "ru": "Анна Соколова"}
PRODUCT = "Shampoing Lumière 250 ml"
CASH = "20"


def open_salon(page, site, lang: str, email: str) -> None:
    sign_in(page, site, lang, email)
    page.goto(site.page_url(lang, "accounts/"))
    page.get_by_role("link", name=SALON, exact=True).click()
    page.wait_for_load_state()


def till_row(page, lang: str):
    """The till (Payments): today's visits come first; the demo client's row."""
    office_menu(page, lang, "Payments")
    expect(page.get_by_role("heading", name=t(lang, "Till"), level=1)).to_be_visible()
    groups = page.locator("[data-till]")
    expect(groups.first).to_have_attribute("data-till", "today")
    row = page.locator("li[data-visit]", has_text=CLIENT[lang])
    expect(row).to_have_count(1)
    return row


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_receptionist_checks_out_a_visit(browser, demo_site, lang):
    desk = browser.new_context(viewport={"width": 1366, "height": 768})
    owner = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = desk.new_page()
        open_salon(page, demo_site, lang, RECEPTION)
        row = till_row(page, lang)
        # The demo books the client today whenever a location is open today.
        today = page.locator('[data-till="today"]')
        if today.locator("li[data-visit]").count():
            expect(today.locator("li[data-visit]", has_text=CLIENT[lang])).to_have_count(1)
        screenshot(page, f"journey-till-today-{lang}")

        clicks = 0
        with stopwatch() as took:
            row.get_by_role("link", name=t(lang, "Check out")).click()
            clicks += 1
            page.wait_for_load_state()
            # Opened from the visit: its service, master and price are there, ready to charge.
            quote = page.locator("#quote-title").locator("xpath=..")
            expect(quote).to_be_visible()
            expect(page.get_by_role("button", name=t(lang, "Charge"))).to_be_visible()
            till_url = page.url

            # A second tab on the same visit (another receptionist, or a double click).
            other = desk.new_page()
            other.goto(till_url)  # the same link, opened in a new tab
            expect(other.get_by_role("button", name=t(lang, "Charge"))).to_be_visible()

            page.get_by_label(t(lang, "Product")).first.select_option(label=PRODUCT)
            clicks += 1
            page.locator("input[name^='tip_']").first.fill("5")
            page.get_by_role("button", name=t(lang, "Price it")).click()
            clicks += 1
            page.wait_for_load_state()
            expect(page.locator("#quote-title").locator("xpath=..")).to_contain_text(PRODUCT)
            page.get_by_label(t(lang, "Cash"), exact=True).fill(CASH)
            page.get_by_label(t(lang, "Card"), exact=True).dblclick()  # the rest by card
            clicks += 1
            expect(page.locator("#split-status")).to_have_text(
                t(lang, "The payments add up to the total.")
            )
            page.get_by_role("button", name=t(lang, "Charge")).click()
            clicks += 1
            page.wait_for_load_state()
            expect(page.get_by_role("status").first).to_contain_text(
                re.sub(r"%\(number\)s.*", "", t(lang, "Paid: receipt %(number)s."))
            )
            heading = page.get_by_role("heading", level=1).inner_text()
            number = re.search(r"\d{4}-\d{6}", heading).group(0)
            page.get_by_role("link", name=t(lang, "Receipt"), exact=True).click()
            clicks += 1
            page.wait_for_load_state()
            receipt = page.locator("main")
            expect(receipt).to_contain_text(PRODUCT)
            expect(receipt).to_contain_text(t(lang, "Cash"))
            expect(receipt).to_contain_text(t(lang, "Card"))
            seconds = took()
        print(
            f"\n[{lang}] checkout of a visit with a product, a tip and cash + card: "
            f"{clicks} clicks (plus 2 amounts typed), {seconds:.1f} s"
        )
        screenshot(page, f"journey-till-receipt-{lang}")

        # The second tab charges the same visit: refused, in the page's language.
        other.get_by_label(t(lang, "Cash"), exact=True).dblclick()
        other.get_by_role("button", name=t(lang, "Charge")).click()
        other.wait_for_load_state()
        expect(other.locator("body")).to_contain_text(
            t(lang, "This visit has already been checked out.")
        )
        # …and the visit has left the till's list.
        office_menu(other, lang, "Payments")
        expect(other.locator("li[data-visit]", has_text=CLIENT[lang])).to_have_count(0)

        # The owner refunds the shampoo by line.
        boss = owner.new_page()
        open_salon(boss, demo_site, lang, OWNER)
        office_menu(boss, lang, "Payments")
        boss.get_by_role("link", name=number, exact=True).click()
        boss.wait_for_load_state()
        boss.get_by_role("link", name=t(lang, "Refund by line")).click()
        boss.wait_for_load_state()
        order = boss.locator("#refund-order")
        expect(order).to_contain_text(t(lang, "Card"))
        expect(order).to_contain_text(t(lang, "Cash"))
        assert order.inner_text().index(t(lang, "Card")) < order.inner_text().index(t(lang, "Cash"))
        units = boss.get_by_label(t(lang, "Units of “%(item)s” to refund", item=PRODUCT))
        units.fill("2")  # more than was sold: refused, nothing written
        boss.get_by_label(t(lang, "Reason")).select_option(label=t(lang, "Client's request"))
        boss.get_by_role("button", name=t(lang, "Refund"), exact=True).click()
        boss.wait_for_load_state()
        expect(boss.locator("body")).to_contain_text(PRODUCT)
        expect(boss.locator(".invalid-feedback").first).to_be_visible()
        violations = run_axe(boss)
        assert not violations, violations
        screenshot(boss, f"journey-refund-by-line-{lang}")
        boss.get_by_label(t(lang, "Units of “%(item)s” to refund", item=PRODUCT)).fill("1")
        boss.get_by_label(t(lang, "Reason")).select_option(label=t(lang, "Client's request"))
        boss.get_by_role("button", name=t(lang, "Refund"), exact=True).click()
        boss.wait_for_load_state()
        expect(boss.get_by_role("status").first).to_contain_text(
            re.sub(r"\s*%\(amount\)s.*", "", t(lang, "Refunded %(amount)s.")).strip()
        )
        boss.get_by_role("link", name=t(lang, "Payments and refunds")).click()
        boss.wait_for_load_state()
        refunds = boss.locator("#refunds")
        expect(refunds.locator("li").first).to_contain_text(t(lang, "Card"))
        expect(refunds.locator("li").first).to_contain_text("28")
        screenshot(boss, f"journey-refund-listed-{lang}")
    finally:
        desk.close()
        owner.close()
