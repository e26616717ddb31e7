"""Journey (issue #16, point 4): a new salon goes live.

On a desktop (1366×768), in English and in French, through pages only: a
salon owner signs up, opens the back office, puts the salon on Solibook in
four short steps (name and address; services picked from the taxonomy; the
team and opening hours; the plan) and asks to go online. The salon is not
found in search yet. The operator (admin@solibook.demo) opens the console,
finds the salon waiting, approves it; a client then finds it in search.

The test prints the owner's clicks, the fields typed and the minutes taken
from the sign-up to the request, and the minutes until the salon is found.
"""

import os
import time

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import sign_in, t

pytestmark = pytest.mark.browser

OPERATOR = "admin@solibook.demo"
SALONS = {
    "en": ("Maison Lilas", "FR", "12 rue des Lilas", "Lyon", "69001"),
    "fr": ("Atelier Coquelicot", "BE", "8 rue Haute", "Bruxelles", "1000"),
}
OWNERS = {"en": "Nora Lilas", "fr": "Éloïse Coquelicot"}
LISTING_WAIT_SECONDS = 90  # the listing is rebuilt by the task worker after the approval


class Counter:
    """The owner's clicks and typed fields."""

    def __init__(self, page):
        self.page, self.clicks, self.fields = page, 0, 0

    def click(self, locator) -> None:
        locator.click()
        self.clicks += 1

    def fill(self, locator, value: str) -> None:
        locator.fill(value)
        self.fields += 1

    def select(self, locator, **option) -> None:
        locator.select_option(**option)
        self.fields += 1


def _submit(page, counter: Counter, lang: str, label: str = "Continue") -> None:
    counter.click(page.get_by_role("button", name=t(lang, label), exact=True))
    page.wait_for_load_state()


def _sign_up(page, site, counter: Counter, lang: str) -> str:
    email = f"new.salon.{lang}.{os.getpid()}@example.test"
    page.goto(site.page_url(lang, "accounts/signup/"))
    counter.fill(page.get_by_label(t(lang, "Full name")), OWNERS[lang])
    counter.fill(page.get_by_label(t(lang, "E-mail address")), email)
    counter.fill(page.get_by_label(t(lang, "Password")), site.password + "-salon")
    counter.click(page.locator("main form button[type=submit]"))
    page.wait_for_load_state()
    return email


def _onboard(page, site, counter: Counter, lang: str) -> str:
    name, country, address, city, postal = SALONS[lang]
    counter.click(page.get_by_role("link", name=t(lang, "Back office"), exact=True))
    page.wait_for_load_state()
    counter.click(page.get_by_role("link", name=t(lang, "Put your salon on Solibook"), exact=True))
    page.wait_for_load_state()

    # 1. The salon and its address.
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Put your salon on Solibook"))
    counter.fill(page.get_by_label(t(lang, "Salon name")), name)
    counter.select(page.get_by_label(t(lang, "Country")), value=country)
    counter.fill(page.get_by_label(t(lang, "Street address")), address)
    counter.fill(page.get_by_label(t(lang, "City")), city)
    counter.fill(page.get_by_label(t(lang, "Postal code")), postal)
    _submit(page, counter, lang)

    # 2. Services from the taxonomy, in the owner's language.
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Your services"))
    haircut = {"en": "Women's haircut", "fr": "Coupe femme"}[lang]
    blow_dry = {"en": "Blow-dry and styling", "fr": "Brushing et coiffage"}[lang]
    first = page.get_by_role("group", name=t(lang, "Service %(n)s", n=1))
    counter.select(first.get_by_label(t(lang, "Service"), exact=True), label=haircut)
    counter.select(first.get_by_label(t(lang, "Length")), value="45")
    counter.fill(first.get_by_label(t(lang, "Price")), "42")
    second = page.get_by_role("group", name=t(lang, "Service %(n)s", n=2))
    counter.select(second.get_by_label(t(lang, "Service"), exact=True), label=blow_dry)
    counter.select(second.get_by_label(t(lang, "Length")), value="30")
    counter.fill(second.get_by_label(t(lang, "Price")), "25")
    assert not run_axe(page)
    _submit(page, counter, lang)

    # 3. The team and opening hours (Monday to Saturday, 9 to 19, ticked already).
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Team and hours"))
    counter.fill(page.get_by_label(t(lang, "Person who takes clients")), "Léa")
    counter.fill(page.get_by_label(t(lang, "Another person (optional)")).first, "Inès")
    _submit(page, counter, lang)

    # 4. The plan, then the overview and the request.
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Your plan"))
    _submit(page, counter, lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text(haircut, exact=False)).to_be_visible()
    _submit(page, counter, lang, "Ask to go online")
    expect(
        page.get_by_text(
            t(
                lang,
                "Thank you! The platform checks your salon and puts it online, usually within a day.",
            )
        )
    ).to_be_visible()
    status = page.locator("[data-approval]")
    expect(status).to_have_attribute("data-approval", "pending")
    expect(status).to_contain_text(t(lang, "Waiting for approval"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    screenshot(page, f"journey-new-salon-submitted-{lang}")
    return name


def _search(page, site, lang: str, name: str):
    page.goto(site.page_url(lang, "/"))
    page.get_by_label(t(lang, "What"), exact=True).fill(name)
    page.get_by_role("button", name=t(lang, "Search"), exact=True).click()
    page.wait_for_load_state()
    return page.locator("article").filter(has_text=name)


def _operator_approves(browser, site, lang: str, name: str) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        sign_in(page, site, lang, OPERATOR)
        page.get_by_role("link", name=t(lang, "Platform"), exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Operator console"))
        page.get_by_role("link", name=t(lang, "Review them"), exact=True).click()
        page.wait_for_load_state()
        row = page.locator("tr").filter(has_text=name)
        expect(row).to_contain_text(t(lang, "Waiting for approval"))
        row.get_by_role("link", name=name).click()
        page.wait_for_load_state()
        assert not run_axe(page)
        page.get_by_role("button", name=t(lang, "Approve and put online"), exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_test_id("approval")).to_have_text(t(lang, "Approved"))
        screenshot(page, f"journey-new-salon-approved-{lang}")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_new_salon_onboards_and_goes_live_after_approval(browser, demo_site, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        started = time.monotonic()
        counter = Counter(page)
        _sign_up(page, demo_site, counter, lang)
        name = _onboard(page, demo_site, counter, lang)
        submitted = time.monotonic()

        # Not in search before the operator's approval.
        visitor = browser.new_context(viewport={"width": 1366, "height": 768})
        search = visitor.new_page()
        expect(_search(search, demo_site, lang, name)).to_have_count(0)

        _operator_approves(browser, demo_site, lang, name)

        # Live: a client finds it in search (once the worker rebuilt its listing).
        deadline = time.monotonic() + LISTING_WAIT_SECONDS
        while True:
            found = _search(search, demo_site, lang, name)
            if found.count() == 1 or time.monotonic() > deadline:
                break
            time.sleep(2)
        expect(found).to_have_count(1)
        found.get_by_role("link", name=name).first.click()
        search.wait_for_load_state()
        expect(search.get_by_role("heading", level=1)).to_contain_text(name)
        visitor.close()
        live = time.monotonic()
        print(
            f"\n[{lang}] new salon: {counter.clicks} clicks and {counter.fields} fields, "
            f"{(submitted - started) / 60:.1f} min from sign-up to the request; "
            f"live in search {(live - started) / 60:.1f} min after sign-up "
            "(the operator's approval included)"
        )
        assert submitted - started < 10 * 60
    finally:
        context.close()
