"""Journey (issue #22, point 5): a client opens a support ticket and gets an answer.

Through pages only, against `make run`'s demo:
- a demo client (in French, or in Arabic right to left), signed in on a phone
  (390 px), opens a request from the site's "Help and support" page;
- support (support@solibook.demo), on a desktop in English, finds it in the
  console's queue (with its SLA timers), inserts a canned reply — it comes in the
  client's language — and sends it, marking the request resolved;
- the client reads the answer in the demo inbox and in their account, follows
  the e-mail's rating link and rates it 5, once (a second rating is refused).
"""

import time

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import sign_in, t
from e2e.journeys.inbox import latest_link

pytestmark = pytest.mark.browser

SUPPORT = "support@solibook.demo"
CLIENTS = {"fr": "client@solibook.demo", "ar": "client.riyadh@solibook.demo"}
# The canned reply's opening words in each language (solibook/demo/support.py).
CANNED_START = {"fr": "Vous pouvez annuler depuis", "ar": "يمكنك الإلغاء من"}


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_client_opens_a_ticket_and_rates_the_answer(browser, demo_site, lang):
    client_email = CLIENTS[lang]
    subject = f"{t(lang, 'Help and support')} {int(time.time())}"

    # The client, on a phone, opens a request from the footer's link.
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    try:
        sign_in(page, demo_site, lang, client_email)
        page.get_by_role("link", name=t(lang, "Help and support"), exact=True).click()
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
        page.get_by_label(t(lang, "Subject")).fill(subject)
        page.get_by_label(t(lang, "How can we help?")).fill("Le bouton Annuler a disparu.")
        assert not run_axe(page)
        page.get_by_role("button", name=t(lang, "Send the request"), exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_have_text(subject)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, f"support-client-opened-{lang}")
    finally:
        phone.close()

    # Support answers in the console with a canned reply, in the client's language.
    desk = browser.new_context(viewport={"width": 1366, "height": 768})
    page = desk.new_page()
    try:
        sign_in(page, demo_site, "en", SUPPORT)
        page.goto(demo_site.page_url("en", "platform/"))
        console = page.get_by_role("navigation", name="Operator console")
        console.get_by_role("link", name="Support desk", exact=True).click()
        page.wait_for_load_state()
        expect(page.locator(".support-timer").first).to_be_visible()  # SLA countdowns
        page.get_by_label("Search").fill(subject)
        page.get_by_role("button", name="Filter", exact=True).click()
        page.wait_for_load_state()
        page.get_by_role("link", name=subject, exact=True).click()
        page.wait_for_load_state()
        page.get_by_role("button", name="Take it", exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_text("Assignment saved.")).to_be_visible()
        page.get_by_label("Canned reply", exact=True).select_option(label="Cancel a visit")
        page.get_by_role("button", name=f"Insert in {lang.upper()}", exact=True).click()
        page.wait_for_load_state()
        reply = page.get_by_label("Reply", exact=True)
        assert reply.input_value().startswith(CANNED_START[lang]), reply.input_value()
        page.get_by_label("Then set the status to").select_option("resolved")
        assert not run_axe(page)
        page.get_by_role("button", name="Send the reply", exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_text("Reply sent.")).to_be_visible()
        screenshot(page, f"support-console-answered-{lang}")
    finally:
        desk.close()

    # The client reads the answer (inbox and account) and rates it, once.
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    try:
        sign_in(page, demo_site, lang, client_email)
        rate = latest_link(page, demo_site, to=client_email, containing="/rate/", lang=lang)
        page.goto(demo_site.page_url(lang, "me/support/"))
        page.get_by_role("link", name=subject, exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_text(CANNED_START[lang]).first).to_be_visible()
        page.goto(rate)
        page.get_by_label("5", exact=True).check()
        page.get_by_label(t(lang, "Comment (optional)")).fill("👍")
        assert not run_axe(page)
        page.get_by_role("button", name=t(lang, "Send my rating"), exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_text(t(lang, "Thank you for rating our answer."))).to_be_visible()
        expect(page.get_by_role("button", name=t(lang, "Send my rating"))).to_have_count(0)
        screenshot(page, f"support-client-rated-{lang}")
    finally:
        phone.close()
