"""Journey: a client asks the style advisor (issue #20, point 7).

On a phone (390 px), through pages only, in English, Arabic (right to left) and Russian: the
client opens a demo salon's page, follows "Style advisor", answers the questionnaire with the
keyboard and writes their wishes in their own language, sees the matched styles with their
pictures, and books the service that realises the first one: the booking wizard opens with
that service already chosen.
"""

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe
from e2e.journeys.conftest import t

pytestmark = pytest.mark.browser

# salon slug, answers (field label → option label), wishes, the style expected among the three
ASKS = {
    "en": (
        "atelier-lumiere",
        {"Hair type": "Wavy", "Hair length now": "Long", "Occasion": "Every day"},
        "My hair puffs up whenever it rains, I'd love it smooth and glossy for months",
        "sleek-keratin",
    ),
    "ar": (
        "lamsat-ward",
        {"Face shape": "Oval", "Hair length now": "Long", "Occasion": "A wedding"},
        "سأتزوج الشهر القادم وأريد تسريحة مرفوعة ناعمة تناسب الطرحة",
        "bridal-updo",
    ),
    "ru": (
        "zhemchug",
        {
            "Hair type": "Straight",
            "Hair length now": "Long",
            "Skin tone": "Light to medium, golden undertone",
        },
        "Хочу, чтобы волосы выглядели выгоревшими на солнце, как после отпуска на море",
        "balayage",
    ),
}


def _option(lang: str, field: str, option: str) -> str:
    if field == "Hair length now":
        from django.utils import translation

        with translation.override(lang):
            return translation.pgettext("hair length", option)
    return t(lang, option)


@pytest.mark.parametrize("lang", ["en", "ar", "ru"])
def test_a_client_finds_a_style_and_books_the_service_that_makes_it(demo_site, phone_page, lang):
    slug, answers, wishes, expected = ASKS[lang]
    page = phone_page
    page.goto(demo_site.page_url(lang, f"/salons/{slug}/"))
    page.get_by_role("link", name=t(lang, "Style advisor"), exact=True).click()
    page.wait_for_url(f"**/salons/{slug}/style-advisor/**")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Style advisor"))
    if lang == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"

    for field, option in answers.items():
        page.get_by_label(t(lang, field), exact=True).select_option(
            label=_option(lang, field, option)
        )
    wishes_box = page.get_by_label(t(lang, "Your wishes, in your own words"), exact=True)
    wishes_box.fill(wishes)
    wishes_box.press("Tab")  # the keyboard reaches the button
    expect(page.get_by_role("button", name=t(lang, "Show my styles"))).to_be_focused()
    page.keyboard.press("Enter")
    # The first answer of a fresh server loads the embedding model: give it time under load.
    page.wait_for_url("**submitted=1**", timeout=180_000)

    results = page.locator("#results")
    expect(results.get_by_role("heading", name=t(lang, "Styles for you"))).to_be_visible()
    style = results.locator(f'article[data-style="{expected}"]')
    expect(style).to_have_count(1)
    picture = style.locator("img.style-picture")
    expect(picture).to_be_visible()
    # The picture loads lazily: in view, it must arrive whole (a missing file never does).
    picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle(), timeout=30_000
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px)"
    assert run_axe(page) == []

    book = style.locator("a.book-style").first
    href = book.get_attribute("href")
    service_id = href.split("service=")[1].split("&")[0]
    book.click()
    page.wait_for_url(f"**/book/{slug}/**")
    expect(page.locator(f'input[name="service"][value="{service_id}"]')).to_be_checked()
