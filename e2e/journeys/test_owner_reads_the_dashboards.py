"""Journey (issue #20, point 1): the owner reads the dashboards.

Through pages only, in English, Arabic (right to left) and Russian: the owner
of Жемчуг (owner.moscow@solibook.demo), whose salon has a year of visits from
the demo's history, opens Reports → Dashboards, sees the key figures, the
charts drawn and the hour-of-week grid, switches the period to the last 365
days (retention cohorts appear), downloads the XLSX and opens it; the page
fits a phone (390 px) and axe finds nothing serious. Then the owner of Atelier
Lumière (two salons) switches the location and reads the other salon's figures.
"""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import office_menu, sign_in, t

pytestmark = pytest.mark.browser

HISTORY_OWNER = "owner.moscow@solibook.demo"
HISTORY_SALON = "zhemchug"
TWO_SALONS_OWNER = "owner@solibook.demo"
OTHER_LOCATION = "Atelier Lumière Marais"


def _last_days(lang: str, n: int) -> str:
    with translation.override(lang):
        return translation.ngettext("Last %(n)s day", "Last %(n)s days", n) % {"n": n}


def _charts_drawn(page) -> None:
    for chart in ("chart-time", "chart-masters", "chart-clients", "chart-sources"):
        expect(page.get_by_test_id(chart)).to_have_attribute("data-ready", "1", timeout=30_000)


@pytest.mark.parametrize("lang", ["en", "ar", "ru"])
def test_owner_reads_the_dashboards(browser, demo_site, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    try:
        sign_in(page, demo_site, lang, HISTORY_OWNER)
        page.goto(demo_site.page_url(lang, f"office/{HISTORY_SALON}/"))
        page.wait_for_load_state()
        office_menu(page, lang, "Dashboards", "Reports")
        expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Dashboards"))
        if lang == "ar":
            assert page.evaluate("document.documentElement.dir") == "rtl"
        figures = page.get_by_test_id("figures")
        expect(figures).to_contain_text(t(lang, "Revenue"))
        expect(figures).to_contain_text(t(lang, "Average ticket"))
        expect(page.get_by_test_id("figure-bookings")).not_to_have_text("—")
        _charts_drawn(page)
        expect(page.get_by_test_id("heatmap")).to_be_visible()
        expect(page.get_by_test_id("no-history")).to_have_count(0)

        # A year: the cohorts of first visits and their returns.
        page.get_by_role("link", name=_last_days(lang, 365), exact=True).click()
        page.wait_for_load_state()
        _charts_drawn(page)
        cohorts = page.get_by_test_id("cohorts")
        expect(cohorts).to_be_visible()
        assert cohorts.locator("tbody tr").count() >= 6
        expect(page.get_by_test_id("lifetime")).to_be_visible()
        expect(page.get_by_test_id("retail")).to_contain_text(t(lang, "Units"))
        screenshot(page, f"journey-dashboards-{lang}")
        violations = run_axe(page)
        assert not violations, violations

        # The same figures as a spreadsheet.
        with page.expect_download() as download:
            page.get_by_role("link", name=t(lang, "Download XLSX")).click()
        assert download.value.suggested_filename.endswith(".xlsx")
        # The saved download has no extension: openpyxl reads it from its bytes.
        book = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
        assert len(book.sheetnames) == 8
        summary = list(book[book.sheetnames[0]].iter_rows(values_only=True))
        assert summary[1][0] == t(lang, "Revenue") and summary[1][1] > 0

        # On a phone (390 px) the page fits its width; the charts still draw.
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        page.wait_for_load_state()
        _charts_drawn(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, f"journey-dashboards-phone-{lang}")
        context.clear_cookies()

        # Two salons: the owner switches the location.
        page.set_viewport_size({"width": 1366, "height": 768})
        sign_in(page, demo_site, lang, TWO_SALONS_OWNER)
        page.goto(demo_site.page_url(lang, "office/atelier-lumiere/insights/dashboards/"))
        page.wait_for_load_state()
        form = page.get_by_test_id("dashboard-form")
        form.get_by_label(t(lang, "Location")).select_option(label=OTHER_LOCATION)
        form.get_by_role("button", name=t(lang, "Show")).click()
        page.wait_for_load_state()
        expect(page.get_by_test_id("period-note")).to_contain_text(OTHER_LOCATION)
        expect(form.get_by_label(t(lang, "Location"))).to_have_value(
            page.get_by_test_id("dashboard-form")
            .get_by_label(t(lang, "Location"))
            .locator("option", has_text=OTHER_LOCATION)
            .get_attribute("value")
        )
    finally:
        context.close()
