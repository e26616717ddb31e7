"""Journey (issue #18, points 4 and 6): a salon orders stock, through pages only.

On a desktop (1366×768), in English and in Russian, the owner of Atelier Lumière:

1. raises the repair mask's minimum at the Marais above what is on the shelf (the
   demo's own alert, the developer at the Batignolles, is left to the stock
   keeper's journey), opens Catalogue → Reorder and sees the mask's low-stock
   alert with the packs to order and why;
2. turns that suggestion into a draft order in one click (one per supplier), and
   sends it; the supplier writes in French, so the e-mail in the demo inbox is
   a French "Bon de commande" with its PDF;
3. reads the mask's stock at the Marais on the stock page;
4. receives the order: more than ordered is refused with the packs that remain,
   then one pack, then the rest; the order is received;
5. sees the stock page at the Marais grown by what arrived (500 ml a pot) and
   the stock's value grown with it.

The demo is shared by the journeys of a worker: every figure is read before
and compared after, never assumed.
"""

import re
import time
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import office_menu, sign_in, t
from e2e.journeys.inbox import inbox_url

pytestmark = pytest.mark.browser

SALON = "Atelier Lumière"
MARAIS = "Atelier Lumière Marais"
OWNER = "owner@solibook.demo"
MASK = "Repair mask"  # in 500 ml pots from Beauté Pro (solibook/demo/purchasing.py)
SHOWN = {"en": "Repair mask", "ru": "Восстанавливающая маска"}
SUPPLIER_EMAIL = "commandes@beautepro.example"  # Beauté Pro Distribution writes in French
POT_ML = Decimal(500)
SHORT_ML = Decimal(1200)  # the minimum is set this far above the shelf


def number(text: str) -> Decimal:
    digits = "".join(ch for ch in text if ch.isdigit() or ch in ",.-")
    return Decimal(digits.replace(",", "."))


def stock_row(page, lang: str):
    office_menu(page, lang, "Stock", group="Catalogue")
    page.get_by_label(t(lang, "Location")).select_option(label=MARAIS)
    page.get_by_role("button", name=t(lang, "Show")).click()
    page.wait_for_load_state()
    row = page.locator(f'tr[data-product="{MASK}"]')
    expect(row).to_have_count(1)
    return row


def on_hand(page, lang: str) -> Decimal:
    return number(stock_row(page, lang).locator(".on-hand").inner_text().split(" ")[0])


def stock_value(page, lang: str) -> Decimal:
    """The location's stock value at the top of the stock page, as a number."""
    line = page.locator("p", has=page.locator("strong", has_text=t(lang, "Stock value")))
    money = line.inner_text().split(":", 1)[1].split("(")[0]
    digits = "".join(ch for ch in money if ch.isdigit() or ch in ",.")
    return Decimal(digits.replace(",", "") if lang == "en" else digits.replace(",", "."))


def read_inbox(page, site, *, lang: str, label: str) -> str:
    """The text of the newest e-mail to the supplier naming `label`."""
    tab = page.context.new_page()
    try:
        tab.goto(inbox_url(site, to=SUPPLIER_EMAIL, lang=lang))
        deadline = time.monotonic() + 30
        while True:
            message = tab.locator(".inbox-message", has_text=label)
            if message.count():
                return message.first.inner_text()
            assert time.monotonic() < deadline, f"no e-mail of {label} in the demo inbox"
            time.sleep(1)
            tab.reload()
    finally:
        tab.close()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_salon_orders_stock(browser, demo_site, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        sign_in(page, demo_site, lang, OWNER)
        page.goto(demo_site.page_url(lang, "accounts/"))
        page.get_by_role("link", name=SALON, exact=True).click()
        page.wait_for_load_state()

        # 1. A minimum above the shelf, then the alert and the suggestion, with its reasons.
        shelf = on_hand(page, lang)
        form = page.locator(
            "form", has=page.get_by_role("button", name=t(lang, "Save the minimum"))
        )
        # The record-stock form beside it has fields of the same ids: pick by name here.
        form.locator("select[name=product]").select_option(label=SHOWN[lang])
        form.locator("input[name=minimum]").fill(str(shelf + SHORT_ML))
        form.get_by_role("button", name=t(lang, "Save the minimum")).click()
        page.wait_for_load_state()
        expect(page.locator("#low-stock")).to_be_visible()
        office_menu(page, lang, "Reorder", group="Catalogue")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            t(lang, "Low stock and reorder suggestions")
        )
        row = page.locator("tbody tr", has_text=SHOWN[lang]).filter(has_text=MARAIS)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(t(lang, "Low stock"))
        expect(row).to_contain_text(
            t(lang, "Below its minimum: %(on_hand)s on hand, minimum %(minimum)s.").split(":")[0]
        )
        packs = int(row.locator("input[type=number]").input_value())
        assert packs >= 1
        assert run_axe(page) == []
        screenshot(page, f"purchasing-suggestions-{lang}")

        # 2. One click: a draft for this suggestion alone; then send it.
        for other in page.locator("input[name=pick]").all():
            if other.is_checked():
                other.uncheck()
        row.locator("input[name=pick]").check()
        page.get_by_role("button", name=t(lang, "Make draft orders (one per supplier)")).click()
        page.wait_for_load_state()
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_contain_text("PO-")
        label = re.search(r"PO-\d+", heading.inner_text()).group(0)
        expect(page.locator("tbody")).to_contain_text(SHOWN[lang])
        page.get_by_role("button", name=t(lang, "Send to the supplier")).click()
        page.wait_for_load_state()
        expect(page.get_by_text(SUPPLIER_EMAIL).first).to_be_visible()
        mail = read_inbox(page, demo_site, lang=lang, label=label)
        assert f"Bon de commande {label}" in mail, mail
        order_url = page.url

        # 3. The stock before the delivery.
        before = on_hand(page, lang)
        value_before = stock_value(page, lang)

        # 4. Receive: too many is refused, then one pack, then the rest.
        page.goto(order_url)
        field = page.get_by_label(re.compile(re.escape(SHOWN[lang])))
        field.fill(str(packs + 5))
        page.get_by_role("button", name=t(lang, "Receive"), exact=True).click()
        page.wait_for_load_state()
        expect(page.locator(".invalid-feedback")).to_contain_text(str(packs))
        assert on_hand_unchanged(page, lang, before, order_url)
        if packs > 1:
            page.get_by_label(re.compile(re.escape(SHOWN[lang]))).fill("1")
            page.get_by_role("button", name=t(lang, "Receive"), exact=True).click()
            page.wait_for_load_state()
            expect(page.get_by_text(t(lang, "Partly received")).first).to_be_visible()
        page.get_by_role("button", name=t(lang, "Receive"), exact=True).click()  # the rest
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text(
            t(lang, "Received")
        )
        assert run_axe(page) == []
        screenshot(page, f"purchasing-received-{lang}")

        # 5. The stock and its value, grown by what arrived.
        after = on_hand(page, lang)
        assert after - before == packs * POT_ML, (before, after, packs)
        assert stock_value(page, lang) > value_before
    finally:
        context.close()


def on_hand_unchanged(page, lang: str, before: Decimal, order_url: str) -> bool:
    """A refused delivery wrote nothing: the shelf reads the same."""
    now = on_hand(page, lang)
    page.goto(order_url)
    return now == before
