"""Journey (issue #15, point 4): a gift card sold at the till, its code read
from the sale page, sent to the recipient by e-mail and read in the demo
inbox, redeemed at the till for another client after a lookup by code, too
much refused, and the balance checked by the holder on the public page.

On a desktop (1366×768), in English and in Russian, through pages only: the
receptionist of Atelier Lumière sells a €50 gift card (New sale); the sale
page shows the full code once, with its PDF and a form that sends it; the
message reaches the recipient's inbox with the code. At the till the code is
looked up (balance €50, the code masked), a €28 product is paid with it,
a second €28 is refused (only €22 left) and nothing is charged; the holder's
balance page says €22.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from e2e.conftest import screenshot
from e2e.journeys.conftest import office_menu, sign_in, t
from e2e.journeys.inbox import inbox_url

pytestmark = pytest.mark.browser

SALON = "Atelier Lumière"
RECEPTION = "reception@solibook.demo"
PRODUCT = "Shampoing Lumière 250 ml"
RECIPIENT = {"en": "zoe.gift@example.test", "ru": "masha.gift@example.test"}
CODE = re.compile(r"[A-HJ-NP-Z2-9]{4}(?:-[A-HJ-NP-Z2-9]{4}){3}")


def first(text: str) -> str:
    return re.split(r"%\(|\{\{", text)[0].strip()


def open_salon(page, site, lang: str) -> None:
    sign_in(page, site, lang, RECEPTION)
    page.goto(site.page_url(lang, "accounts/"))
    page.get_by_role("link", name=SALON, exact=True).click()
    page.wait_for_load_state()


def new_sale(page, lang: str) -> None:
    office_menu(page, lang, "Payments")
    page.get_by_role("link", name=t(lang, "New sale"), exact=True).first.click()
    page.wait_for_load_state()


def message_with(page, site, *, to: str, containing: str, timeout: float = 40) -> str:
    """The text of the newest message to `to` in the demo inbox that contains `containing`."""
    tab = page.context.new_page()
    try:
        tab.goto(inbox_url(site, to=to))
        deadline = time.monotonic() + timeout
        while True:
            for message in tab.locator(".inbox-message").all():
                text = message.inner_text()
                if containing in text:
                    return text
            assert time.monotonic() < deadline, f"no message to {to} with {containing}"
            time.sleep(1)
            tab.reload()
    finally:
        tab.close()


def pay_product_with_the_card(page, lang: str, code: str) -> None:
    new_sale(page, lang)
    page.get_by_label(t(lang, "Product")).first.select_option(label=PRODUCT)
    page.get_by_role("button", name=t(lang, "Price it")).click()
    page.wait_for_load_state()
    page.get_by_label(t(lang, "Gift card"), exact=True).fill("28")
    page.get_by_label(t(lang, "Gift card code")).fill(code.lower().replace("-", " "))
    page.get_by_role("button", name=t(lang, "Charge")).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_gift_card_sold_and_redeemed(browser, demo_site, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        open_salon(page, demo_site, lang)

        # Sold at the till: the sale page shows the full code, once.
        new_sale(page, lang)
        page.get_by_label(t(lang, "Sell a gift card of")).fill("50")
        page.get_by_label(t(lang, "Gift card for")).fill("Zoé")
        page.get_by_role("button", name=t(lang, "Price it")).click()
        page.wait_for_load_state()
        page.get_by_label(t(lang, "Card"), exact=True).fill("50")
        page.get_by_role("button", name=t(lang, "Charge")).click()
        page.wait_for_load_state()
        shown = page.locator(".gift-card-code")
        expect(shown).to_have_count(1)
        code = shown.inner_text().strip()
        assert CODE.fullmatch(code), code
        pdf = page.get_by_role("link", name=t(lang, "Print the gift card (PDF)"))
        answer = page.request.get(demo_site.url + pdf.get_attribute("href"))
        assert answer.ok and answer.body().startswith(b"%PDF")
        screenshot(page, f"journey-gift-card-sold-{lang}")

        # Sent to the recipient by e-mail, in the recipient's language.
        form = page.locator(
            "form", has=page.get_by_role("button", name=t(lang, "Send the gift card"))
        )
        form.get_by_label(t(lang, "Recipient's e-mail or phone")).fill(RECIPIENT[lang])
        form.get_by_label(t(lang, "Language of the message")).select_option(lang)
        form.get_by_role("button", name=t(lang, "Send the gift card")).click()
        page.wait_for_load_state()
        expect(page.get_by_role("status").first).to_contain_text(
            first(t(lang, "Gift card sent to %(to)s."))
        )
        text = message_with(page, demo_site, to=RECIPIENT[lang], containing=code)
        assert first(t(lang, "Your code: %(code)s")) in text

        # Elsewhere the code is masked: the list shows its last four only.
        office_menu(page, lang, "Payments")
        page.get_by_role("link", name=t(lang, "Gift cards"), exact=True).first.click()
        page.wait_for_load_state()
        expect(page.locator("main")).not_to_contain_text(code)
        expect(page.locator("main")).to_contain_text("…" + code[-4:])

        # Another client pays at the till: the code looked up, then spent.
        page.get_by_label(t(lang, "Gift card code")).fill(code)
        page.get_by_role("button", name=t(lang, "Check the balance")).click()
        page.wait_for_load_state()
        expect(page.locator(".gift-card-found")).to_contain_text("50")
        expect(page.locator(".gift-card-found")).not_to_contain_text(code)
        pay_product_with_the_card(page, lang, code)
        expect(page.get_by_role("status").first).to_contain_text(
            first(t(lang, "Paid: receipt %(number)s."))
        )
        expect(page.locator("main")).to_contain_text(PRODUCT)

        # A second €28 is more than the €22 left: refused, nothing charged.
        pay_product_with_the_card(page, lang, code)
        expect(page.locator("main")).to_contain_text(
            first(t(lang, "This gift card has only %(balance)s left."))
        )
        expect(page.get_by_role("button", name=t(lang, "Charge"))).to_be_visible()
        screenshot(page, f"journey-gift-card-refused-{lang}")

        # The holder checks the balance on the public page.
        holder = context.new_page()
        holder.goto(demo_site.page_url(lang, "gift-card/"))
        holder.get_by_label(t(lang, "Gift card code")).fill(code)
        holder.get_by_role("button", name=t(lang, "Check the balance")).click()
        holder.wait_for_load_state()
        expect(holder.locator(".gift-card-left")).to_contain_text("22")
        screenshot(holder, f"journey-gift-card-balance-{lang}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    finally:
        context.close()
