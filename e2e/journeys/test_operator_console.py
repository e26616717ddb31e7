"""Journey (issue #16, point 5): the operator console, role by role.

On a desktop (1366×768), in English and in Russian, through pages only:
- the owner of Atelier Lumière lets platform support in for two hours from the
  back office's Business menu;
- support (support@solibook.demo) opens the console: salons yes, figures no;
  finds the salon, opens its back office as support (a banner says so), and
  the owner's page then lists the visit;
- finance (finance@solibook.demo) reads the platform's figures, drawn as charts.
"""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import sign_in, t

pytestmark = pytest.mark.browser

OWNER = "owner@solibook.demo"
SUPPORT = "support@solibook.demo"
FINANCE = "finance@solibook.demo"
SALON = "Atelier Lumière"


def _desktop(browser):
    return browser.new_context(viewport={"width": 1366, "height": 768})


def _business_menu(page, lang: str, item: str) -> None:
    menu = page.get_by_role("navigation", name=t(lang, "Back office"))
    with translation.override(lang):
        group = translation.pgettext("back-office menu", "Business")
    menu.get_by_role("button", name=group, exact=True).click()
    menu.get_by_role("link", name=t(lang, item), exact=True).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_support_enters_with_consent_and_finance_reads_the_figures(browser, demo_site, lang):
    # The owner consents.
    owner = _desktop(browser)
    page = owner.new_page()
    try:
        sign_in(page, demo_site, lang, OWNER)
        page.goto(demo_site.page_url(lang, "office/"))
        page.get_by_role("link", name=SALON, exact=True).click()
        page.wait_for_load_state()
        _business_menu(page, lang, "Platform support access")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            t(lang, "Platform support access")
        )
        page.get_by_label(t(lang, "2 hours")).check()
        page.get_by_role("button", name=t(lang, "Allow"), exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_test_id("support-open")).to_be_visible()
        owner_page_url = page.url
    finally:
        owner.close()

    # Support: salons, not figures; enters the salon's back office.
    support = _desktop(browser)
    page = support.new_page()
    try:
        sign_in(page, demo_site, lang, SUPPORT)
        page.get_by_role("link", name=t(lang, "Platform"), exact=True).click()
        page.wait_for_load_state()
        console = page.get_by_role("navigation", name=t(lang, "Operator console"))
        expect(console.get_by_role("link", name=t(lang, "Salons"), exact=True)).to_be_visible()
        expect(console.get_by_role("link", name=t(lang, "Figures"), exact=True)).to_have_count(0)
        console.get_by_role("link", name=t(lang, "Salons"), exact=True).click()
        page.wait_for_load_state()
        page.get_by_label(t(lang, "Name")).fill(SALON)
        page.get_by_role("button", name=t(lang, "Filter"), exact=True).click()
        page.wait_for_load_state()
        page.get_by_role("link", name=SALON, exact=True).click()
        page.wait_for_load_state()
        assert not run_axe(page)
        # Support reads; approving is not offered.
        expect(
            page.get_by_role("button", name=t(lang, "Approve and put online"), exact=True)
        ).to_have_count(0)
        page.get_by_role(
            "button", name=t(lang, "Open its back office as support"), exact=True
        ).click()
        page.wait_for_load_state()
        banner = t(
            lang,
            "You are viewing %(salon)s as platform support, with its consent, read only.",
            salon=SALON,
        )
        expect(page.get_by_text(banner)).to_be_visible()
        screenshot(page, f"journey-console-support-{lang}")
        figures = page.request.get(demo_site.page_url(lang, "platform/figures/"))
        assert figures.status == 403
    finally:
        support.close()

    # The owner sees support's visit.
    owner = _desktop(browser)
    page = owner.new_page()
    try:
        sign_in(page, demo_site, lang, OWNER)
        page.goto(owner_page_url)
        page.wait_for_load_state()
        expect(page.locator("table tbody tr").first).to_contain_text("Inès Support")
    finally:
        owner.close()

    # Finance: the figures, drawn.
    finance = _desktop(browser)
    page = finance.new_page()
    try:
        sign_in(page, demo_site, lang, FINANCE)
        page.get_by_role("link", name=t(lang, "Platform"), exact=True).click()
        page.wait_for_load_state()
        console = page.get_by_role("navigation", name=t(lang, "Operator console"))
        console.get_by_role("link", name=t(lang, "Figures"), exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Platform figures"))
        expect(page.get_by_test_id("fig-bookings")).not_to_have_text("0")
        expect(page.locator("#money-chart")).to_have_attribute("data-ready", "1")
        expect(page.locator("#count-chart")).to_have_attribute("data-ready", "1")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        assert not run_axe(page)
        screenshot(page, f"journey-console-figures-{lang}")
    finally:
        finance.close()
