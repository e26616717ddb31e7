"""Journey: what the client sees on the salon page is what is charged (issue #14, point 7).

At «Жемчуг на Патриарших» a women's haircut costs 3 500 ₽, or 4 500 ₽ with
Екатерина Иванова (her own price). On a phone, in each language, a signed-in
demo client opens the salon page and sees the cut "from 3 500 ₽", taps its
Book button (the wizard opens with the cut chosen), chooses Екатерина, sees
her price on the time step and on the time she picks, and the confirm step's
total, the done page and the visit in her account all say 4 500 ₽. Before
this fix the wizard showed 3 500 ₽ until the time was chosen, then charged
4 500 ₽.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import sign_in, t
from e2e.journeys.wizard import Clicks, booked
from solibook.core.money import format_money

pytestmark = pytest.mark.browser

SALON = "zhemchug"
SERVICE = "Женская стрижка"
MASTER = "Екатерина Иванова"
BASE, HERS = 350000, 450000  # kopecks: the salon's price, Екатерина's own

# Who books, and which of the seven days the time step shows first (0 is
# today): a different day per language, so each takes its own time.
CLIENTS = {
    "en": ("client@solibook.demo", 3),
    "fr": ("client@solibook.demo", 4),
    "ru": ("client.moscow@solibook.demo", 5),
    "ar": ("client.riyadh@solibook.demo", 6),
}


def money(amount: int, lang: str) -> str:
    return format_money(amount, "RUB", lang)


def pick_a_time_with_its_price(clicks: Clicks, skip_days: int) -> tuple[str, str]:
    """A day `skip_days` ahead (or the next with free times), its last time.
    Returns (time shown, price shown on that time's button)."""
    page = clicks.page
    index = skip_days
    while True:
        days = page.locator("#slot-picker nav a:not([aria-label])")
        assert days.count() > index, "no day with free time in the week shown"
        day = days.nth(index).get_attribute("href").rsplit("date=", 1)[1]
        clicks.click(days.nth(index), "day")
        current = page.locator("#slot-picker nav a[aria-current=date]")
        expect(current).to_have_attribute("href", re.compile(f"date={day}$"))
        slots = page.locator("#slot-picker button.slot")
        if slots.count():
            break
        index = 1  # the week now starts on that day: try the next one
    slot = slots.last
    label, price = (
        slot.locator(".fw-semibold").inner_text(),
        slot.locator(".slot-price").inner_text(),
    )
    clicks.click(slot, "time")
    return label, price.strip()


@pytest.mark.parametrize("lang", ["en", "fr", "ru", "ar"])
def test_the_price_shown_before_and_after_choosing_is_the_price_charged(
    phone_page, demo_site, lang
):
    page = phone_page
    email, skip_days = CLIENTS[lang]
    sign_in(page, demo_site, lang, email)

    page.goto(demo_site.page_url(lang, f"salons/{SALON}/"))
    assert run_axe(page) == []
    # Nothing wider than the phone: in Arabic a long "from" price once pushed
    # the Book buttons past the card's edge and under the chat button.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    row = page.locator(".service-item", has_text=SERVICE)
    expect(row.locator(".service-price")).to_have_text(
        t(lang, "from %(price)s", price=money(BASE, lang))
    )
    screenshot(page, f"journey-salon-from-price-{lang}")

    clicks = Clicks(page)
    clicks.click(row.locator("a.book-service"), "book the cut")
    service_box = page.locator("#wizard-services input[name=service]:checked")
    expect(service_box).to_have_count(1)  # the cut, and only the cut, is chosen
    choice = page.locator("#wizard-services select.master-choice").first
    choice.select_option(label=MASTER)
    clicks.click(page.get_by_role("button", name=t(lang, "Choose a time")), "choose a time")

    chosen = page.locator(".chosen-service")
    expect(chosen).to_contain_text(MASTER)
    expect(chosen).to_contain_text(money(HERS, lang))
    label, slot_price = pick_a_time_with_its_price(clicks, skip_days)
    assert slot_price == money(HERS, lang)

    expect(page.locator("#confirm-button")).to_have_text(t(lang, "Confirm booking"))
    expect(page.get_by_test_id("total")).to_have_text(money(HERS, lang))
    clicks.click(page.locator("#confirm-button"), "confirm")
    booked(page, lang)
    expect(page.get_by_test_id("total")).to_have_text(money(HERS, lang))

    page.goto(demo_site.page_url(lang, "me/"))
    visit = page.locator("article.visit", has_text=label).filter(has_text=MASTER).first
    expect(visit.locator(".visit-total")).to_have_text(money(HERS, lang))
    screenshot(page, f"journey-visit-charged-{lang}")
