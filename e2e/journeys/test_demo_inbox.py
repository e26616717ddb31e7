"""Journey: someone trying the demo finds the verification code without reading
server logs (issue #14, point 3).

On a phone, through pages only, in each of en, fr, ru and ar: a guest picks a
service and a time at Atelier Lumière, asks for the code by SMS, opens the demo
inbox (linked from every page), reads the code there, types it in the wizard
and is verified: the wizard moves on to the confirmation step. The channel is chosen
with the keyboard on real radio buttons, and the number reads left to right in Arabic.
"""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import LANGUAGES, t
from e2e.journeys.inbox import inbox_url, latest_code
from e2e.journeys.wizard import Clicks, choose_a_time

pytestmark = pytest.mark.browser

SALON_PATH = "book/atelier-lumiere/"
# One distinct guest and day per language: the demo data is shared by every journey.
PHONES = {
    "en": "+33 7 81 90 11 01",
    "fr": "+33 7 81 90 11 02",
    "ru": "+33 7 81 90 11 03",
    "ar": "+33 7 81 90 11 04",
}
DAYS_AHEAD = {"en": 23, "fr": 24, "ru": 25, "ar": 26}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_guest_reads_the_sms_code_in_the_demo_inbox(demo_site, phone_page, lang):
    page = phone_page
    day = datetime.now(UTC).date() + timedelta(days=DAYS_AHEAD[lang])
    page.goto(demo_site.page_url(lang, f"{SALON_PATH}?date={day.isoformat()}"))
    page.locator("input[name=service]").first.check()
    page.get_by_role("button", name=t(lang, "Choose a time")).click()
    page.wait_for_load_state()
    # That day's last time (the least wanted), or the next day's when the salon
    # is closed that day (a holiday falls on a different weekday every year).
    choose_a_time(Clicks(page), skip_days=0)

    page.get_by_label(t(lang, "Your name")).fill(f"Inbox Guest {lang}")
    # The code-channel choice shows real radio buttons (not empty pills), picked by keyboard.
    by_email = page.locator("input[name=channel][value=email]")
    expect(by_email).to_be_visible()
    expect(by_email).to_be_checked()
    box = by_email.bounding_box()
    assert box and box["width"] <= 32 and box["height"] <= 32, box
    by_email.focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=channel][value=sms]")).to_be_checked()
    violations = run_axe(page)
    assert not violations, violations
    page.get_by_label(t(lang, "E-mail address or phone number")).fill(PHONES[lang])
    page.get_by_role("button", name=t(lang, "Send me a code")).click()
    page.wait_for_load_state()
    expect(page.get_by_label(t(lang, "The six-digit code we sent"))).to_be_visible()
    sent_to = page.locator("[role=status] bdi[dir=ltr]")
    expect(sent_to).to_have_text(PHONES[lang].replace(" ", ""))

    # The demo inbox is one click away from any page; the helper reads it in a new tab.
    inbox_link = page.locator("footer").get_by_role("link", name=t(lang, "Demo inbox"))
    expect(inbox_link).to_have_attribute("href", f"/{lang}/demo/inbox/")
    code = latest_code(page, demo_site, to=PHONES[lang], lang=lang)

    inbox = page.context.new_page()
    inbox.goto(inbox_url(demo_site, to=PHONES[lang], lang=lang))
    message = inbox.locator(".inbox-message").first
    expect(message.locator(".inbox-code")).to_have_text(code)
    expect(message.locator(".inbox-to")).to_have_text(PHONES[lang].replace(" ", ""))
    expect(inbox.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    violations = run_axe(inbox)
    assert not violations, violations
    screenshot(inbox, f"journey-demo-inbox-{lang}")
    inbox.close()

    page.get_by_label(t(lang, "The six-digit code we sent")).fill(code)
    page.get_by_role("button", name=t(lang, "Verify")).click()
    page.wait_for_load_state()
    assert "/confirm/" in page.url, page.url
