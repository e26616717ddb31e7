"""Marketplace in a real browser: search by free time -> salon page -> compare,
in English and in Arabic (right-to-left), on a phone-sized screen, with axe."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from solibook.catalog.models import Location
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, make_service
from solibook.testing.salon import give_shifts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def two_salons(transactional_db):
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into

    load_into(Category)
    made = []
    for n, (name, lat) in enumerate((("Atelier Lumière", 48.857), ("Salon Rivoli", 48.861))):
        business = BusinessFactory(
            name=name, slug=f"browser-salon-{n}", lead_time_minutes=0, horizon_days=60
        )
        location = LocationFactory(
            business=business, name="Centre", time_zone="Europe/Paris", latitude=lat, longitude=2.35
        )
        cut = make_service(business, name=f"Coupe {n}", steps=[(45, True)], price=4500 + 1000 * n)
        give_shifts(
            make_master(business, locations=[location], services=[cut], name=f"Léa {n}"),
            location,
            start=time(10),
            end=time(20),
        )
        made.append(business)
    with scopes_disabled():
        assert Location.objects.count() == 2
    # give_shifts writes in bulk (no signals), as imports do: rebuild like the demo seeding.
    call_command("rebuild_free_time", days=7)
    return made, (datetime.now(PARIS) + timedelta(days=3)).date()


def _search(page, base, lang, day):
    page.goto(
        f"{base}/{lang}/search/?category=womens-haircut&date={day.isoformat()}&time_from=17:00&time_to=20:00"
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_search_salon_page_and_compare(browser, live_server, two_salons, lang):
    (first, second), day = two_salons
    # Phone-sized, under the site's Content-Security-Policy: any violation
    # (an inline script, a blocked source) is reported on the console.
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    _search(page, live_server.url, lang, day)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    expect(page.locator("article.card")).to_have_count(2)
    expect(page.locator("article.card").first).to_contain_text("17:00")
    assert run_axe(page) == []
    screenshot(page, f"marketplace-search-{lang}")

    page.get_by_role("link", name=first.name).click()
    expect(page.locator("h1")).to_have_text(first.name)
    # Leaflet is fetched and started by the static script once the map scrolls near.
    page.locator("#salon-map").scroll_into_view_if_needed()
    expect(page.locator("#salon-map.leaflet-container")).to_be_visible()
    assert run_axe(page) == []
    screenshot(page, f"marketplace-salon-{lang}")

    _search(page, live_server.url, lang, day)
    page.locator("input[name=salon]").nth(0).check()
    page.locator("input[name=salon]").nth(1).check()
    page.locator("#compare-form button[type=submit]").click()
    table = page.locator("table")
    expect(table).to_contain_text(first.name)
    expect(table).to_contain_text(second.name)
    assert run_axe(page) == []
    screenshot(page, f"marketplace-compare-{lang}")
    assert violations == []
    context.close()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_press_before_the_scripts_have_run_is_answered(phone_page, live_server, lang):
    """The marketplace starts Bootstrap and the page's scripts after the first paint. A
    person who taps the menu before they have arrived gets the menu once they have, not
    a dead button: hold the scripts back, tap, then let them through."""
    held = []
    phone_page.route("**/vendor/bootstrap/*.js", lambda route: held.append(route))
    phone_page.goto(f"{live_server.url}/{lang}/", wait_until="domcontentloaded")
    menu = phone_page.locator("button.navbar-toggler")
    expect(menu).to_have_attribute("aria-label", _MENU[lang])
    menu.click()
    # The tap starts the scripts if the first paint has not yet. Bootstrap's request is
    # held here, so the menu cannot have opened before it is let through.
    for _ in range(250):
        if held:
            break
        phone_page.wait_for_timeout(20)
    assert held, "Bootstrap was never requested"
    expect(menu).to_have_attribute("aria-expanded", "false")
    for route in held:
        route.continue_()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(phone_page.locator("#nav")).to_be_visible()


_MENU = {"fr": "Menu", "ar": "القائمة"}
