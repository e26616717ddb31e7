"""Journey: a guest manages the booking without an account (issue #14, point 2),
on a phone, in en, fr, ru and ar, through pages only on the demo `make run` serves.

The guest books (no account, an e-mail verified with the code read in the demo
inbox), finds the manage link on the done page and in the confirmation e-mail,
opens it, downloads the visit as a calendar file, moves the visit to another
day, reads the cancellation policy before confirming, and cancels. A made-up
link gets a clear page in the guest's language.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import LANGUAGES, t
from e2e.journeys.inbox import latest_link
from e2e.journeys.wizard import (
    Clicks,
    booked,
    choose_a_time,
    choose_first_service,
    confirm,
    verify_as_guest,
)

pytestmark = pytest.mark.browser

# Salons without a deposit (the deposit journey comes first when chained), one
# guest and day per language: the demo data is shared by every journey.
SALONS = {"en": "ongles-sens", "fr": "ongles-sens", "ru": "zhemchug", "ar": "boroda"}
GUESTS = {lang: f"manage.guest.{lang}@example.test" for lang in LANGUAGES}
DAYS_AHEAD = {"en": 12, "fr": 13, "ru": 14, "ar": 15}


def manage_path(href: str) -> str:
    """The link's path from /<lang>/m/ on (the e-mail's is absolute)."""
    found = re.search(r"/[a-z]{2}/m/[^/?#]+/", href)
    assert found, href
    return found.group(0)


def token(href: str) -> str:
    """The signed token (the e-mail is in the recipient's language, the page in the guest's)."""
    return manage_path(href).split("/m/", 1)[1]


def visit_start(page) -> str:
    return page.locator("#visit-when").get_attribute("datetime")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_guest_moves_and_cancels_through_the_manage_link(demo_site, phone_page, lang):
    page = phone_page
    page.goto(demo_site.page_url(lang, f"salons/{SALONS[lang]}/"))
    clicks = Clicks(page)
    choose_first_service(clicks, lang)
    choose_a_time(clicks, skip_days=DAYS_AHEAD[lang] % 7 or 1)
    verify_as_guest(clicks, demo_site, lang, name=f"Manage {lang.upper()}", contact=GUESTS[lang])
    assert not confirm(clicks, lang), "a salon without a deposit books at once"
    booked(page, lang)

    # The done page and the confirmation e-mail carry the same link.
    on_done = page.locator("#manage-link")
    expect(on_done).to_have_text(t(lang, "Manage your booking"))
    link = manage_path(on_done.get_attribute("href"))
    in_mail = latest_link(page, demo_site, to=GUESTS[lang], containing="/m/", lang=lang)
    assert token(in_mail) == token(link), (in_mail, link)

    # The manage page: details, the policy, add to calendar.
    page.goto(demo_site.url + link)
    expect(page.get_by_role("heading", name=t(lang, "Your booking"), exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    expect(page.locator("#cancellation-policy")).to_be_visible()
    violations = run_axe(page)
    assert not violations, violations
    screenshot(page, f"journey-manage-{lang}")
    with page.expect_download() as download:
        page.locator("#add-ics").click()
    calendar_file = download.value
    assert calendar_file.suggested_filename == "visit.ics"
    text = Path(calendar_file.path()).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in text and "DTSTART;TZID=" in text, text[:400]

    # Reschedule to another day.
    before = visit_start(page)
    page.get_by_role("link", name=t(lang, "Reschedule"), exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=t(lang, "Choose a new time"))).to_be_visible()
    days = page.locator("#reschedule-days a:not([aria-current])")
    for index in range(days.count()):
        days.nth(index).click()
        page.wait_for_load_state()
        times = page.locator("main form button[name=start]")
        if times.count():
            break
    else:
        pytest.fail("no free time in the week the reschedule page shows")
    times.first.click()
    page.wait_for_load_state()
    expect(page.locator("#messages")).to_contain_text(t(lang, "Your visit is moved."))
    assert visit_start(page) != before

    # Cancel: the policy and any fee first, then the visit is cancelled.
    page.get_by_role("link", name=t(lang, "Cancel the visit")).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=t(lang, "Cancel this visit?"))).to_be_visible()
    policy = page.locator("#cancel-policy")
    expect(policy).to_contain_text(t(lang, "Cancellation:"))
    violations = run_axe(page)
    assert not violations, violations
    page.get_by_role("button", name=t(lang, "Cancel the visit")).click()
    page.wait_for_load_state()
    expect(page.locator("#messages")).to_contain_text(t(lang, "Your visit is cancelled."))
    expect(page.locator("#visit-status")).to_have_text(t(lang, "Cancelled"))
    expect(page.get_by_role("link", name=t(lang, "Reschedule"), exact=True)).to_have_count(0)

    # An altered link: a clear page in the guest's language, nothing of the visit.
    forged = link.replace("/m/", "/m/9", 1)
    page.goto(demo_site.url + forged)
    expect(page.get_by_role("heading", name=t(lang, "This link is not valid"))).to_be_visible()
    expect(page.locator("#visit-details")).to_have_count(0)
