"""Journey (issue #15, point 9): the owner's overview.

On a desktop (1366×768), in English and in Arabic (right to left), through
pages only: the owner of Atelier Lumière (owner@solibook.demo, two salons)
opens the back office, chooses the salon and finds today's figures (bookings,
arrivals, no-shows, occupancy, revenue) in the location's time zone and the
last 30 days drawn as a chart, then follows the link to staff performance.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import sign_in, t

pytestmark = pytest.mark.browser

OWNER = "owner@solibook.demo"
SALON = "Atelier Lumière"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_owner_overview(browser, demo_site, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        sign_in(page, demo_site, lang, OWNER)
        page.goto(demo_site.page_url(lang, "office/"))
        page.wait_for_load_state()
        page.get_by_role("link", name=SALON, exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Overview"))

        overview = page.get_by_test_id("overview")
        expect(overview).to_contain_text(t(lang, "Bookings"))
        expect(overview).to_contain_text(t(lang, "Arrivals"))
        expect(overview).to_contain_text(t(lang, "No-shows"))
        expect(overview).to_contain_text(t(lang, "Occupancy"))
        expect(overview).to_contain_text(t(lang, "Revenue"))
        # Western or Arabic-Indic digits, as the language writes them.
        digits = re.compile(r"^[\d٠-٩]+$")
        expect(page.get_by_test_id("today-bookings")).to_have_text(digits)
        expect(page.get_by_test_id("today-no-shows")).to_have_text(digits)
        expect(page.get_by_test_id("today-revenue")).to_contain_text(re.compile(r"[\d٠-٩]"))
        expect(page.get_by_text(t(lang, "The last 30 days"), exact=True)).to_be_visible()
        expect(page.get_by_test_id("overview-chart")).to_have_attribute("data-ready", "1")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        violations = run_axe(page)
        assert not violations, violations
        screenshot(page, f"journey-owner-overview-{lang}")
        # On a phone (390 px) the overview fits its width.
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        page.wait_for_load_state()
        expect(page.get_by_test_id("overview-chart")).to_have_attribute("data-ready", "1")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.set_viewport_size({"width": 1366, "height": 768})

        dashboards = page.get_by_role("navigation", name=t(lang, "Dashboards"))
        dashboards.get_by_role("link", name=t(lang, "Staff performance"), exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Staff performance"))
        expect(page.get_by_test_id("revenue-counts")).to_be_visible()
    finally:
        context.close()
