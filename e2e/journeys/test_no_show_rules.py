"""Journey (issue #15, point 5): a no-show refused before the start and
accepted after, with its confirmation and undo.

On a desktop (1366×768), in English and in Russian, through pages only: the
receptionist of Atelier Lumière opens Today's arrivals, goes to the coming
visit of a client booked at the desk (solibook/demo/noshow.py, one client per
language) and asks for a no-show: the page says it is too early (the start
plus the salon's grace period) and confirming is refused, the visit stays
confirmed. On the client's past visit, never checked in, the page shows the
fee of the policy the client accepted; confirming marks it no-show and offers
Undo while the message and the fee wait for the undo window; Undo puts the
visit back, and it can be marked again.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import screenshot
from e2e.journeys.conftest import office_menu, sign_in, t

pytestmark = pytest.mark.browser

SALON = "Atelier Lumière"
RECEPTION = "reception@solibook.demo"
CLIENT = {"en": "Hugo Lefèvre", "ru": "Ольга Петрова"}
DAYS = 12
TOO_EARLY = (
    "Too early for a no-show: the client may still come. "
    "It can be marked from %(time)s (%(minutes)s min after the start)."
)


def first(text: str) -> str:
    """The words of a message before its first placeholder."""
    return re.split(r"%\(|\{\{", text)[0].strip()


def open_arrivals(page, site, lang: str) -> None:
    page.goto(site.page_url(lang, "accounts/"))
    page.get_by_role("link", name=SALON, exact=True).click()
    page.wait_for_load_state()
    office_menu(page, lang, "Calendar")
    page.get_by_role("link", name=t(lang, "Today's arrivals")).click()
    page.wait_for_load_state()


def locations(page) -> list[str]:
    select = page.locator("#day-location")
    if not select.count():
        return [""]
    return [o.inner_text().strip() for o in select.locator("option").all()]


def open_no_show(page, lang: str, direction: str, too_early: bool) -> bool:
    """From the arrivals list, walk the days in `direction` ("Previous day" or
    "Next day") from today at each location until the client's confirmed
    visit whose no-show page is (or is not) too early; open that page."""
    arrivals = page.url
    for location in locations(page):
        page.goto(arrivals)
        if location:
            page.locator("#day-location").select_option(label=location)
            page.wait_for_load_state()
        for _day in range(DAYS):
            rows = page.locator("li[data-visit]", has_text=CLIENT[lang])
            for i in range(rows.count()):
                link = rows.nth(i).get_by_role("link", name=t(lang, "No-show"), exact=True)
                if not link.count():
                    continue
                back = page.url
                link.click()
                page.wait_for_load_state()
                early = page.locator(".no-show-too-early").count() > 0
                if early == too_early:
                    return True
                page.goto(back)
            page.get_by_role("link", name=t(lang, direction)).click()
            page.wait_for_load_state()
    return False


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_show_rules(browser, demo_site, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        sign_in(page, demo_site, lang, RECEPTION)
        open_arrivals(page, demo_site, lang)

        # Before the start (plus the grace period): refused, the visit stays confirmed.
        assert open_no_show(page, lang, "Next day", too_early=True), "no coming visit found"
        expect(page.get_by_role("heading", name=t(lang, "No-show"), level=1)).to_be_visible()
        expect(page.locator(".no-show-too-early")).to_contain_text(first(t(lang, TOO_EARLY)))
        status = page.locator(".no-show-status").inner_text()
        page.get_by_role("button", name=t(lang, "Confirm the no-show")).click()
        page.wait_for_load_state()
        expect(page.get_by_role("status").first).to_contain_text(first(t(lang, TOO_EARLY)))
        expect(page.locator(".no-show-status")).to_have_text(status)
        expect(page.get_by_role("button", name=t(lang, "Undo the no-show"))).to_have_count(0)
        screenshot(page, f"journey-no-show-too-early-{lang}")

        # After: the page states the fee, confirming marks it, Undo puts it back.
        open_arrivals(page, demo_site, lang)
        assert open_no_show(page, lang, "Previous day", too_early=False), "no past visit found"
        fee = first(t(lang, "Under the policy the client accepted, the no-show fee is %(fee)s."))
        none = t(lang, "The policy the client accepted has no no-show fee.")
        expect(page.locator("form.card")).to_contain_text(
            re.compile(f"{re.escape(fee)}|{re.escape(none)}")
        )
        page.get_by_role("button", name=t(lang, "Confirm the no-show")).click()
        page.wait_for_load_state()
        expect(page.get_by_role("status").first).to_contain_text(
            t(lang, "Marked no-show. You can undo it until the message and the fee go out.")
        )
        expect(page.locator(".no-show-status")).to_have_text(t(lang, "No-show"))
        expect(page.locator(".no-show-pending")).to_be_visible()
        screenshot(page, f"journey-no-show-marked-{lang}")
        page.get_by_role("button", name=t(lang, "Undo the no-show")).click()
        page.wait_for_load_state()
        expect(page.get_by_role("status").first).to_contain_text(
            t(lang, "No-show undone: nothing was sent or charged.")
        )
        expect(page.locator(".no-show-status")).not_to_have_text(t(lang, "No-show"))
        # Marked again, for good this time (the window then runs its course).
        page.get_by_role("button", name=t(lang, "Confirm the no-show")).click()
        page.wait_for_load_state()
        expect(page.locator(".no-show-pending")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    finally:
        context.close()
