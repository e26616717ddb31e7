"""Journey (issue #15, points 7 and 10): a master's day.

On a desktop (1366×768), in English and in Russian, through pages only: Léa
Martin, a master of Atelier Lumière (master@solibook.demo), signs in, opens
her calendar from the back office's overview and finds only her own column,
with no client phone numbers; she opens her profile, creates her private
calendar link (shown once, with a QR code), and the test downloads the feed
and parses it with icalendar: her visits are there, without phone numbers.
Making a new link stops the old one.
"""

import json
import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import sign_in, t

pytestmark = pytest.mark.browser

MASTER = "master@solibook.demo"
NAME = "Léa Martin"
PHONE = re.compile(r"\+\d[\d .]{7,}")


def feed_events(page, url: str) -> list:
    answer = page.request.get(url)
    assert answer.ok, answer.status
    assert answer.headers["content-type"].startswith("text/calendar")
    return Calendar.from_ical(answer.body()).walk("VEVENT")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_master_day(browser, demo_site, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        sign_in(page, demo_site, lang, MASTER)
        page.goto(demo_site.page_url(lang, "office/"))
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Overview"))
        # A master sees no salon figures on the overview, only their own ways in.
        expect(page.get_by_test_id("today-revenue")).to_have_count(0)

        # Her calendar: her column only, and no phone number anywhere on it.
        dashboards = page.get_by_role("navigation", name=t(lang, "Dashboards"))
        dashboards.get_by_role("link", name=t(lang, "Calendar"), exact=True).click()
        page.wait_for_load_state()
        page.wait_for_selector(".ec-body")
        config = json.loads(page.locator("#calendar-config").text_content())
        assert [r["title"] for r in config["resources"]] == [NAME]
        page.wait_for_timeout(1500)  # the calendar loads its events
        assert not PHONE.search(page.locator("main").inner_text())
        screenshot(page, f"journey-master-calendar-{lang}")

        # Her profile: create the calendar link, with its QR code.
        page.go_back()
        page.wait_for_load_state()
        dashboards.get_by_role("link", name=t(lang, "My profile and calendar link")).click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "My profile"))
        expect(page.get_by_test_id("master-name")).to_have_text(NAME)
        page.get_by_role(
            "button",
            name=re.compile(
                f"^({re.escape(t(lang, 'Create my calendar link'))}|{re.escape(t(lang, 'Make a new link'))})$"
            ),
        ).click()
        page.wait_for_load_state()
        expect(page.get_by_test_id("feed-qr")).to_be_visible()
        url = page.get_by_test_id("feed-url").get_attribute("href")
        assert url and url.endswith(".ics")
        violations = run_axe(page)
        assert not violations, violations
        screenshot(page, f"journey-master-feed-{lang}")
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.set_viewport_size({"width": 1366, "height": 768})

        # The feed, as a phone's calendar app reads it: her visits, no phone numbers.
        events = feed_events(page, url)
        assert events, "no visit of Léa's in her feed"
        assert all(e.get("DTSTART") and e.get("SUMMARY") for e in events)
        assert not any(PHONE.search(str(e.get("SUMMARY"))) for e in events)

        # A new link stops the old one.
        page.get_by_role("button", name=t(lang, "Make a new link")).click()
        page.wait_for_load_state()
        new_url = page.get_by_test_id("feed-url").get_attribute("href")
        assert new_url != url
        assert page.request.get(url).status == 404
        assert len(feed_events(page, new_url)) == len(events)
    finally:
        context.close()
