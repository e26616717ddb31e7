"""Journey (issue #15, point 10): one receptionist's morning, chained, then the master's day.

On a desktop (1366×768), in English and in Russian, through pages only, at
Atelier Lumière (its Marais salon, where Léa Martin and Chloé Dubois work the
same days), each step using what the one before produced:

1. A new client calls: the receptionist looks the phone number up (no card),
   books a cut with Léa then a care with Chloé in one visit, typing the
   client's name and phone (when the time is taken or the salon is closed,
   one click takes the nearest free time).  Measured: clicks and seconds.
2. Today's arrivals (or the day the visit landed on): the client is checked in.
3. Check out from the arrivals list: the visit's two services, the €28 shampoo
   and a €5 tip for Léa, paid by card.  Measured: clicks and seconds.  A second
   tab opened on the same visit before the charge is refused afterwards.  The
   Stock page shows one bottle fewer on the Marais shelf.
4. The client buys a €20 gift card for a friend: its full code is read once,
   from the sale page (its PDF, sent by e-mail to the friend); the gift cards'
   list masks it, the lookup finds its balance.
5. Another client (booked at the desk by the demo) pays her visit at the till
   with that code: €25 from the card is refused (only €20 left, nothing
   charged), then €20 from the gift card and the rest by card (a split
   payment); the holder's balance page says nothing is left.
6. The first client is rebooked in a week from the calendar's panel: a no-show
   on that coming visit is refused (too early); the visit is then cancelled
   from the calendar while a till tab is open on it, and that tab's charge is
   refused.  A past visit never checked in (the demo's) is marked no-show with
   its confirmation, undone within the window, and marked again.
7. The owner refunds the shampoo by line: two units refused (one was sold),
   then one; the receipt shows the unit refunded, the tip untouched and €28
   paid back (printed too); the bottle is back on the shelf.
8. Léa signs in: her calendar on the visit's day shows the client in her own
   column (no phone numbers); her profile gives her calendar link (QR code);
   the test downloads the feed and parses it with icalendar: the morning's cut
   is there at the right UTC time, the cancelled visit is not.

The clicks and seconds of (a) the walk-in booking and (b) the checkout are
printed and written to bench/results/front_desk_journey.json.
"""

import json
import random
import re
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from icalendar import Calendar
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import ROOT, office_menu, sign_in, t
from e2e.journeys.inbox import inbox_url
from solibook.testing.races import stopwatch

pytestmark = pytest.mark.browser

SALON = "Atelier Lumière"
MARAIS = "Atelier Lumière Marais"
BATIGNOLLES = "Atelier Lumière Batignolles"  # Léa works there on Saturdays only
OFF_NOTES = ("Off today", "Away today", "Salon closed")
ZONE = ZoneInfo("Europe/Paris")
RECEPTION = "reception@solibook.demo"
OWNER = "owner@solibook.demo"
MASTER = "master@solibook.demo"
LEA = "Léa Martin"
CHLOE = "Chloé Dubois"
CUT = "Coupe femme et brushing"
CARE = "Soin profond Olaplex"
PRODUCT = "Shampoing Lumière 250 ml"
TIP = 5
GIFT = 20
# A new client per run (journeys share one demo): a first name and a surname drawn at random.
FIRST = {"en": ("Nora", "Maud", "Alice", "Jeanne"), "ru": ("Ольга", "Вера", "Нина", "Дарья")}
LAST = {
    "en": ("Morning", "Early", "Dawnley", "Bright", "Sunday", "Lark", "Rise", "Lightfoot"),
    "ru": ("Утренняя", "Ранняя", "Светлова", "Зорина", "Рассветова", "Жаворонкова"),
}
FRIEND = {"en": "Zoé", "ru": "Маша"}
FRIEND_EMAIL = {"en": "zoe.morning@example.test", "ru": "masha.morning@example.test"}
# Booked at the desk by the demo for today (solibook/demo/till.py), one per language.
OTHER_CLIENT = {"en": "Camille Roux", "ru": "Анна Соколова"}
# A past visit never checked in, and a coming one (solibook/demo/noshow.py).
NO_SHOW_CLIENT = {"en": "Hugo Lefèvre", "ru": "Ольга Петрова"}
CODE = re.compile(r"[A-HJ-NP-Z2-9]{4}(?:-[A-HJ-NP-Z2-9]{4}){3}")
PHONE = re.compile(r"\+\d[\d .]{7,}")
RESULTS = ROOT / "bench" / "results" / "front_desk_journey.json"


def first(text: str) -> str:
    """The words of a message before its first placeholder."""
    return re.split(r"%\(|\{\{", text)[0].strip()


def person_name(lang: str) -> str:
    """The label of a person's name ("Имя", not "Название", the name of a thing)."""
    with translation.override(lang):
        shown = translation.pgettext("person", "Name")
    if lang != "en" and shown == "Name":
        pytest.fail(f"no {lang} translation of a person's name")
    return shown


def open_salon(page, site, lang: str, email: str) -> None:
    sign_in(page, site, lang, email)
    page.goto(site.page_url(lang, "accounts/"))
    page.get_by_role("link", name=SALON, exact=True).click()
    page.wait_for_load_state()


def a_start_soon() -> datetime:
    """Twenty minutes from now in Paris, on the quarter hour."""
    soon = datetime.now(ZONE) + timedelta(minutes=20)
    return soon.replace(minute=soon.minute // 15 * 15, second=0, microsecond=0)


def book_in_modal(page, lang: str) -> int:
    """Book what the open modal holds; take the nearest free time if refused.
    Returns the clicks it took (1 or 2)."""
    modal = page.locator("#booking-modal")
    modal.get_by_role("button", name=t(lang, "Book"), exact=True).click()
    booked = page.locator("#calendar-messages").get_by_text(t(lang, "Appointment booked."))
    error = page.locator("#booking-error")
    expect(booked.or_(error)).to_be_visible(timeout=15_000)
    if not error.is_visible():
        return 1
    expect(error).to_contain_text(
        t(lang, "This time is no longer available. Here are the nearest free times.")
    )
    page.locator("#booking-alternatives .booking-alternative").first.click()
    expect(booked).to_be_visible(timeout=15_000)
    return 2


def choose_location(page, select: str, label: str) -> None:
    """Pick a location in a page's location menu, which reloads the page: wait for that
    reload, or the next step reads the old page (and its URL) under load."""
    menu = page.locator(select)
    if not menu.count() or menu.locator("option:checked").inner_text().strip() == label:
        return
    with page.expect_navigation():
        menu.select_option(label=label)
    page.wait_for_load_state()


def arrivals_on(page, lang: str, day: str):
    """From the calendar, Today's arrivals at the Marais, then day by day to `day`."""
    page.get_by_role("link", name=t(lang, "Today's arrivals")).click()
    page.wait_for_load_state()
    choose_location(page, "#day-location", MARAIS)
    for _ in range(21):
        if f"date={day}" in page.url or (
            datetime.now(ZONE).date().isoformat() == day and "date=" not in page.url
        ):
            break
        page.get_by_role("link", name=t(lang, "Next day")).click()
        page.wait_for_load_state()


def visit_start(row, day: str) -> datetime:
    """The start of an arrivals row, in UTC (the page shows the salon's time)."""
    shown = row.locator(".arrival-time").inner_text().split("–")[0].strip()
    wall = datetime.fromisoformat(f"{day}T{shown}").replace(tzinfo=ZONE)
    return wall.astimezone(UTC)


def on_the_shelf(page, lang: str) -> int:
    """Catalogue → Stock at the Marais: the shampoo's units on hand."""
    office_menu(page, lang, "Stock", group="Catalogue")
    picker = page.locator("#location")
    if picker.count():
        picker.select_option(label=MARAIS)
        page.locator("form:has(#location) button[type=submit]").click()
        page.wait_for_load_state()
    cell = page.locator(f'#stock-table tr[data-product="{PRODUCT}"] .on-hand')
    return int(re.match(r"\s*(-?\d+)", cell.inner_text()).group(1))


def new_sale(page, lang: str) -> None:
    office_menu(page, lang, "Payments")
    page.get_by_role("link", name=t(lang, "New sale"), exact=True).first.click()
    page.wait_for_load_state()


def charge(page, lang: str) -> None:
    page.get_by_role("button", name=t(lang, "Charge")).click()
    page.wait_for_load_state()


def expect_paid(page, lang: str) -> str:
    """The receipt page after a charge; its number."""
    expect(page.get_by_role("status").first).to_contain_text(
        first(t(lang, "Paid: receipt %(number)s."))
    )
    heading = page.get_by_role("heading", level=1).inner_text()
    return re.search(r"\d{4}-\d{6}", heading).group(0)


def newest_payment(page, lang: str) -> str:
    """The number of the newest payment on the Payments and refunds page (another tab)."""
    tab = page.context.new_page()
    try:
        tab.goto(page.url)
        office_menu(tab, lang, "Payments")
        tab.get_by_role("link", name=t(lang, "Payments and refunds"), exact=True).first.click()
        tab.wait_for_load_state()
        return tab.locator("main table tbody tr td").first.inner_text().strip()
    finally:
        tab.close()


def message_with(page, site, *, to: str, containing: str, timeout: float = 40) -> str:
    """The text of the newest message to `to` in the demo inbox that contains `containing`."""
    tab = page.context.new_page()
    try:
        tab.goto(inbox_url(site, to=to))
        deadline = time.monotonic() + timeout
        while True:
            for message in tab.locator(".inbox-message").all():
                text = message.inner_text()
                if containing in text:
                    return text
            assert time.monotonic() < deadline, f"no message to {to} with {containing}"
            time.sleep(1)
            tab.reload()
    finally:
        tab.close()


def open_past_no_show(page, lang: str, days: int = 12) -> bool:
    """From the arrivals list, walk back day by day at each location to the
    demo client's confirmed past visit whose no-show may be marked; open it."""
    arrivals = page.url
    select = page.locator("#day-location")
    places = (
        [o.inner_text().strip() for o in select.locator("option").all()] if select.count() else [""]
    )
    for place in places:
        page.goto(arrivals)
        if place:
            choose_location(page, "#day-location", place)
        for _day in range(days):
            rows = page.locator("li[data-visit]", has_text=NO_SHOW_CLIENT[lang])
            for i in range(rows.count()):
                link = rows.nth(i).get_by_role("link", name=t(lang, "No-show"), exact=True)
                if not link.count():
                    continue
                back = page.url
                link.click()
                page.wait_for_load_state()
                if not page.locator(".no-show-too-early").count():
                    return True
                page.goto(back)
            page.get_by_role("link", name=t(lang, "Previous day")).click()
            page.wait_for_load_state()
    return False


def record(lang: str, **figures) -> None:
    """The measured figures, for the lead's report (one entry per language)."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    try:
        results = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        results = {}
    results[lang] = {**figures, "measured_at": datetime.now(UTC).isoformat(timespec="seconds")}
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_receptionists_morning(browser, demo_site, lang):  # noqa: PLR0915 - one story
    desk = browser.new_context(viewport={"width": 1366, "height": 768})
    owner = browser.new_context(viewport={"width": 1366, "height": 768})
    master = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = desk.new_page()
        open_salon(page, demo_site, lang, RECEPTION)
        office_menu(page, lang, "Calendar")
        # At the Batignolles salon a master who is off today is shaded and says so.
        page.get_by_label(t(lang, "Location")).select_option(label=BATIGNOLLES)
        page.wait_for_load_state()
        notes = page.locator("#calendar .sb-column-note")
        expect(notes.first).to_be_visible(timeout=15_000)
        said = {t(lang, n) for n in OFF_NOTES}
        assert any(text.split(" · ")[0] in said for text in notes.all_inner_texts()), (
            notes.all_inner_texts()
        )
        expect(
            page.locator("#calendar .ec-bg-event.sb-off, #calendar .ec-bg-event.sb-closed").first
        ).to_be_attached()
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        page.get_by_label(t(lang, "Location")).select_option(label=MARAIS)
        page.wait_for_load_state()
        expect(page.locator("#calendar .ec-body")).to_be_visible(timeout=15_000)

        # 1. A new client on the phone: looked up by phone (no card), then booked.
        name = f"{random.choice(FIRST[lang])} {random.choice(LAST[lang])}"  # noqa: S311
        phone = f"+3361{random.randint(1000000, 9999999)}"  # noqa: S311 - a test phone
        start = a_start_soon()
        modal = page.locator("#booking-modal")
        walk_in_clicks = 0
        with stopwatch() as took:
            page.get_by_role("button", name=t(lang, "New appointment")).click()
            walk_in_clicks += 1
            expect(modal).to_be_visible()
            modal.get_by_label(t(lang, "Find a client (name, phone or e-mail)")).fill(phone)
            expect(page.locator("#booking-client-count")).to_have_text(
                t(lang, "No client found. Enter a new one below.")
            )
            page.locator("#booking-date").fill(start.date().isoformat())
            page.locator("#booking-time").fill(start.strftime("%H:%M"))
            page.locator("#booking-master").select_option(label=LEA)
            page.locator("#booking-service").select_option(label=CUT)
            walk_in_clicks += 2
            modal.get_by_role("button", name=t(lang, "Add a service")).click()
            walk_in_clicks += 1
            second = modal.locator(".booking-item").nth(1)
            second.locator(".booking-master").select_option(label=CHLOE)
            second.locator(".booking-service").select_option(label=CARE)
            walk_in_clicks += 2
            modal.get_by_label(person_name(lang), exact=True).fill(name)
            modal.get_by_label(t(lang, "Phone"), exact=True).fill(phone)
            walk_in_clicks += book_in_modal(page, lang)
            walk_in_seconds = took()
        walk_in_typed = 5  # phone (search), day, time, name, phone
        day = page.locator("#booking-date").input_value()
        screenshot(page, f"journey-morning-booked-{lang}")

        # 2. The arrivals of that day: the visit with its two services and masters; check in.
        arrivals_on(page, lang, day)
        row = page.locator("li[data-visit]", has_text=phone)
        expect(row).to_have_count(1)
        for words in (name, CUT, CARE, LEA, CHLOE, t(lang, "Confirmed")):
            expect(row).to_contain_text(words)
        starts_at = visit_start(row, day)
        row.get_by_role("button", name=t(lang, "Check in")).click()
        page.wait_for_load_state()
        expect(page.get_by_text(t(lang, "%(client)s is checked in.", client=name))).to_be_visible()
        row = page.locator("li[data-visit]", has_text=phone)
        expect(row.locator(".arrival-status")).to_have_text(t(lang, "Arrived"))
        arrivals_url = page.url
        shelf = on_the_shelf(page, lang)  # before the client buys one
        page.goto(arrivals_url)
        row = page.locator("li[data-visit]", has_text=phone)

        # 3. Checkout from the visit: the shampoo, a tip for Léa, paid by card.
        checkout_clicks = 0
        with stopwatch() as took:
            row.get_by_role("link", name=t(lang, "Check out")).click()
            checkout_clicks += 1
            page.wait_for_load_state()
            expect(page.get_by_role("heading", level=1)).to_contain_text(name)
            quote = page.locator("#quote-title").locator("xpath=..")
            expect(quote).to_contain_text(CUT)
            expect(quote).to_contain_text(CARE)
            other = desk.new_page()  # the same visit in a second tab, before the charge
            other.goto(page.url)
            expect(other.get_by_role("button", name=t(lang, "Charge"))).to_be_visible()
            page.get_by_label(t(lang, "Product")).first.select_option(label=PRODUCT)
            checkout_clicks += 1
            page.get_by_label(t(lang, "Tip for %(master)s", master=LEA)).fill(str(TIP))
            page.get_by_role("button", name=t(lang, "Price it")).click()
            checkout_clicks += 1
            page.wait_for_load_state()
            expect(page.locator("#quote-title").locator("xpath=..")).to_contain_text(PRODUCT)
            page.get_by_label(t(lang, "Card"), exact=True).dblclick()  # the whole amount
            checkout_clicks += 1
            expect(page.locator("#split-status")).to_have_text(
                t(lang, "The payments add up to the total.")
            )
            charge(page, lang)
            checkout_clicks += 1
            receipt = expect_paid(page, lang)
            checkout_seconds = took()
        checkout_typed = 1  # the tip
        expect(page.locator("main")).to_contain_text(PRODUCT)
        screenshot(page, f"journey-morning-receipt-{lang}")
        other.get_by_label(t(lang, "Cash"), exact=True).dblclick()
        charge(other, lang)
        expect(other.locator("body")).to_contain_text(
            t(lang, "This visit has already been checked out.")
        )
        other.close()
        page.goto(arrivals_url)
        expect(page.locator("li[data-visit]", has_text=phone)).to_contain_text(
            t(lang, "Paid at the till")
        )
        assert on_the_shelf(page, lang) == shelf - 1  # the bottle sold left the shelf

        print(
            f"\n[{lang}] (a) walk-in, calendar to booking saved: {walk_in_clicks} clicks, "
            f"{walk_in_typed} fields typed, {walk_in_seconds:.1f} s"
            f"\n[{lang}] (b) checkout, visit to paid receipt (product, tip, card): "
            f"{checkout_clicks} clicks, {checkout_typed} field typed, {checkout_seconds:.1f} s"
        )
        record(
            lang,
            walk_in={
                "clicks": walk_in_clicks,
                "fields_typed": walk_in_typed,
                "seconds": round(walk_in_seconds, 1),
            },
            checkout={
                "clicks": checkout_clicks,
                "fields_typed": checkout_typed,
                "seconds": round(checkout_seconds, 1),
            },
        )

        # 4. A gift card for a friend: the full code read once, from the sale page.
        new_sale(page, lang)
        page.get_by_label(t(lang, "Sell a gift card of")).fill(str(GIFT))
        page.get_by_label(t(lang, "Gift card for")).fill(FRIEND[lang])
        page.get_by_role("button", name=t(lang, "Price it")).click()
        page.wait_for_load_state()
        page.get_by_label(t(lang, "Card"), exact=True).fill(str(GIFT))
        charge(page, lang)
        expect_paid(page, lang)
        shown = page.locator(".gift-card-code")
        expect(shown).to_have_count(1)
        code = shown.inner_text().strip()
        assert CODE.fullmatch(code), code
        pdf = page.get_by_role("link", name=t(lang, "Print the gift card (PDF)"))
        answer = page.request.get(demo_site.url + pdf.get_attribute("href"))
        assert answer.ok and answer.body().startswith(b"%PDF")
        form = page.locator(
            "form", has=page.get_by_role("button", name=t(lang, "Send the gift card"))
        )
        form.get_by_label(t(lang, "Recipient's e-mail or phone")).fill(FRIEND_EMAIL[lang])
        form.get_by_label(t(lang, "Language of the message")).select_option(lang)
        form.get_by_role("button", name=t(lang, "Send the gift card")).click()
        page.wait_for_load_state()
        expect(page.get_by_role("status").first).to_contain_text(
            first(t(lang, "Gift card sent to %(to)s."))
        )
        text = message_with(page, demo_site, to=FRIEND_EMAIL[lang], containing=code)
        assert first(t(lang, "Your code: %(code)s")) in text
        office_menu(page, lang, "Payments")
        page.get_by_role("link", name=t(lang, "Gift cards"), exact=True).first.click()
        page.wait_for_load_state()
        expect(page.locator("main")).not_to_contain_text(code)
        expect(page.locator("main")).to_contain_text("…" + code[-4:])
        page.get_by_label(t(lang, "Gift card code")).fill(code)
        page.get_by_role("button", name=t(lang, "Check the balance")).click()
        page.wait_for_load_state()
        expect(page.locator(".gift-card-found")).to_contain_text(str(GIFT))
        expect(page.locator(".gift-card-found")).not_to_contain_text(code)

        # 5. Another client pays with it at the till: too much refused, then a split payment.
        office_menu(page, lang, "Payments")
        expect(page.get_by_role("heading", name=t(lang, "Till"), level=1)).to_be_visible()
        expect(page.locator("[data-till]").first).to_have_attribute("data-till", "today")
        till_row = page.locator("li[data-visit]", has_text=OTHER_CLIENT[lang])
        expect(till_row).to_have_count(1)
        till_row.get_by_role("link", name=t(lang, "Check out")).click()
        page.wait_for_load_state()
        paid_before = newest_payment(page, lang)
        page.get_by_label(t(lang, "Gift card"), exact=True).fill(str(GIFT + 5))
        page.get_by_label(t(lang, "Gift card code")).fill(code.lower().replace("-", " "))
        page.get_by_label(t(lang, "Card"), exact=True).dblclick()  # the rest by card
        charge(page, lang)
        expect(page.locator("main")).to_contain_text(
            first(t(lang, "This gift card has only %(balance)s left."))
        )
        expect(page.get_by_role("button", name=t(lang, "Charge"))).to_be_visible()
        assert newest_payment(page, lang) == paid_before  # nothing charged
        screenshot(page, f"journey-morning-gift-card-refused-{lang}")
        page.get_by_label(t(lang, "Gift card"), exact=True).fill(str(GIFT))
        page.get_by_label(t(lang, "Card"), exact=True).fill("")
        page.get_by_label(t(lang, "Card"), exact=True).dblclick()
        expect(page.locator("#split-status")).to_have_text(
            t(lang, "The payments add up to the total.")
        )
        charge(page, lang)
        expect_paid(page, lang)
        payments = page.locator("main .list-group").first
        expect(payments).to_contain_text(t(lang, "Gift card"))
        expect(payments).to_contain_text(t(lang, "Card"))
        holder = desk.new_page()
        holder.goto(demo_site.page_url(lang, "gift-card/"))
        holder.get_by_label(t(lang, "Gift card code")).fill(code)
        holder.get_by_role("button", name=t(lang, "Check the balance")).click()
        holder.wait_for_load_state()
        expect(holder.locator(".gift-card-left")).to_contain_text(re.compile(r"\b0[.,]00\b"))
        holder.close()

        # 6. Rebooked in a week from the calendar's panel; a no-show then is too early.
        page.goto(arrivals_url)
        row = page.locator("li[data-visit]", has_text=phone)
        row.get_by_role("link", name=t(lang, "In the calendar")).click()
        page.wait_for_load_state()
        page.locator("#calendar .ec-event", has_text=name).first.click()
        panel = page.locator("#appointment-panel")
        expect(panel).to_be_visible()
        panel.get_by_role("button", name=t(lang, "Rebook")).click()
        expect(modal).to_be_visible()
        expect(page.locator("#booking-client-name")).to_have_value(name)
        later = (date.fromisoformat(day) + timedelta(days=7)).isoformat()
        page.locator("#booking-date").fill(later)
        book_in_modal(page, lang)
        later = page.locator("#booking-date").input_value()
        arrivals_on(page, lang, later)
        coming = page.locator("li[data-visit]", has_text=phone)
        expect(coming).to_have_count(1)
        coming.get_by_role("link", name=t(lang, "No-show"), exact=True).click()
        page.wait_for_load_state()
        expect(page.locator(".no-show-too-early")).to_be_visible()
        page.get_by_role("button", name=t(lang, "Confirm the no-show")).click()
        page.wait_for_load_state()
        expect(page.get_by_role("status").first).to_contain_text(
            first(
                t(
                    lang,
                    "Too early for a no-show: the client may still come. "
                    "It can be marked from %(time)s (%(minutes)s min after the start).",
                )
            )
        )
        expect(page.locator(".no-show-status")).to_have_text(t(lang, "Confirmed"))
        expect(page.get_by_role("button", name=t(lang, "Undo the no-show"))).to_have_count(0)

        # …the client cancels it on the phone while a till tab is open on it.
        arrivals_on(page, lang, later)
        coming = page.locator("li[data-visit]", has_text=phone)
        till = desk.new_page()
        till.goto(
            demo_site.url
            + coming.get_by_role("link", name=t(lang, "Check out")).get_attribute("href")
        )
        expect(till.get_by_role("button", name=t(lang, "Charge"))).to_be_visible()
        coming.get_by_role("link", name=t(lang, "In the calendar")).click()
        page.wait_for_load_state()
        page.locator("#calendar .ec-event", has_text=name).first.click()
        expect(panel).to_be_visible()
        page.once("dialog", lambda dialog: dialog.accept())
        panel.locator("#appointment-actions button[data-status=cancelled]").click()
        expect(page.locator("#calendar-messages")).to_contain_text(
            t(lang, "Appointment cancelled.")
        )
        paid_before = newest_payment(page, lang)
        till.get_by_label(t(lang, "Cash"), exact=True).dblclick()
        charge(till, lang)
        expect(till.locator("main")).to_contain_text(
            t(lang, "This visit was cancelled: it cannot be checked out.")
        )
        assert newest_payment(page, lang) == paid_before  # nothing charged
        screenshot(till, f"journey-morning-cancelled-refused-{lang}")
        till.close()

        # …and the demo's past visit, never checked in: marked, undone, marked again.
        page.goto(arrivals_url)
        assert open_past_no_show(page, lang), "no past visit to mark"
        fee = first(t(lang, "Under the policy the client accepted, the no-show fee is %(fee)s."))
        none = t(lang, "The policy the client accepted has no no-show fee.")
        expect(page.locator("form.card")).to_contain_text(
            re.compile(f"{re.escape(fee)}|{re.escape(none)}")
        )
        page.get_by_role("button", name=t(lang, "Confirm the no-show")).click()
        page.wait_for_load_state()
        expect(page.get_by_role("status").first).to_contain_text(
            t(lang, "Marked no-show. You can undo it until the message and the fee go out.")
        )
        expect(page.locator(".no-show-pending")).to_be_visible()
        page.get_by_role("button", name=t(lang, "Undo the no-show")).click()
        page.wait_for_load_state()
        expect(page.get_by_role("status").first).to_contain_text(
            t(lang, "No-show undone: nothing was sent or charged.")
        )
        expect(page.locator(".no-show-status")).not_to_have_text(t(lang, "No-show"))
        page.get_by_role("button", name=t(lang, "Confirm the no-show")).click()
        page.wait_for_load_state()
        expect(page.locator(".no-show-status")).to_have_text(t(lang, "No-show"))

        # 7. The owner refunds the shampoo by line: only the shampoo comes back.
        boss = owner.new_page()
        open_salon(boss, demo_site, lang, OWNER)
        office_menu(boss, lang, "Payments")
        boss.get_by_role("link", name=receipt, exact=True).click()
        boss.wait_for_load_state()
        boss.get_by_role("link", name=t(lang, "Refund by line")).click()
        boss.wait_for_load_state()
        expect(boss.locator("#refund-order")).to_contain_text(t(lang, "Card"))
        units = boss.get_by_label(t(lang, "Units of “%(item)s” to refund", item=PRODUCT))
        units.fill("2")  # one was sold
        boss.get_by_label(t(lang, "Reason")).select_option(label=t(lang, "Client's request"))
        boss.get_by_role("button", name=t(lang, "Refund"), exact=True).click()
        boss.wait_for_load_state()
        expect(boss.locator(".invalid-feedback").first).to_have_text(
            t(lang, "At most %(left)s of “%(item)s” can still be refunded.", left=1, item=PRODUCT)
        )
        violations = run_axe(boss)
        assert not violations, violations
        boss.get_by_label(t(lang, "Units of “%(item)s” to refund", item=PRODUCT)).fill("1")
        boss.get_by_label(t(lang, "Reason")).select_option(label=t(lang, "Client's request"))
        boss.get_by_role("button", name=t(lang, "Refund"), exact=True).click()
        boss.wait_for_load_state()
        expect(boss.get_by_role("status").first).to_contain_text(
            first(t(lang, "Refunded %(amount)s."))
        )
        expect(boss.get_by_role("status").first).to_contain_text("28")
        lines = boss.locator("main table").first
        shampoo = lines.locator("tr", has_text=PRODUCT)
        expect(shampoo.locator(".badge")).to_contain_text("1")
        tips = lines.locator("tr", has_text=t(lang, "Tips"))
        expect(tips).to_contain_text(str(TIP))
        expect(boss.locator("main .list-group").first).to_contain_text("28")
        receipt_url = boss.url
        assert on_the_shelf(boss, lang) == shelf  # the returned bottle is back on the shelf
        boss.goto(receipt_url)
        screenshot(boss, f"journey-morning-refund-{lang}")
        boss.get_by_role("link", name=t(lang, "Receipt"), exact=True).click()
        boss.wait_for_load_state()
        printed = boss.locator("main")
        expect(printed).to_contain_text(PRODUCT)
        expect(printed).to_contain_text(re.compile(re.escape(t(lang, "Refunded")) + r"\s*\S*28"))
        boss.go_back()
        boss.get_by_role("link", name=t(lang, "Payments and refunds")).click()
        boss.wait_for_load_state()
        expect(boss.locator("#refunds li").first).to_contain_text(t(lang, "Card"))
        expect(boss.locator("#refunds li").first).to_contain_text("28")

        # 8. Léa's day: her column with the morning's client, then her calendar feed.
        lea = master.new_page()
        sign_in(lea, demo_site, lang, MASTER)
        lea.goto(demo_site.page_url(lang, "office/"))
        expect(lea.get_by_role("heading", level=1)).to_have_text(t(lang, "Overview"))
        expect(lea.get_by_test_id("today-revenue")).to_have_count(0)  # no salon figures
        dashboards = lea.get_by_role("navigation", name=t(lang, "Dashboards"))
        dashboards.get_by_role("link", name=t(lang, "Calendar"), exact=True).click()
        lea.wait_for_load_state()
        choose_location(lea, "#calendar-location", MARAIS)
        config = json.loads(lea.locator("#calendar-config").text_content())
        assert [r["title"] for r in config["resources"]] == [LEA]
        lea.goto(f"{lea.url}{'&' if '?' in lea.url else '?'}date={day}")  # the visit's day
        expect(lea.locator("#calendar .ec-event", has_text=name).first).to_be_visible(
            timeout=15_000
        )
        assert not PHONE.search(lea.locator("main").inner_text())
        screenshot(lea, f"journey-morning-master-day-{lang}")
        lea.goto(demo_site.page_url(lang, "office/"))
        dashboards.get_by_role("link", name=t(lang, "My profile and calendar link")).click()
        lea.wait_for_load_state()
        make = lea.get_by_role(
            "button",
            name=re.compile(
                f"^({re.escape(t(lang, 'Create my calendar link'))}|"
                f"{re.escape(t(lang, 'Make a new link'))})$"
            ),
        )
        make.click()
        lea.wait_for_load_state()
        expect(lea.get_by_role("heading", level=1)).to_have_text(t(lang, "My profile"))
        expect(lea.get_by_test_id("master-name")).to_have_text(LEA)
        expect(lea.get_by_test_id("feed-qr")).to_be_visible()
        url = lea.get_by_test_id("feed-url").get_attribute("href")
        assert url and url.endswith(".ics")
        violations = run_axe(lea)
        assert not violations, violations
        screenshot(lea, f"journey-morning-master-feed-{lang}")
        feed = lea.request.get(url)
        assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
        events = Calendar.from_ical(feed.body()).walk("VEVENT")
        mine = [e for e in events if name in str(e.get("SUMMARY"))]
        starts = {e.decoded("DTSTART").astimezone(UTC) for e in mine}
        assert starts == {starts_at}, (starts, starts_at)
        assert all(CUT in str(e.get("SUMMARY")) for e in mine)
        assert not any(PHONE.search(str(e.get("SUMMARY"))) for e in events)
        # A new link stops the old one.
        lea.get_by_role("button", name=t(lang, "Make a new link")).click()
        lea.wait_for_load_state()
        assert lea.get_by_test_id("feed-url").get_attribute("href") != url
        assert lea.request.get(url).status == 404

        # The desk's day and the profile on a phone: nothing wider than the screen.
        phone_context = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        )
        try:
            small = phone_context.new_page()
            sign_in(small, demo_site, lang, RECEPTION)
            calendar_url = arrivals_url.split("/calendar/")[0] + "/calendar/"
            for path in ("", "arrivals/", "print/"):
                small.goto(calendar_url + path)
                small.wait_for_load_state()
                if not path:
                    expect(small.locator("#calendar .ec-toolbar")).to_be_visible()
                width = small.evaluate("document.documentElement.scrollWidth")
                assert width <= 390, f"{path or 'calendar'} is {width} px wide on a phone"
            lea.set_viewport_size({"width": 390, "height": 844})
            assert lea.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            phone_context.close()
    finally:
        desk.close()
        owner.close()
        master.close()
