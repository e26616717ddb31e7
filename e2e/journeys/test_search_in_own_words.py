"""Journey: a client finds a salon in their own words (issue #14, point 6).

On a phone, through pages only, in each of en, fr, ru and ar: the client
types the service as they say it and a city in their own script on the home
page, finds the demo salons that do it there, taps a free-time badge and
lands in the booking wizard on that day with that time picked out. Then
"Near me" with the browser's location sorts salons by distance, and a
refused location gets a message in the client's language.
"""

from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe
from e2e.journeys.conftest import LANGUAGES, t

pytestmark = pytest.mark.browser

MOSCOW_HAIR = ("Салон красоты «Жемчуг»", "Барбершоп «Борода»")
# (service in the client's words, city in their script, salons expected, salons not expected)
SEARCHES = {
    "en": ("haircut", "Moscow", MOSCOW_HAIR, ("Atelier Lumière", "صالون لمسة ورد")),
    "fr": ("manucure", "Moscou", ("Салон красоты «Жемчуг»",), ("Ongles & Sens",)),
    "ru": ("стрижка", "Эр-Рияд", ("صالون لمسة ورد",), ("سبا الواحة", "Барбершоп «Борода»")),
    "ar": ("قص شعر", "موسكو", MOSCOW_HAIR, ("صالون لمسة ورد", "Atelier Lumière")),
}
CROIX_ROUSSE = {"latitude": 45.7744, "longitude": 4.8316}  # beside Spa des Canuts, Lyon


def next_tuesday() -> date:
    """A day every demo salon in the searched cities opens (Riyadh rests on Friday)."""
    day = datetime.now(UTC).date() + timedelta(days=2)
    return day + timedelta(days=(1 - day.weekday()) % 7)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_client_finds_salons_in_their_own_words_and_opens_a_free_time(
    demo_site, phone_page, lang
):
    words, city, expected, absent = SEARCHES[lang]
    day = next_tuesday()
    page = phone_page
    page.goto(demo_site.page_url(lang, "/"))
    page.get_by_label(t(lang, "What"), exact=True).fill(words)
    page.get_by_label(t(lang, "Where"), exact=True).fill(city)
    page.get_by_label(t(lang, "When"), exact=True).fill(day.isoformat())
    page.get_by_role("button", name=t(lang, "Search"), exact=True).click()
    page.wait_for_load_state()

    results = page.locator("article")
    for name in expected:
        expect(results.filter(has_text=name)).to_have_count(1)
    for name in absent:
        expect(results.filter(has_text=name)).to_have_count(0)
    assert run_axe(page) == []

    card = results.filter(has_text=expected[0])
    badge = card.locator("a.free-time")
    expect(badge).to_be_visible()
    shown_time = badge.locator("time").inner_text().strip()
    badge.click()
    page.wait_for_load_state()

    # The wizard's time step, on the searched day, the badge's time picked out.
    address = urlparse(page.url)
    assert address.path.startswith(f"/{lang}/book/") and address.path.endswith("/time/")
    assert parse_qs(address.query)["date"] == [day.isoformat()]
    picked = page.locator('button.slot[aria-current="true"]')
    expect(picked).to_have_count(1)
    expect(picked).to_contain_text(shown_time)
    expect(picked).to_be_in_viewport()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_near_me_sorts_by_distance_and_a_refusal_is_explained(demo_site, phone_page, lang):
    page = phone_page
    page.goto(demo_site.page_url(lang, "/"))
    near_me = page.get_by_role("button", name=t(lang, "Near me"), exact=True)

    # Refused: the browser has no permission, the client is told what to do instead.
    near_me.click()
    expect(
        page.get_by_text(
            t(
                lang,
                "We could not use your location: your browser or you refused it. "
                "Type a city in “Where” instead.",
            )
        )
    ).to_be_visible()

    # Allowed: salons come nearest first, with their distance.
    page.context.set_geolocation(CROIX_ROUSSE)
    page.context.grant_permissions(["geolocation"])
    near_me.click()
    page.wait_for_url("**/search/**")
    query = parse_qs(urlparse(page.url).query)
    assert query["sort"] == ["distance"] and query["radius_km"] == ["25"]
    results = page.locator("article")
    expect(results.first).to_contain_text("Spa des Canuts")
    expect(results.filter(has_text="Салон красоты «Жемчуг»")).to_have_count(0)  # 2,400 km away
