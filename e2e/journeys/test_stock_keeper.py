"""Journey (issue #18): the stock keeper's loop at Atelier Lumière, through pages only.

On a desktop (1366×768), in English and in Russian, the owner:

1. reads the Marais salon's stock (Catalogue → Stock): the colour cream's
   quantity on hand, and the Batignolles salon's low-stock alert (the demo's
   developer is below its minimum);
2. books a root colouring with Léa from the calendar, checks the client in and
   out (paid by card), which completes the visit;
3. sees the colouring's 60 ml of colour cream written off at the Marais (the
   stock is 60 ml lower, the movements list the use in a service);
4. counts the shelf: a stock-take at the Marais, the heat-protection spray
   scanned three times (a scanner types its EAN-13 and Enter), the colour cream
   counted by hand 10 ml short; booking the count writes the differences as
   adjustments, and the stock page then shows exactly what was counted.

The demo is shared by the journeys of a worker: every figure is read before
and compared after, never assumed.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import office_menu, sign_in, t

pytestmark = pytest.mark.browser

SALON = "Atelier Lumière"
MARAIS = "Atelier Lumière Marais"
BATIGNOLLES = "Atelier Lumière Batignolles"
ZONE = ZoneInfo("Europe/Paris")
OWNER = "owner@solibook.demo"
LEA = "Léa Martin"
COLOUR = "Coloration racines"
DYE = "Colour cream 6.0"  # 60 ml a colouring (solibook/demo/stock.py)
DEVELOPER = "Developer 6 %"  # below its minimum at Batignolles
SPRAY = "Heat protection spray"
SPRAY_EAN = "3760123450041"
DISPLAY = {
    "en": {DYE: "Colour cream 6.0", SPRAY: "Heat protection spray", DEVELOPER: "Developer 6 %"},
    "ru": {DYE: "Крем-краска 6.0", SPRAY: "Термозащитный спрей", DEVELOPER: "Оксидант 6 %"},
}
SURNAME = {"en": ("Stockley", "Shelf", "Tint"), "ru": ("Складова", "Полкина", "Краскина")}


def quantity(text: str) -> Decimal:
    """'1140' / '12,5' (as the page writes it in the reader's language) → Decimal."""
    digits = "".join(ch for ch in text if ch.isdigit() or ch in ",.-")
    return Decimal(digits.replace(",", "."))


def person_name(lang: str) -> str:
    """The label of a person's name (context 'person')."""
    with translation.override(lang):
        return translation.pgettext("person", "Name")


def stock_of(page, lang: str, product: str) -> Decimal:
    row = page.locator(f'tr[data-product="{product}"]')
    expect(row).to_have_count(1)
    return quantity(row.locator(".on-hand").inner_text().split(" ")[0])


def stock_page(page, lang: str, place: str) -> None:
    office_menu(page, lang, "Stock", group="Catalogue")
    expect(page.get_by_role("heading", level=1)).to_contain_text(t(lang, "Stock"))
    page.get_by_label(t(lang, "Location")).select_option(label=place)
    page.get_by_role("button", name=t(lang, "Show")).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text(place)


def book_colouring(page, lang: str, name: str, phone: str) -> str:
    """Book the colouring with Léa from the calendar; the day it landed on."""
    office_menu(page, lang, "Calendar")
    page.get_by_label(t(lang, "Location")).select_option(label=MARAIS)
    page.wait_for_load_state()
    expect(page.locator("#calendar .ec-body")).to_be_visible(timeout=15_000)
    soon = datetime.now(ZONE) + timedelta(minutes=20)
    start = soon.replace(minute=soon.minute // 15 * 15, second=0, microsecond=0)
    modal = page.locator("#booking-modal")
    page.get_by_role("button", name=t(lang, "New appointment")).click()
    expect(modal).to_be_visible()
    page.locator("#booking-date").fill(start.date().isoformat())
    page.locator("#booking-time").fill(start.strftime("%H:%M"))
    page.locator("#booking-master").select_option(label=LEA)
    page.locator("#booking-service").select_option(label=COLOUR)
    modal.get_by_label(person_name(lang), exact=True).fill(name)
    modal.get_by_label(t(lang, "Phone"), exact=True).fill(phone)
    modal.get_by_role("button", name=t(lang, "Book"), exact=True).click()
    booked = page.locator("#calendar-messages").get_by_text(t(lang, "Appointment booked."))
    error = page.locator("#booking-error")
    expect(booked.or_(error)).to_be_visible(timeout=15_000)
    if error.is_visible():
        page.locator("#booking-alternatives .booking-alternative").first.click()
        expect(booked).to_be_visible(timeout=15_000)
    return page.locator("#booking-date").input_value()


def check_in_and_out(page, lang: str, day: str, phone: str) -> None:
    page.get_by_role("link", name=t(lang, "Today's arrivals")).click()
    page.wait_for_load_state()
    place = page.locator("#day-location")
    if place.count() and place.locator("option:checked").inner_text().strip() != MARAIS:
        place.select_option(label=MARAIS)
        page.wait_for_load_state()
    for _ in range(21):
        if f"date={day}" in page.url or (
            datetime.now(ZONE).date().isoformat() == day and "date=" not in page.url
        ):
            break
        page.get_by_role("link", name=t(lang, "Next day")).click()
        page.wait_for_load_state()
    row = page.locator("li[data-visit]", has_text=phone)
    expect(row).to_have_count(1)
    row.get_by_role("button", name=t(lang, "Check in")).click()
    page.wait_for_load_state()
    row = page.locator("li[data-visit]", has_text=phone)
    row.get_by_role("link", name=t(lang, "Check out")).click()
    page.wait_for_load_state()
    page.get_by_label(t(lang, "Card"), exact=True).dblclick()  # the whole amount
    expect(page.locator("#split-status")).to_have_text(t(lang, "The payments add up to the total."))
    page.get_by_role("button", name=t(lang, "Charge")).click()
    page.wait_for_load_state()
    expect(page.get_by_role("status").first).to_contain_text(
        t(lang, "Paid: receipt %(number)s.").split("%(")[0].strip()
    )


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_stock_keeper(browser, demo_site, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        sign_in(page, demo_site, lang, OWNER)
        page.goto(demo_site.page_url(lang, "accounts/"))
        page.get_by_role("link", name=SALON, exact=True).click()
        page.wait_for_load_state()

        # 1. The stock before; the low-stock alert at Batignolles.
        stock_page(page, lang, BATIGNOLLES)
        expect(page.locator("#low-stock")).to_be_visible()
        expect(page.locator(f'tr[data-product="{DEVELOPER}"]')).to_contain_text(t(lang, "low"))
        stock_page(page, lang, MARAIS)
        dye_before = stock_of(page, lang, DYE)
        assert not run_axe(page)
        screenshot(page, f"journey-stock-before-{lang}")

        # 2. A root colouring with Léa, booked, checked in and paid: the visit is completed.
        name = f"{'Claire' if lang == 'en' else 'Ирина'} {random.choice(SURNAME[lang])}"  # noqa: S311
        phone = f"+3362{random.randint(1000000, 9999999)}"  # noqa: S311 - a test phone
        day = book_colouring(page, lang, name, phone)
        check_in_and_out(page, lang, day, phone)

        # 3. The dye was written off at the Marais.
        stock_page(page, lang, MARAIS)
        dye_after = stock_of(page, lang, DYE)
        assert dye_before - dye_after == 60, (dye_before, dye_after)
        page.get_by_role("link", name=t(lang, "Movements")).click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_contain_text(MARAIS)
        expect(page.locator("#movements tbody tr").first).to_contain_text(
            t(lang, "Used in a service")
        )

        # 4. The stock-take: three scans of the spray, the dye counted 10 ml short.
        page.get_by_role("link", name=t(lang, "Stock-takes")).click()
        page.wait_for_load_state()
        page.get_by_label(t(lang, "Location")).select_option(label=MARAIS)
        page.get_by_role("button", name=t(lang, "Start counting")).click()
        page.wait_for_load_state()
        scanner = page.get_by_label(t(lang, "Scan or type a barcode, then Enter"))
        for _ in range(3):
            scanner.fill(SPRAY_EAN)
            scanner.press("Enter")
            page.wait_for_load_state()
            scanner = page.get_by_label(t(lang, "Scan or type a barcode, then Enter"))
        spray_line = page.locator(f'#count-lines tr[data-product="{SPRAY}"]')
        expect(spray_line).to_contain_text("3")
        counted_dye = dye_after - 10
        count_form = page.locator("#count-form")
        count_form.get_by_label(t(lang, "Product")).select_option(label=DISPLAY[lang][DYE])
        count_form.get_by_label(t(lang, "Counted")).fill(str(counted_dye))
        count_form.get_by_role("button", name=t(lang, "Save the count")).click()
        page.wait_for_load_state()
        dye_line = page.locator(f'#count-lines tr[data-product="{DYE}"]')
        expect(dye_line.locator(".difference")).to_have_text("-10")
        screenshot(page, f"journey-stock-count-{lang}")
        page.get_by_role("button", name=t(lang, "Book the differences")).click()
        page.wait_for_load_state()
        expect(page.get_by_text(t(lang, "Booked"), exact=True)).to_be_visible()

        stock_page(page, lang, MARAIS)
        assert stock_of(page, lang, DYE) == counted_dye
        assert stock_of(page, lang, SPRAY) == 3

        # The stock page on a phone: nothing wider than the screen.
        phone_page = browser.new_context(viewport={"width": 390, "height": 844})
        try:
            small = phone_page.new_page()
            sign_in(small, demo_site, lang, OWNER)
            small.goto(page.url)
            small.wait_for_load_state()
            assert small.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            phone_page.close()
    finally:
        context.close()
