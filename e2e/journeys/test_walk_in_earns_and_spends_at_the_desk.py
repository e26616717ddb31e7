"""Journey (issue #15, point 3): one client card, however the person came.

On a desktop (1366×768), in English and in Russian, through pages only: the
receptionist of Atelier Lumière (loyalty on: 1 point per euro, a point is worth
€0.10) finds a walk-in — a card with no online account, holding 200 points
from a visit paid at the desk — opens the card, checks the next visit out from
its history, pays €10 of it with 100 points and the rest in cash; the card then
shows the points left plus those the cash part earned, and its history says
what happened. Then a friend Emma referred, whose link gave her a €10 voucher,
has her visit checked out at the desk with the voucher and cash; her card shows
the voucher used.

The demo (solibook/demo/rewards.py) seeds one walk-in and one referred friend
per language, each with a visit to check out.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import office_menu, sign_in, t

pytestmark = pytest.mark.browser

SALON = "Atelier Lumière"
RECEPTION = "reception@solibook.demo"
WALK_IN = {"en": "Inès Garnier", "ru": "Ольга Лебедева"}
FRIEND = {"en": "Élodie Fabre", "ru": "Мария Орлова"}
HELD = 200  # points the demo walk-in holds
SPENT = 100  # points redeemed at the desk: €10.00
POINT_VALUE = 10  # cents


def open_card(page, lang: str, name: str) -> None:
    """Clients, find the person by name, open their card."""
    office_menu(page, lang, "Clients")
    page.get_by_label(t(lang, "Find a client (name, phone or e-mail)")).fill(name)
    page.get_by_label(t(lang, "Find a client (name, phone or e-mail)")).press("Enter")
    page.wait_for_load_state()
    page.locator("#client-rows").get_by_role("link", name=name).first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def to_pay(page) -> int:
    """What the till asks, in cents, once priced."""
    value = page.locator("#checkout-form").get_attribute("data-to-pay")
    assert value, "the till did not price the visit"
    return int(value)


def charge(page, lang: str, **fields) -> None:
    """Fill the ways of paying (labels in the page's language), price, charge."""
    for label, value in fields.items():
        page.get_by_label(t(lang, label), exact=True).fill(value)
    page.get_by_role("button", name=t(lang, "Price it")).click()
    page.wait_for_load_state()
    page.get_by_role("button", name=t(lang, "Charge")).click()
    page.wait_for_load_state()
    expect(page.get_by_role("status").first).to_contain_text(
        re.sub(r"%\(number\)s.*", "", t(lang, "Paid: receipt %(number)s."))
    )


def euros(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_walk_in_earns_and_spends_at_the_desk(browser, demo_site, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        sign_in(page, demo_site, lang, RECEPTION)
        page.goto(demo_site.page_url(lang, "accounts/"))
        page.get_by_role("link", name=SALON, exact=True).click()
        page.wait_for_load_state()

        # The walk-in's card: 200 points, no account; the next visit is checked out from it.
        open_card(page, lang, WALK_IN[lang])
        expect(page.get_by_test_id("card-points")).to_have_text(str(HELD))
        screenshot(page, f"journey-walk-in-card-before-{lang}")
        page.get_by_test_id("card-check-out").first.click()
        page.wait_for_load_state()
        rewards = page.locator("#card-rewards")
        expect(rewards).to_contain_text(str(HELD))
        page.get_by_label(t(lang, "Loyalty points to redeem")).fill(str(SPENT))
        page.get_by_role("button", name=t(lang, "Price it")).click()
        page.wait_for_load_state()
        cash = to_pay(page) - SPENT * POINT_VALUE
        charge(page, lang, Cash=euros(cash))

        # Back on the card: 100 left, plus a point per euro paid in cash.
        open_card(page, lang, WALK_IN[lang])
        expect(page.get_by_test_id("card-points")).to_have_text(str(HELD - SPENT + cash // 100))
        history = page.get_by_text(t(lang, "Points and credit history"))
        history.click()
        table = page.get_by_test_id("card-points-history")
        expect(table).to_contain_text(t(lang, "Redeemed"))
        expect(table).to_contain_text(t(lang, "Earned for a visit"))
        violations = run_axe(page)
        assert not violations, violations
        screenshot(page, f"journey-walk-in-card-after-{lang}")

        # The referred friend's €10 voucher, redeemed at the desk.
        open_card(page, lang, FRIEND[lang])
        expect(page.get_by_test_id("card-vouchers")).to_have_text("1")
        page.get_by_test_id("card-check-out").first.click()
        page.wait_for_load_state()
        page.get_by_label(t(lang, "Referral voucher"), exact=True).select_option(index=1)
        page.get_by_label(t(lang, "Paid with the voucher")).fill("10")
        page.get_by_role("button", name=t(lang, "Price it")).click()
        page.wait_for_load_state()
        charge(page, lang, Cash=euros(to_pay(page) - 1000))
        open_card(page, lang, FRIEND[lang])
        expect(page.get_by_test_id("card-vouchers")).to_have_text("0")
        expect(page.get_by_test_id("card-voucher-list")).to_contain_text(
            t(lang, "used on %(date)s", date="")
        )
        screenshot(page, f"journey-friend-voucher-used-{lang}")
    finally:
        context.close()
