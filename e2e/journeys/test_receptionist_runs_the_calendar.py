"""Journey (issue #15, point 1): the calendar is the front desk.

On a desktop (1366×768), in English and in Russian, through pages only: the
receptionist of Atelier Lumière opens the calendar of its Batignolles salon,
where a master who is off today is shaded and says so under their name (Léa
works there on Saturdays only, Inès on weekdays; on a Sunday or a holiday
every column says so). A new client calls: the receptionist books a cut and
an Olaplex care in one visit for any free master, typing the client's name
and phone. When the time asked is taken (or the salon is not open then) the
answer lists the nearest free times and one click books the first. The visit
shows in the arrivals list (today's, or the day it landed on) with its two
services; the receptionist checks the client in, and Check out opens the till
on that visit. Prints the clicks and seconds of the walk-in booking.
"""

import random
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from e2e.conftest import screenshot
from e2e.journeys.conftest import sign_in, t
from solibook.testing.races import stopwatch

pytestmark = pytest.mark.browser

SALON = "Atelier Lumière"
LOCATION = "Atelier Lumière Batignolles"
RECEPTION = "reception@solibook.demo"
CUT = "Coupe femme et brushing"
CARE = "Soin profond Olaplex"
CLIENT = {"en": "Nora Walkin", "ru": "Ольга Звонкова"}
OFF_NOTES = ("Off today", "Away today", "Salon closed")


def a_start_soon() -> datetime:
    """A quarter of an hour from now in Paris, on the quarter hour."""
    soon = datetime.now(ZoneInfo("Europe/Paris")) + timedelta(minutes=20)
    return soon.replace(minute=soon.minute // 15 * 15, second=0, microsecond=0)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_receptionist_runs_the_calendar(browser, demo_site, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        sign_in(page, demo_site, lang, RECEPTION)
        page.goto(demo_site.page_url(lang, "accounts/"))
        page.get_by_role("link", name=SALON, exact=True).click()
        page.wait_for_load_state()
        menu = page.get_by_role("navigation", name=t(lang, "Back office"))
        menu.get_by_role("link", name=t(lang, "Calendar"), exact=True).click()
        page.wait_for_load_state()
        page.get_by_label(t(lang, "Location")).select_option(label=LOCATION)
        page.wait_for_load_state()

        # A master who is off today: shaded, and their column says so.
        notes = page.locator("#calendar .sb-column-note")
        expect(notes.first).to_be_visible(timeout=15_000)
        said = {t(lang, n) for n in OFF_NOTES}
        assert any(text.split(" · ")[0] in said for text in notes.all_inner_texts()), (
            notes.all_inner_texts()
        )
        expect(
            page.locator("#calendar .ec-bg-event.sb-off, #calendar .ec-bg-event.sb-closed").first
        ).to_be_attached()
        # The toolbar and the page fit the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        screenshot(page, f"journey-desk-calendar-{lang}")

        # A new client on the phone: a cut and a care, one visit, any free master.
        name = CLIENT[lang]
        phone = f"+3361{random.randint(1000000, 9999999)}"  # noqa: S311 - a test phone
        start = a_start_soon()
        clicks = 0
        with stopwatch() as took:
            page.get_by_role("button", name=t(lang, "New appointment")).click()
            clicks += 1
            modal = page.locator("#booking-modal")
            expect(modal).to_be_visible()
            page.locator("#booking-date").fill(start.date().isoformat())
            page.locator("#booking-time").fill(start.strftime("%H:%M"))
            page.locator("#booking-master").select_option(label=t(lang, "Any free master"))
            page.locator("#booking-service").select_option(label=CUT)
            clicks += 2
            modal.get_by_role("button", name=t(lang, "Add a service")).click()
            clicks += 1
            second = modal.locator(".booking-item").nth(1)
            expect(second.locator(".booking-master")).to_have_value("")  # any free master, as above
            second.locator(".booking-service").select_option(label=CARE)
            clicks += 1
            modal.get_by_label(t(lang, "Name"), exact=True).fill(name)
            modal.get_by_label(t(lang, "Phone"), exact=True).fill(phone)
            modal.get_by_role("button", name=t(lang, "Book"), exact=True).click()
            clicks += 1
            booked = page.locator("#calendar-messages").get_by_text(t(lang, "Appointment booked."))
            error = page.locator("#booking-error")
            expect(booked.or_(error)).to_be_visible(timeout=15_000)
            if error.is_visible():
                # Taken, or the salon is closed then: the nearest free times, listed for real.
                expect(error).to_contain_text(
                    t(lang, "This time is no longer available. Here are the nearest free times.")
                )
                first = page.locator("#booking-alternatives .booking-alternative").first
                expect(first).to_be_visible()
                screenshot(page, f"journey-desk-alternatives-{lang}")
                first.click()
                clicks += 1
            expect(booked).to_be_visible(timeout=15_000)
        typed = 4  # day, time, name, phone
        print(f"\n[walk-in booking, {lang}] {clicks} clicks, {typed} fields typed, {took():.1f} s")
        day = page.locator("#booking-date").input_value()

        # Today's arrivals: the visit (on the day it landed), with its two services.
        page.get_by_role("link", name=t(lang, "Today's arrivals")).click()
        page.wait_for_load_state()
        row = page.locator("li[data-visit]", has_text=name)
        for _ in range(14):
            if row.count() or f"date={day}" in page.url:
                break
            page.get_by_role("link", name=t(lang, "Next day")).click()
            page.wait_for_load_state()
        expect(row).to_have_count(1)
        expect(row).to_contain_text(CUT)
        expect(row).to_contain_text(CARE)
        expect(row).to_contain_text(str(t(lang, "Confirmed")))
        screenshot(page, f"journey-desk-arrivals-{lang}")

        # Check in, then Check out opens the till on that visit.
        row.get_by_role("button", name=t(lang, "Check in")).click()
        page.wait_for_load_state()
        expect(page.get_by_text(t(lang, "%(client)s is checked in.", client=name))).to_be_visible()
        row = page.locator("li[data-visit]", has_text=name)
        expect(row.locator(".arrival-status")).to_have_text(t(lang, "Arrived"))
        expect(row.get_by_role("button", name=t(lang, "Check in"))).to_have_count(0)
        visit_id = row.get_attribute("data-visit")
        row.get_by_role("link", name=t(lang, "Check out")).click()
        page.wait_for_load_state()
        assert re.search(rf"/finance/checkout/\?appointment={visit_id}$", page.url), page.url
        expect(page.get_by_role("heading", level=1)).to_contain_text(name)
        screenshot(page, f"journey-desk-till-{lang}")

        # The same pages on a phone: nothing wider than the screen (the toolbar wraps).
        phone_context = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        )
        try:
            phone_page = phone_context.new_page()
            sign_in(phone_page, demo_site, lang, RECEPTION)
            calendar_url = page.url.split("/finance/")[0] + "/calendar/"
            for path in ("", "arrivals/", "print/"):
                phone_page.goto(calendar_url + path)
                phone_page.wait_for_load_state()
                if not path:
                    expect(phone_page.locator("#calendar .ec-toolbar")).to_be_visible()
                width = phone_page.evaluate("document.documentElement.scrollWidth")
                assert width <= 390, f"{path or 'calendar'} is {width} px wide on a phone"
            screenshot(phone_page, f"journey-desk-print-phone-{lang}")
        finally:
            phone_context.close()
    finally:
        context.close()
