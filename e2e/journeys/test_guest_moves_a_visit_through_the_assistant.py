"""Journey (issue #21, point 3): a guest cancels a visit through the virtual
consultant, on a phone, in French and Arabic, through pages only on the demo
`make run` serves.

The guest books without an account (a phone verified with the code read in
the demo inbox), then opens the chat on the salon's page, asks in their own
words to cancel their visit, gives their mobile number, reads the new code
in the demo inbox, types it, reads the summary and confirms. The manage page
the booking's done page linked then shows the visit cancelled.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import t
from e2e.journeys.inbox import latest_code
from e2e.journeys.wizard import (
    Clicks,
    booked,
    choose_a_time,
    choose_first_service,
    confirm,
    verify_as_guest,
)

pytestmark = pytest.mark.browser
REPLY_MS = 90_000  # a reply on the shared 2-core machine, models loading on the first
CODE_SECONDS = 30

# Salons without a deposit; a phone of the salon's country no other journey uses.
CASES = {
    "fr": ("ongles-sens", "+33611223344", "Je voudrais annuler mon rendez-vous, s'il vous plaît"),
    "ar": ("boroda", "+966551234567", "الغي موعدي"),
}


def last_line(page):
    return page.locator("#assistant-log .assistant-line-assistant").last


def say(page, lang: str, text: str) -> None:
    """Type a message and wait for the assistant's answer to it."""
    answers = page.locator("#assistant-log .assistant-line-assistant")
    before = answers.count()
    field = page.get_by_label(t(lang, "Your message"))
    field.fill(text)
    field.press("Enter")
    expect(answers).to_have_count(before + 1, timeout=REPLY_MS)


def new_code(page, site, *, to: str, lang: str, old: str) -> str:
    """The code of the newest SMS to `to`, once it is not the booking's."""
    deadline = time.monotonic() + CODE_SECONDS
    while True:
        code = latest_code(page, site, to=to, lang=lang)
        if code != old or time.monotonic() > deadline:
            assert code != old, "no new code in the demo inbox"
            return code
        time.sleep(1)


@pytest.mark.parametrize("lang", list(CASES))
def test_a_guest_cancels_a_visit_through_the_assistant(demo_site, phone_page, lang):
    slug, phone, request = CASES[lang]
    page = phone_page

    # A visit booked as a guest, the phone proved with the wizard's code.
    page.goto(demo_site.page_url(lang, f"salons/{slug}/"))
    clicks = Clicks(page)
    choose_first_service(clicks, lang)
    choose_a_time(clicks, skip_days=5)
    verify_as_guest(clicks, demo_site, lang, name=f"Chat {lang.upper()}", contact=phone)
    assert not confirm(clicks, lang), "a salon without a deposit books at once"
    booked(page, lang)
    manage = page.locator("#manage-link").get_attribute("href")
    booking_code = latest_code(page, demo_site, to=phone, lang=lang)

    # The chat on the salon's page: nothing about a visit before the code.
    page.goto(demo_site.page_url(lang, f"salons/{slug}/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    page.get_by_role("button", name=t(lang, "Chat with us")).click()
    expect(page.get_by_label(t(lang, "Your message"))).to_be_focused()
    say(page, lang, request)
    expect(last_line(page)).to_contain_text(
        t(
            lang,
            "To find your visits, I need to check it's you. What is your mobile number? "
            "I'll send you a code by SMS.",
        )
    )
    say(page, lang, phone)
    expect(last_line(page)).to_contain_text(
        t(lang, "I've sent a six-digit code to your phone. Please type it here.")
    )
    code = new_code(page, demo_site, to=phone, lang=lang, old=booking_code)
    say(page, lang, code)

    # The summary waits for an explicit yes.
    summary = t(lang, "Cancel your visit on %(visit)s?", visit="@@").split("@@")[0]
    expect(last_line(page)).to_contain_text(summary.strip())
    confirm_button = page.get_by_role("button", name=t(lang, "Yes, confirm"))
    expect(confirm_button).to_be_visible()
    violations = run_axe(page)
    assert not violations, violations
    screenshot(page, f"journey-assistant-cancel-{lang}")
    confirm_button.click()
    expect(last_line(page)).to_contain_text(t(lang, "Your visit is cancelled."), timeout=REPLY_MS)

    # The manage link of the booking shows it cancelled.
    found = re.search(r"/[a-z]{2}/m/[^/?#]+/", manage)
    assert found, manage
    page.goto(demo_site.url + found.group(0))
    expect(page.locator("#visit-status")).to_have_text(t(lang, "Cancelled"))
