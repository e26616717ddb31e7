"""Journey: a guest books at a salon that asks for a deposit and pays it
online (issue #14, point 1), on a phone, in en, fr, ru and ar, through pages
only on the demo `make run` serves.

No account: the guest finds the salon from its city page, sees the deposit
in its policies, chooses a service and a time, verifies an e-mail or phone
with the code read in the demo inbox, and reaches the payment step, which
says the amount, that it is a deposit (the rest paid at the salon) and the
refund rule. The first card is declined (said in the guest's language); the
second asks for 3-D Secure, which the guest completes. The visit is booked
and paid. The back button and the payment step opened again show the paid
visit and charge nothing more.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import LANGUAGES, t
from e2e.journeys.inbox import latest_link
from e2e.journeys.wizard import (
    TEST_CARD_3DS,
    TEST_CARD_DECLINED,
    Clicks,
    booked,
    card,
    choose_a_time,
    choose_first_service,
    confirm,
    deposit_shown,
    verify_as_guest,
)

pytestmark = pytest.mark.browser

# Each language its own deposit salon, guest and day: the demo is shared by every journey.
SALONS = {
    "en": ("riyadh", "spa-al-waha"),
    "fr": ("paris", "atelier-lumiere"),
    "ru": ("lyon", "spa-des-canuts"),
    "ar": ("riyadh", "lamsat-ward"),
}
GUESTS = {
    "en": "deposit.guest.en@example.test",
    "fr": "deposit.guest.fr@example.test",
    "ru": "+7 916 700 14 03",
    "ar": "+966 55 700 1404",
}
PERCENT = {"spa-al-waha": 20, "spa-des-canuts": 30}  # the others ask a fixed amount
DAYS_AHEAD = {"en": 3, "fr": 4, "ru": 5, "ar": 6}


def first_part(lang: str, message: str) -> str:
    """The words of a translated message before its first %(value)s."""
    return t(lang, message).split("%(")[0].strip()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_guest_pays_the_deposit_after_a_declined_card_and_3d_secure(demo_site, phone_page, lang):
    page = phone_page
    city, slug = SALONS[lang]
    page.goto(demo_site.page_url(lang, f"in/{city}/"))
    # The city page's links carry where the client came from (?via=search) to the salon.
    page.locator(
        f"a[href='/{lang}/salons/{slug}/'], a[href^='/{lang}/salons/{slug}/?'],"
        f" a[href^='/{lang}/salons/{slug}/#']"
    ).first.click()
    page.wait_for_load_state()
    assert page.url.split("#")[0].split("?")[0].endswith(f"/{lang}/salons/{slug}/"), page.url
    deposit = deposit_shown(page)
    if slug in PERCENT:
        assert deposit == t(lang, "Deposit: %(p)s%% of the price.", p=PERCENT[slug]), deposit
    else:
        assert deposit.startswith(t(lang, "Deposit:")) and deposit != t(lang, "No deposit.")

    clicks = Clicks(page)
    choose_first_service(clicks, lang)
    choose_a_time(clicks, skip_days=DAYS_AHEAD[lang])
    verify_as_guest(clicks, demo_site, lang, name=f"Guest {lang.upper()}", contact=GUESTS[lang])
    assert confirm(clicks, lang), "a deposit salon leads to the payment step"

    # The payment step: amount, deposit (not the full price), the refund rule.
    assert page.url.endswith("/pay/"), page.url
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    expect(page.get_by_role("heading", name=t(lang, "Pay the deposit"))).to_be_visible()
    terms = page.locator("#pay-terms")
    expect(terms).to_contain_text(t(lang, "Total price"))
    expect(terms).to_contain_text(t(lang, "Deposit to pay now"))
    amount = page.get_by_test_id("amount-due").inner_text().strip()
    assert any(ch.isdigit() for ch in amount), amount
    expect(page.locator("#pay-rest")).to_have_text(t(lang, "The rest is paid at the salon."))
    rule = page.locator("#refund-rule")
    expect(rule).to_contain_text(t(lang, "Refunds:"))
    expect(rule).to_contain_text(
        first_part(
            lang,
            "Cancel before %(until)s and the deposit comes back in full. After that, or if "
            "you do not come, %(percent)s%% of the price (%(fee)s) is kept and the rest "
            "comes back.",
        )
    )
    expect(page.locator("#pay-test-mode")).to_have_text(t(lang, "Test payments — no real money"))
    violations = run_axe(page)
    assert not violations, violations
    screenshot(page, f"journey-deposit-pay-step-{lang}")
    pay_step = page.url

    # Declined first, in the guest's language; the same card page takes another card.
    clicks.click(page.locator("#pay-button"), "pay")
    expect(page.locator("#pay-amount")).to_contain_text(amount)
    card(clicks, lang, TEST_CARD_DECLINED)
    error = page.locator("#card-error")
    expect(error).to_contain_text(t(lang, "Your card was declined."))
    expect(error).to_contain_text(t(lang, "Please try again."))
    screenshot(page, f"journey-deposit-declined-{lang}")

    # Then the 3-D Secure card: the bank's page, Complete.
    card(clicks, lang, TEST_CARD_3DS)
    expect(
        page.get_by_role("heading", name=t(lang, "Confirm the payment with your bank"))
    ).to_be_visible()
    clicks.click(page.get_by_role("button", name=t(lang, "Complete")), "3-D Secure complete")

    booked(page, lang)
    paid = page.locator("#paid-online")
    expect(paid).to_contain_text(
        first_part(lang, "Paid online: %(amount)s. The rest is paid at the salon.")
    )
    expect(paid).to_contain_text(amount)
    expect(paid).to_contain_text(t(lang, "Test payments — no real money"))
    screenshot(page, f"journey-deposit-paid-{lang}")
    paid_text = paid.inner_text()

    # The back button, and the payment step opened again: the paid visit, nothing more to pay.
    page.go_back()
    page.wait_for_load_state()
    booked(page, lang)
    expect(page.locator("#paid-online")).to_have_text(paid_text)
    page.goto(pay_step)
    booked(page, lang)
    expect(page.locator("#paid-online")).to_have_text(paid_text)
    expect(page.locator("#pay-button")).to_have_count(0)

    # The confirmation reaches the guest (e-mail, or SMS for a phone) in their
    # language, with the link to manage the booking.
    link = latest_link(
        page, demo_site, to=re.sub(r"\s", "", GUESTS[lang]), containing="/m/", lang=lang
    )
    assert f"/{lang}/m/" in link, link
