"""Journey (issue #22, points 2 and 6): a master's own calendar blocks a slot.

Against `make run`'s demo, in English and in French, through pages only,
with the journey's own CalDAV server (a real Radicale, started here; the
demo profile lets the site reach an address on 127.0.0.1):

- A client opens Atelier Lumière's booking wizard, chooses a service with
  one master and a day, and sees a time offered.
- The owner opens the back office, Catalogue → Calendar sync, that master's
  page, and connects the master's CalDAV calendar (address, user name,
  password; the password is not shown back).
- On the master's phone (a CalDAV client of the same calendar) a busy event
  is put over that time.
- The owner presses "Sync now": the page says one busy period was read.
- The wizard, reloaded, no longer offers that time, and still offers others.
"""

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import office_menu, sign_in, t
from solibook.calendarsync.tests import radicale_server

pytestmark = pytest.mark.browser

OWNER = "owner@solibook.demo"
SALON = "Atelier Lumière"
# Each language's run connects a different master (a connected master's page
# shows its connection, not the form).
MASTER_INDEX = {"en": 0, "fr": 1}
SYNCED = "Synchronised. Busy periods from the calendar: %(busy)d. Visits written to it: %(pushed)d."


@pytest.fixture
def caldav():
    server = radicale_server.start({"phone": "phone-secret"})
    yield server
    server.stop()


def _salon_slug(page, site, lang: str) -> str:
    page.goto(site.page_url(lang, "office/"))
    page.get_by_role("link", name=SALON, exact=True).click()
    page.wait_for_load_state()
    return page.url.split("/office/", 1)[1].split("/", 1)[0]


def _choose_master_and_day(page, site, lang: str, slug: str) -> tuple[str, list[str]]:
    """The wizard: a service with one chosen master, two days ahead. Returns
    the master's name and the starts offered that day."""
    page.goto(site.page_url(lang, f"salons/{slug}/"))
    page.locator("#book-now").click()
    page.wait_for_load_state()
    choices = []  # (service id, master id, master name), masters in order of appearance
    for select in page.locator("select.master-choice").all():
        service_id = select.get_attribute("id").removeprefix("master-")
        for option in select.locator("option").all():
            value = option.get_attribute("value")
            if value != "any" and value not in {c[1] for c in choices}:
                choices.append((service_id, value, option.inner_text().strip()))
    service_id, master_id, master_name = choices[MASTER_INDEX[lang]]
    page.locator(f"#service-{service_id}").check()
    page.locator(f"#master-{service_id}").select_option(master_id)
    page.get_by_role("button", name=t(lang, "Choose a time")).click()
    page.wait_for_load_state()
    days = page.locator("#slot-picker nav a:not([aria-label])")
    index = 2
    while True:
        day = days.nth(index).get_attribute("href").rsplit("date=", 1)[1]
        days.nth(index).click()
        page.wait_for_url(f"**date={day}*")
        starts = page.locator("#slot-picker button.slot").evaluate_all(
            "slots => slots.map(s => s.dataset.start)"
        )
        if len(starts) >= 3:
            return master_name, starts
        index = 1
        days = page.locator("#slot-picker nav a:not([aria-label])")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_busy_event_in_the_masters_calendar_blocks_the_slot(browser, demo_site, caldav, lang):
    calendar_url = caldav.make_calendar("phone", f"work-{lang}")
    office = browser.new_context(viewport={"width": 1366, "height": 768})
    client = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    owner, visitor = office.new_page(), client.new_page()
    try:
        sign_in(owner, demo_site, lang, OWNER)
        slug = _salon_slug(owner, demo_site, lang)

        master, starts = _choose_master_and_day(visitor, demo_site, lang, slug)
        wizard_url = visitor.url
        taken = starts[len(starts) // 2]

        office_menu(owner, lang, "Calendar sync", "Catalogue")
        expect(owner.get_by_role("heading", level=1)).to_have_text(t(lang, "Calendar sync"))
        owner.locator("tr", has_text=master).get_by_role("link").click()
        owner.wait_for_load_state()
        owner.get_by_label(t(lang, "Calendar address (CalDAV)")).fill(calendar_url)
        owner.get_by_label(t(lang, "User name")).fill("phone")
        owner.get_by_label(t(lang, "Password or app password")).fill("phone-secret")
        owner.get_by_role("button", name=t(lang, "Connect"), exact=True).click()
        owner.wait_for_load_state()
        expect(
            owner.get_by_text(t(lang, "Calendar connected. It is being synchronised."))
        ).to_be_visible()
        assert "phone-secret" not in owner.content()

        # The master's phone: a busy event over the time the client saw.
        begins = datetime.fromisoformat(taken)
        caldav.phone("phone", calendar_url).save_event(
            dtstart=begins,
            dtend=begins + timedelta(minutes=30),
            summary="Dentist",
            uid=f"dentist-{lang}",
        )

        owner.get_by_role("button", name=t(lang, "Sync now")).click()
        owner.wait_for_load_state()
        said = t(lang, SYNCED).split("%(pushed)d")[0] % {"busy": 1}
        expect(owner.locator(".alert-success")).to_contain_text(said)
        expect(owner.get_by_role("heading", level=2, name=t(lang, "Conflicts"))).to_be_visible()
        violations = run_axe(owner)
        assert not violations, violations
        screenshot(owner, f"journey-calendar-sync-{lang}")

        visitor.goto(wizard_url)
        visitor.wait_for_load_state()
        now_offered = visitor.locator("#slot-picker button.slot").evaluate_all(
            "slots => slots.map(s => s.dataset.start)"
        )
        assert taken not in now_offered
        assert set(starts) - {taken} & set(now_offered), "other times stay bookable"
    finally:
        office.close()
        client.close()
