"""Journey: what the API can do, a client does through the pages (issue #14,
point 4), on a phone, in en, fr, ru and ar, on the demo `make run` serves.

A new client signs up, then:
(a) books a visit of two services at Жемчуг with a different master chosen
    for each; the confirm step's summary and then their visits list each
    service with its master and its time, the second right after the first;
(b) opens the salon's group classes from its page, books a seat (paying the
    deposit where the salon asks one) and sees the seats left go down; at a
    full session, joins its waitlist;
(c) the salon's desk (the owner, in the back office's calendar, on a desk
    screen) cancels a seat of that full session; the client finds the offer
    in the Waitlist tab (its message in the demo inbox links to the same
    page), presses its button (Confirm, or Continue to payment and the test
    card where a deposit is due) and sees the booking in their visits.

Lyon's yoga (Spa des Canuts, 30 % deposit) serves en and fr, Moscow's nail
class (Жемчуг, no deposit) ru and ar. The demo has two full sessions per
class: one language takes the first, the other the last, so the runs never
wait on the same seat; every run has its own client and days.
"""

import os
import re
import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import translation
from django.utils.translation import ngettext
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import LANGUAGES, sign_in, t
from e2e.journeys.inbox import latest_link
from e2e.journeys.wizard import Clicks, booked, card, choose_a_time, confirm

pytestmark = pytest.mark.browser

VISIT_SALON = "zhemchug"
# (service, master chosen for it): a haircut and a manicure, two masters.
TWO_SERVICES = (("Женская стрижка", "Мария Попова"), ("Аппаратный маникюр", "Ольга Соколова"))
VISIT_DAYS = {"en": 3, "fr": 4, "ru": 5, "ar": 6}
# Where each language books its class: salon, its owner, deposit asked, which full session.
CLASSES = {
    "en": ("spa-des-canuts", "owner@solibook.demo", True, 0),
    "fr": ("spa-des-canuts", "owner@solibook.demo", True, -1),
    "ru": ("zhemchug", "owner.moscow@solibook.demo", False, 0),
    "ar": ("zhemchug", "owner.moscow@solibook.demo", False, -1),
}
TIME_ZONES = {
    "en": "Europe/Paris",
    "fr": "Europe/Paris",
    "ru": "Europe/Moscow",
    "ar": "Europe/Moscow",
}
NAMES = {"en": "Ada Two", "fr": "Zoé Deux", "ru": "Вера Двое", "ar": "ليلى اثنان"}
OFFER_WAIT_SECONDS = 90


def sign_up(page, site, lang: str) -> str:
    """A new client through the sign-up page; signed in after it. Returns the e-mail."""
    email = f"classes.waitlist.{lang}.{os.getpid()}@example.test"
    page.goto(site.page_url(lang, "accounts/signup/"))
    page.get_by_label(t(lang, "Full name")).fill(NAMES[lang])
    page.get_by_label(t(lang, "E-mail address")).fill(email)
    page.get_by_label(t(lang, "Password")).fill(site.password + "-new")
    page.get_by_label(t(lang, "Time zone")).select_option(TIME_ZONES[lang])
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    expect(
        page.get_by_text(t(lang, "Welcome! We sent you a link to confirm your e-mail address."))
    ).to_be_visible()
    return email


def hhmm(text: str) -> str:
    found = re.search(r"\d{1,2}:\d{2}", text)
    assert found, text
    return found.group(0)


def two_master_visit(page, site, lang: str) -> None:
    """(a) Two services, a master chosen for each, chained; the summary and the visits say so."""
    page.goto(site.page_url(lang, f"salons/{VISIT_SALON}/"))
    clicks = Clicks(page)
    clicks.click(page.locator("#book-now"), "book now")
    for service, master in TWO_SERVICES:
        box = page.locator("#wizard-services .form-check").filter(has_text=service)
        box.locator("input[name=service]").check()
        box.locator("select.master-choice").select_option(label=master)
    clicks.click(page.get_by_role("button", name=t(lang, "Choose a time")), "choose a time")
    chosen = page.locator(".chosen-service")
    expect(chosen).to_have_count(2)
    for (service, master), line in zip(TWO_SERVICES, chosen.all(), strict=True):
        expect(line).to_contain_text(service)
        expect(line).to_contain_text(master)
    choose_a_time(clicks, skip_days=VISIT_DAYS[lang], last=False)

    # The confirm step (signed in: no contact step): each service, its master, its time.
    expect(page.get_by_role("heading", name=t(lang, "Confirm your booking"))).to_be_visible()
    lines = page.locator("#booking-summary .summary-line")
    expect(lines).to_have_count(2)
    times = []
    for (service, master), line in zip(TWO_SERVICES, lines.all(), strict=True):
        expect(line).to_contain_text(f"{service} · {master}")
        times.append(hhmm(line.locator("time").inner_text()))
    assert times[0] < times[1], f"the second service follows the first: {times}"
    assert not confirm(clicks, lang), "Жемчуг asks no deposit"
    booked(page, lang)

    page.goto(site.page_url(lang, "me/"))
    visit = page.locator("article.visit").filter(has_text=TWO_SERVICES[1][0])
    expect(visit).to_have_count(1)
    items = visit.locator(".visit-item")
    expect(items).to_have_count(2)
    for (service, master), at, item in zip(TWO_SERVICES, times, items.all(), strict=True):
        expect(item).to_contain_text(f"{at} {service} ({master})")


def seats_text(lang: str, seats: int) -> str:
    """ "N seats left" as the class list says it in `lang` (Arabic has six forms)."""
    with translation.override(lang):
        return ngettext("%(seats)s seat left", "%(seats)s seats left", seats) % {"seats": seats}


def seats_left(lang: str, session) -> int:
    shown = session.locator(".seats").inner_text().split("·")[0].strip()
    left = next((n for n in range(1, 100) if seats_text(lang, n) == shown), None)
    assert left is not None, f"seats shown as {shown!r}"
    return left


def book_a_seat(page, site, lang: str, slug: str, deposit: bool) -> None:
    """(b) From the salon page to its classes; a seat; the seats left go down."""
    page.goto(site.page_url(lang, f"salons/{slug}/"))
    clicks = Clicks(page)
    clicks.click(page.locator("#salon-classes"), "group classes")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    session = page.locator("li.class-session").filter(has=page.locator(".book-seat")).first
    session_id = session.get_attribute("data-session")
    left = seats_left(lang, session)
    clicks.click(session.locator(".book-seat"), "book a seat")
    assert confirm(clicks, lang) == deposit
    if deposit:
        expect(page.get_by_role("heading", name=t(lang, "Pay the deposit"))).to_be_visible()
        clicks.click(page.locator("#pay-button"), "pay")
        card(clicks, lang, "4242 4242 4242 4242")
    booked(page, lang)

    page.goto(site.page_url(lang, f"book/{slug}/classes/"))
    after = page.locator(f"li.class-session[data-session='{session_id}']")
    if left == 1:
        expect(after.locator(".seats")).to_contain_text(t(lang, "This class is full."))
    else:
        assert seats_left(lang, after) == left - 1


def join_a_full_class(page, site, lang: str, slug: str, which: int) -> dict:
    """(b) At a full session: Join the waitlist, the form prefilled with its day and times."""
    page.goto(site.page_url(lang, f"book/{slug}/classes/"))
    full = page.locator("li.class-session").filter(has=page.locator("a.join-waitlist"))
    assert full.count() >= 1, "the demo has full class sessions"
    session = full.nth(which if which >= 0 else full.count() + which)
    expect(session).to_contain_text(t(lang, "This class is full."))
    service = session.locator(".fw-semibold").first.inner_text().strip()
    link = session.locator("a.join-waitlist")
    query = {k: v[0] for k, v in parse_qs(urlparse(link.get_attribute("href")).query).items()}
    link.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=t(lang, "Join the waitlist"))).to_be_visible()
    form = page.locator("#waitlist-form")
    form.get_by_role("button", name=t(lang, "Join the waitlist")).click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == f"/{lang}/me/waitlist/", page.url
    expect(
        page.get_by_text(
            t(lang, "You are on the waitlist. We will write to you as soon as a time frees up.")
        )
    ).to_be_visible()
    entry = page.locator("#waitlist-entries .waitlist-entry").filter(has_text=service)
    expect(entry).to_have_attribute("data-state", "waiting")
    return {**query, "name": service}


def desk_cancels_a_seat(browser, site, lang: str, slug: str, owner: str, full: dict) -> None:
    """(c) The owner opens the calendar on the class's day and cancels one of its seats."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = context.new_page()
    try:
        sign_in(desk, site, lang, owner)
        desk.goto(site.page_url(lang, f"office/{slug}/calendar/?date={full['date']}"))
        desk.wait_for_selector(".ec-body")
        # One session of the class a day: any of its seats will do.
        seat = desk.locator(".ec-event.sb-busy", has_text=full["name"])
        expect(seat.first).to_be_attached(timeout=20_000)  # the calendar loads its events
        seat.first.dispatch_event("click")
        panel = desk.locator("#appointment-panel")
        expect(panel).to_be_visible()
        expect(desk.locator("#appointment-items")).to_contain_text(full["name"])
        desk.once("dialog", lambda dialog: dialog.accept())
        desk.locator("#appointment-actions button[data-status=cancelled]").click()
        expect(desk.get_by_text(t(lang, "Appointment cancelled."))).to_be_visible()
    finally:
        context.close()


def the_offer(page, site, lang: str, email: str, full: dict) -> str:
    """(c) The Waitlist tab shows the offer (reloaded until the worker made it); its page."""
    deadline = time.monotonic() + OFFER_WAIT_SECONDS
    page.goto(site.page_url(lang, "me/waitlist/"))
    entry = page.locator("#waitlist-entries .waitlist-entry").filter(has_text=full["name"])
    while entry.get_attribute("data-state") != "offered":
        assert time.monotonic() < deadline, "no offer in the Waitlist tab"
        time.sleep(2)
        page.reload()
    see = entry.locator("a.see-offer")
    expect(see).to_have_text(t(lang, "See the offer"))
    offer_path = see.get_attribute("href")
    # The offer's message, read in the demo inbox, links to the same page.
    link = latest_link(page, site, to=email, containing="/waitlist/", lang=lang)
    assert urlparse(link).path.split("/", 2)[2] == offer_path.split("/", 2)[2], (link, offer_path)
    see.click()
    page.wait_for_load_state()
    return offer_path


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_client_books_two_masters_a_class_seat_and_takes_a_waitlist_offer(
    demo_site, phone_page, browser, lang
):
    page = phone_page
    slug, owner, deposit, which = CLASSES[lang]
    email = sign_up(page, demo_site, lang)

    two_master_visit(page, demo_site, lang)
    screenshot(page, f"journey-two-masters-visits-{lang}")

    book_a_seat(page, demo_site, lang, slug, deposit)
    full = join_a_full_class(page, demo_site, lang, slug, which)
    assert run_axe(page) == []

    desk_cancels_a_seat(browser, demo_site, lang, slug, owner, full)

    offer_path = the_offer(page, demo_site, lang, email, full)
    expect(page.get_by_role("heading", name=t(lang, "A time is free for you"))).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    expect(page.locator("#offer-expires")).to_be_visible()
    button = page.locator("#offer-confirm")
    clicks = Clicks(page)
    if deposit:
        # The salon asks a deposit: the button leads to paying it, which confirms the time.
        expect(page.locator("#offer-deposit")).to_contain_text(t(lang, "Deposit to pay now"))
        expect(button).to_have_text(t(lang, "Continue to payment"))
        clicks.click(button, "continue to payment")
        expect(page.get_by_role("heading", name=t(lang, "Pay the deposit"))).to_be_visible()
        clicks.click(page.locator("#pay-button"), "pay")
        card(clicks, lang, "4242 4242 4242 4242")
        assert urlparse(page.url).path == f"/{lang}/me/", page.url
        page.goto(demo_site.url + offer_path)
    else:
        expect(button).to_have_text(t(lang, "Confirm"))
        clicks.click(button, "confirm")
    expect(page.get_by_role("heading", name=t(lang, "You are booked!"))).to_be_visible()
    assert run_axe(page) == []
    screenshot(page, f"journey-waitlist-offer-booked-{lang}")

    # The booking is in their visits, the entry no longer waits.
    clicks.click(page.get_by_role("link", name=t(lang, "See my visits")), "see my visits")
    # (The seat of (b) is the same class on another day; class times are evening, one date.)
    visit = page.locator(
        f"article.visit:has(h3 time[datetime^='{full['date']}'])", has_text=full["name"]
    )
    expect(visit).to_have_count(1)
    expect(visit).to_contain_text(full["from"])
    page.goto(demo_site.page_url(lang, "me/waitlist/"))
    entry = page.locator("#waitlist-entries .waitlist-entry").filter(has_text=full["name"])
    expect(entry).to_have_attribute("data-state", "booked")
    expect(entry.locator("a.see-offer")).to_have_count(0)
