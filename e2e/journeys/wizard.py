"""Steps of the booking wizard and the payment pages, as a person takes them
on a phone, in their language (`t()`), through pages only.

`Clicks` wraps the page: every click a step makes goes through it, so a
journey can say how many clicks it took from the salon page to the booking.
Typing (a name, a card number, a code read in the demo inbox) is not a click.
"""

import re
from dataclasses import dataclass, field

from playwright.sync_api import expect

from e2e.journeys.conftest import t
from e2e.journeys.inbox import latest_code

TEST_CARD_OK = "4242 4242 4242 4242"
TEST_CARD_DECLINED = "4000 0000 0000 0002"
TEST_CARD_3DS = "4000 0027 6000 3184"


@dataclass
class Clicks:
    page: object
    count: int = 0
    log: list[str] = field(default_factory=list)

    def click(self, locator, what: str = "") -> None:
        """Click `locator` (a Playwright locator) and wait for the page it leads to."""
        locator.click()
        self.count += 1
        self.log.append(what)
        self.page.wait_for_load_state()


def salon_links(page, site, lang: str, city: str) -> list[tuple[str, int]]:
    """(salon path, location id) of every salon location a city page lists."""
    page.goto(site.page_url(lang, f"in/{city}/"))
    found = []
    for href in page.locator("a[href*='/salons/'][href*='#location-']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    ):
        path, _hash, location = href.partition("#location-")
        # A result link says where the client came from (?via=search): the path is the salon.
        entry = (path.split("?")[0], int(location))
        if entry not in found:
            found.append(entry)
    return found


def deposit_shown(page) -> str:
    """The deposit line of the salon page's policies ("" when none is asked)."""
    policies = page.locator("section[aria-labelledby=policy-h] li")
    return policies.nth(1).inner_text().strip()


def choose_first_service(clicks: Clicks, lang: str, *, location: int | None = None) -> str:
    """From the salon page: "Book now", the location, the first service, "Choose a time".
    Returns the service's name."""
    page = clicks.page
    clicks.click(page.locator("#book-now"), "book now")
    where = page.locator("#wizard-services select[name=location]")
    if location is not None and where.count():
        where.select_option(str(location))
        page.wait_for_load_state()
        expect(where).to_have_value(str(location))
    first = page.locator("#wizard-services input[name=service]").first
    name = page.locator(f"label[for='{first.get_attribute('id')}'] .fw-semibold").inner_text()
    clicks.click(first, "service")
    clicks.click(page.get_by_role("button", name=t(lang, "Choose a time")), "choose a time")
    return name


def choose_a_time(clicks: Clicks, *, skip_days: int = 1, last: bool = True) -> str:
    """The slot picker: a day at least `skip_days` ahead that has free times,
    then its last (or first) time. Returns the time's label."""
    page = clicks.page
    days = page.locator("#slot-picker nav a:not([aria-label])")
    index = skip_days
    while True:
        if index:
            day = days.nth(index).get_attribute("href").rsplit("date=", 1)[1]
            clicks.click(days.nth(index), "day")
            # htmx swaps the picker in place (the week then starts on that
            # day): wait for it before reading the day's times.
            current = page.locator("#slot-picker nav a[aria-current=date]")
            expect(current).to_have_attribute("href", re.compile(f"date={day}$"))
            index = 0
        slots = page.locator("#slot-picker button.slot")
        if slots.count():
            break
        index = 1
        assert days.count() > 1, "no free time in the week the picker shows"
    slot = slots.last if last else slots.first
    label = slot.locator(".fw-semibold").inner_text()
    clicks.click(slot, "time")
    return label


def verify_as_guest(clicks: Clicks, site, lang: str, *, name: str, contact: str) -> None:
    """Step 3 as a guest: name and e-mail or phone, the code read in the demo inbox."""
    page = clicks.page
    expect(page.get_by_role("heading", name=t(lang, "Who is coming?"))).to_be_visible()
    page.get_by_label(t(lang, "Your name")).fill(name)
    if not contact.count("@"):
        page.locator("input[name=channel][value=sms]").check()
    page.get_by_label(t(lang, "E-mail address or phone number")).fill(contact)
    clicks.click(page.get_by_role("button", name=t(lang, "Send me a code")), "send code")
    code = latest_code(page, site, to=re.sub(r"\s", "", contact), lang=lang)
    page.get_by_label(t(lang, "The six-digit code we sent")).fill(code)
    clicks.click(page.get_by_role("button", name=t(lang, "Verify")), "verify")
    expect(page.get_by_role("heading", name=t(lang, "Confirm your booking"))).to_be_visible()


def confirm(clicks: Clicks, lang: str) -> bool:
    """The confirm step; True when it leads to a payment (a deposit is due)."""
    page = clicks.page
    button = page.locator("#confirm-button")
    to_pay = button.inner_text().strip() == t(lang, "Continue to payment")
    if not to_pay:
        expect(button).to_have_text(t(lang, "Confirm booking"))
    clicks.click(button, "confirm")
    return to_pay


def card(clicks: Clicks, lang: str, number: str) -> None:
    """The test-mode card page: a test card, a future expiry, a code; Pay."""
    page = clicks.page
    expect(page.get_by_role("heading", name=t(lang, "Pay by card"))).to_be_visible()
    expect(page.locator("#test-mode-banner")).to_contain_text(
        t(lang, "Test payments — no real money")
    )
    page.get_by_label(t(lang, "Card number")).fill(number)
    page.get_by_label(t(lang, "Expiry (MM/YY)")).fill("12/34")
    page.get_by_label(t(lang, "Security code (CVC)")).fill("123")
    clicks.click(page.locator("#card-pay"), "pay by card")


def pay_deposit(clicks: Clicks, lang: str, number: str = TEST_CARD_OK) -> None:
    """From the payment step: Pay, the card; lands on the done page."""
    page = clicks.page
    clicks.click(page.locator("#pay-button"), "pay")
    card(clicks, lang, number)


def booked(page, lang: str) -> None:
    expect(page.get_by_role("heading", name=t(lang, "You are booked!"))).to_be_visible()
