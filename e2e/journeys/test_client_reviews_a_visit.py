"""Journey: a signed-in client reviews a completed visit (issue #14, point 11).

On a phone, through pages only, in each of en, fr, ru and ar: a demo client signs
in, opens My visits, chooses a completed visit that is not reviewed yet ("Write a
review"), gives the stars on real radio buttons with the keyboard (each named with
its plural: "4 звезды"), rates an aspect, writes a few words and publishes. The
account thanks them and the visit says it is reviewed; the salon page, reached
from the visit's link, shows the review with its stars, their name and the text,
and the salon's rating; its map's buttons are in the reader's language. Reviews
are published at once (moderation only hides a reported one); the salon's owner
then replies from the back office in a second browser, and the client sees it.

The demo seeds completed visits: client@ has three (en and fr each take the first
still unreviewed), client.moscow@ and client.riyadh@ two each.
"""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import LANGUAGES, office_menu, sign_in, t
from solibook.demo.billing import OVERDUE

pytestmark = pytest.mark.browser

CLIENTS = {
    "en": "client@solibook.demo",
    "fr": "client@solibook.demo",
    "ru": "client.moscow@solibook.demo",
    "ar": "client.riyadh@solibook.demo",
}
WORDS = {
    "en": "Warm welcome and a precise cut, on time.",
    "fr": "Accueil chaleureux, travail soigné et ponctuel.",
    "ru": "Тёплый приём, аккуратная работа, всё вовремя.",
    "ar": "استقبال دافئ وعمل متقن وفي الموعد.",
}
REPLIES = {
    "en": "Thank you, see you soon!",
    "fr": "Merci, à très bientôt !",
    "ru": "Спасибо, ждём вас снова!",
    "ar": "شكرًا لك، ننتظر زيارتك القادمة!",
}
OWNERS = {
    "en": "owner@solibook.demo",
    "fr": "owner@solibook.demo",
    "ru": "owner.moscow@solibook.demo",
    "ar": "owner.riyadh@solibook.demo",
}
STARS = 4  # reached from the first radio (5) with the keyboard


def stars_label(lang: str, n: int) -> str:
    with translation.override(lang):
        shown = translation.ngettext("%(n)s star", "%(n)s stars", n) % {"n": n}
    assert lang == "en" or "star" not in shown, f"no {lang} plural for stars"
    return shown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_client_reviews_a_completed_visit(demo_site, phone_page, lang):
    page = phone_page
    sign_in(page, demo_site, lang, CLIENTS[lang])
    page.goto(demo_site.page_url(lang, "me/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")

    past = page.locator("section[aria-labelledby=past-title]")
    write = past.get_by_role("link", name=t(lang, "Write a review"))
    expect(write.first).to_be_visible()
    # Not a visit at the demo salon whose unpaid invoice keeps its back office read-only:
    # its owner could not answer the review (solibook.demo.billing.OVERDUE).
    card = (
        past.locator("article.visit")
        .filter(has=page.get_by_role("link", name=t(lang, "Write a review")))
        .filter(has_not=page.locator(f"h3 a[href*='/salons/{OVERDUE}/']"))
        .first
    )
    visit_id = card.get_attribute("data-visit")
    salon_link = card.locator("h3 a")
    salon_name = salon_link.inner_text().strip()
    salon_href = salon_link.get_attribute("href")
    assert salon_href.startswith(f"/{lang}/salons/"), salon_href
    expect(card).to_contain_text(t(lang, "Completed"))
    card.get_by_role("link", name=t(lang, "Write a review")).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/{lang}/me/visits/{visit_id}/review/"), page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text(salon_name)

    # The stars: visible radio buttons in a fieldset, named in the reader's words,
    # chosen with the keyboard.
    stars = page.get_by_role("group", name=t(lang, "Overall"))
    five = stars.get_by_role("radio", name=stars_label(lang, 5), exact=True)
    expect(five).to_be_visible()
    box = five.bounding_box()
    assert box and 8 <= box["width"] <= 32 and 8 <= box["height"] <= 32, box
    five.focus()
    page.keyboard.press("Space")
    expect(five).to_be_checked()
    page.keyboard.press("ArrowDown")
    four = stars.get_by_role("radio", name=stars_label(lang, STARS), exact=True)
    expect(four).to_be_checked()
    expect(four).to_be_focused()
    page.get_by_label(t(lang, "Quality"), exact=True).select_option("5")
    page.get_by_label(t(lang, "Your review"), exact=True).fill(WORDS[lang])
    violations = run_axe(page)
    assert not violations, violations
    screenshot(page, f"journey-review-form-{lang}")
    page.get_by_role("button", name=t(lang, "Publish my review")).click()
    page.wait_for_load_state()

    # Acknowledged in the account: the thanks, and the visit now says it is reviewed.
    assert page.url.endswith(f"/{lang}/me/"), page.url
    expect(page.locator("#messages")).to_contain_text(t(lang, "Thank you for your review."))
    reviewed = page.locator(f"article.visit[data-visit='{visit_id}']")
    expect(reviewed).to_contain_text(t(lang, "Reviewed — thank you."))
    expect(reviewed.get_by_role("link", name=t(lang, "Write a review"))).to_have_count(0)

    # The salon page shows it, reached from the visit's own link.
    reviewed.locator("h3 a").click()
    page.wait_for_load_state()
    assert page.url.split("#")[0].endswith(salon_href), page.url
    expect(page.locator("#salon-rating")).to_be_visible()
    review = page.locator("article.review").filter(has_text=WORDS[lang])
    expect(review).to_have_count(1)
    expect(review.get_by_label(t(lang, "%(n)s out of 5", n=STARS))).to_have_text("★★★★☆")
    # The map's own buttons speak the reader's language too (Leaflet's are English).
    # The map starts when it scrolls near the screen (issue #24: nothing fetched before).
    page.locator("#salon-map").scroll_into_view_if_needed()
    zoom_in = page.locator("#salon-map .leaflet-control-zoom-in")
    expect(zoom_in).to_have_attribute("title", t(lang, "Zoom in"))
    expect(zoom_in).to_have_attribute("aria-label", t(lang, "Zoom in"))
    expect(page.locator("#salon-map .leaflet-control-zoom-out")).to_have_attribute(
        "title", t(lang, "Zoom out")
    )
    page.locator("#salon-map .leaflet-marker-icon").first.click()
    expect(page.locator("#salon-map .leaflet-popup-close-button")).to_have_attribute(
        "aria-label", t(lang, "Close")
    )

    # The salon's owner answers from the back office, in a browser of their own,
    # through its pages: their workplaces, the salon, Reviews, the reply under it.
    owner_context = page.context.browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        office = owner_context.new_page()
        sign_in(office, demo_site, lang, OWNERS[lang])
        office.goto(demo_site.page_url(lang, "accounts/"))
        office.get_by_role("link", name=salon_name, exact=True).click()
        office.wait_for_load_state()
        office_menu(office, lang, "Reviews", group="Marketing")
        theirs = office.locator("article").filter(has_text=WORDS[lang])
        expect(theirs).to_contain_text(f"{STARS}/5")
        theirs.get_by_label(t(lang, "Your public reply")).fill(REPLIES[lang])
        theirs.get_by_role("button", name=t(lang, "Publish the reply")).click()
        office.wait_for_load_state()
        expect(office.locator("#messages")).to_contain_text(t(lang, "Your reply is published."))
    finally:
        owner_context.close()

    page.reload()
    review = page.locator("article.review").filter(has_text=WORDS[lang])
    expect(review).to_contain_text(t(lang, "The salon's reply"))
    expect(review).to_contain_text(REPLIES[lang])
    review.scroll_into_view_if_needed()
    violations = run_axe(page)
    assert not violations, violations
    screenshot(page, f"journey-review-on-salon-page-{lang}")
