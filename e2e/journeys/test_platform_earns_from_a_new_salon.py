"""Journey (issue #16, point 6): the platform earns from a new salon, one chain.

Through pages only, on the demo `make run` serves, in English and in French; the
salon and the platform on a desktop (1366×768), the clients on a phone (390 px):

1. a new salon signs up and onboards (name and address; services from the taxonomy;
   the team and opening hours; the plan) and asks to go online; it is not in search;
2. the operator (admin@solibook.demo) approves it from the console;
3. a client finds it in marketplace search and books as a guest (first touch: search);
4. the owner checks the visit out at the till; the Commissions page has its line;
5. finance (finance@solibook.demo) issues the salon's invoice from the console;
6. the owner opens the invoice: the commission line is on it with its evidence (first
   touch "Marketplace search", its time, no earlier visit: "New client"), Invoiced;
7. the owner follows it to its line and disputes it; finance accepts with a reason; a credit note corrects the
   invoice and the line reads Waived after dispute;
8. the salon buys a boost; a second client finds it Promoted in the city's search and
   books; the done page reloaded and the back button leave one booking charged once;
   the owner pauses the boost.

A second test: an invoice unpaid past the grace period turns a salon's back office
read-only (Spa Al Waha, seeded overdue) while a guest still books it.

The onboarding's clicks, typed fields and minutes (sign-up to the request; sign-up to
found in search, the approval included) are printed and written to
bench/results/onboarding_journey.json.

It replaces the older journeys test_new_salon_goes_live.py and
test_salon_boost_and_commission.py, and the read-only half of
test_salon_pays_its_invoice.py.
"""

import json
import os
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation
from django.utils.translation import trans_real
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import ROOT, office_menu, sign_in, t
from e2e.journeys.wizard import (
    Clicks,
    booked,
    choose_a_time,
    choose_first_service,
    confirm,
    pay_deposit,
    verify_as_guest,
)

pytestmark = pytest.mark.browser

OPERATOR = "admin@solibook.demo"
FINANCE = "finance@solibook.demo"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SALONS = {
    # name, country, street, city, postal code, owner
    "en": ("Maison Glycine", "FR", "5 rue de la Glycine", "Lyon", "69002", "Nora Glycine"),
    "fr": ("Atelier Pivoine", "BE", "14 rue Haute", "Bruxelles", "1000", "Éloïse Pivoine"),
}
SERVICES = {
    "en": ("Women's haircut", "Blow-dry and styling"),
    "fr": ("Coupe femme", "Brushing et coiffage"),
}
BOOST_PRICE = "5"  # per new client, in the salon's currency (EUR for both)
LISTING_WAIT_SECONDS = 120  # the task worker rebuilds the listing after the approval
RESULTS = ROOT / "bench" / "results" / "onboarding_journey.json"


class Counter:
    """A person's clicks and typed fields."""

    def __init__(self, page):
        self.page, self.clicks, self.fields = page, 0, 0

    def click(self, locator) -> None:
        locator.click()
        self.clicks += 1
        self.page.wait_for_load_state()

    def fill(self, locator, value: str) -> None:
        locator.fill(value)
        self.fields += 1

    def select(self, locator, **option) -> None:
        locator.select_option(**option)
        self.fields += 1


def nt(lang: str, singular: str, plural: str, n: int) -> str:
    """`ngettext` as a person reading `lang` sees it (fails on a missing translation)."""
    with translation.override(lang):
        shown = translation.ngettext(singular, plural, n)
    if lang != "en" and shown in (singular, plural):
        pytest.fail(f"no {lang} translation of {singular!r}")
    return shown % {"counter": n}


def w(lang: str, message: str) -> str:
    """Like `t`, for words a language writes the same ("Salons", "Boost" and
    "Commissions" in French): fails only when the catalogue has no entry."""
    if lang != "en" and message not in trans_real.translation(lang)._catalog:
        pytest.fail(f"no {lang} translation of {message!r}")
    with translation.override(lang):
        return translation.gettext(message)


def menu(page, lang: str, item: str, group: str | None = None) -> None:
    """`office_menu`, with `w` for the item (see `w`)."""
    nav = page.get_by_role("navigation", name=t(lang, "Back office"))
    if group is not None:
        with translation.override(lang):
            label = translation.pgettext("back-office menu", group)
        nav.get_by_role("button", name=label, exact=True).click()
    nav.get_by_role("link", name=w(lang, item), exact=True).click()
    page.wait_for_load_state()


def _messages(page):
    return page.locator("#messages")


# --- 1. sign-up and onboarding ------------------------------------------------------


def sign_up(page, site, owner: Counter, lang: str) -> str:
    email = f"chain.salon.{lang}.{os.getpid()}@example.test"
    page.goto(site.page_url(lang, "accounts/signup/"))
    owner.fill(page.get_by_label(t(lang, "Full name")), SALONS[lang][5])
    owner.fill(page.get_by_label(t(lang, "E-mail address")), email)
    owner.fill(page.get_by_label(t(lang, "Password")), site.password + "-salon")
    owner.click(page.locator("main form button[type=submit]"))
    return email


def onboard(page, owner: Counter, lang: str) -> str:
    name, country, street, city, postal, _owner = SALONS[lang]
    heading = page.get_by_role("heading", level=1)
    owner.click(page.get_by_role("link", name=t(lang, "Back office"), exact=True))
    owner.click(page.get_by_role("link", name=t(lang, "Put your salon on Solibook"), exact=True))

    expect(heading).to_have_text(t(lang, "Put your salon on Solibook"))
    owner.fill(page.get_by_label(t(lang, "Salon name")), name)
    owner.select(page.get_by_label(t(lang, "Country")), value=country)
    owner.fill(page.get_by_label(t(lang, "Street address")), street)
    owner.fill(page.get_by_label(t(lang, "City")), city)
    owner.fill(page.get_by_label(t(lang, "Postal code")), postal)
    owner.click(page.get_by_role("button", name=t(lang, "Continue"), exact=True))

    # Services picked from the taxonomy, in the owner's language.
    expect(heading).to_have_text(t(lang, "Your services"))
    for n, (service, minutes, price) in enumerate(
        ((SERVICES[lang][0], "45", "42"), (SERVICES[lang][1], "30", "25")), start=1
    ):
        group = page.get_by_role("group", name=t(lang, "Service %(n)s", n=n))
        owner.select(group.get_by_label(t(lang, "Service"), exact=True), label=service)
        owner.select(group.get_by_label(t(lang, "Length")), value=minutes)
        owner.fill(group.get_by_label(t(lang, "Price")), price)
    assert not run_axe(page)
    owner.click(page.get_by_role("button", name=t(lang, "Continue"), exact=True))

    # The team and the opening hours (Monday to Saturday, 9 to 19, ticked already).
    expect(heading).to_have_text(t(lang, "Team and hours"))
    owner.fill(page.get_by_label(t(lang, "Person who takes clients")), "Léa")
    owner.fill(page.get_by_label(t(lang, "Another person (optional)")).first, "Inès")
    owner.click(page.get_by_role("button", name=t(lang, "Continue"), exact=True))

    # The plan: Starter (its free trial), then the overview and the request.
    expect(heading).to_have_text(t(lang, "Your plan"))
    owner.click(page.locator("label[for=plan-starter]"))
    owner.click(page.get_by_role("button", name=t(lang, "Continue"), exact=True))
    expect(heading).to_have_text(name)
    expect(page.get_by_text(SERVICES[lang][0], exact=False)).to_be_visible()
    owner.click(page.get_by_role("button", name=t(lang, "Ask to go online"), exact=True))
    expect(
        page.get_by_text(
            t(
                lang,
                "Thank you! The platform checks your salon and puts it online, "
                "usually within a day.",
            )
        )
    ).to_be_visible()
    expect(page.locator("[data-approval]")).to_have_attribute("data-approval", "pending")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    return name


def search_by_name(page, site, lang: str, name: str):
    page.goto(site.page_url(lang, "/"))
    page.get_by_label(t(lang, "What"), exact=True).fill(name)
    page.get_by_role("button", name=t(lang, "Search"), exact=True).click()
    page.wait_for_load_state()
    return page.locator("article").filter(has_text=name)


def console_salon(page, site, lang: str, email: str, name: str, counter: Counter) -> None:
    """Sign in as platform staff and open the salon's page in the console."""
    sign_in(page, site, lang, email)
    counter.click(page.get_by_role("link", name=t(lang, "Platform"), exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Operator console"))
    console = page.get_by_role("navigation", name=t(lang, "Operator console"))
    counter.click(console.get_by_role("link", name=w(lang, "Salons"), exact=True))
    counter.fill(page.get_by_label(t(lang, "Name")), name)
    counter.click(page.get_by_role("button", name=t(lang, "Filter"), exact=True))
    counter.click(page.get_by_role("link", name=name, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def operator_approves(browser, site, lang: str, name: str) -> Counter:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    operator = Counter(page)
    try:
        console_salon(page, site, lang, OPERATOR, name, operator)
        expect(page.get_by_test_id("approval")).to_have_text(t(lang, "Waiting for approval"))
        assert not run_axe(page)
        operator.click(
            page.get_by_role("button", name=t(lang, "Approve and put online"), exact=True)
        )
        expect(page.get_by_test_id("approval")).to_have_text(t(lang, "Approved"))
    finally:
        context.close()
    return operator


def found_in_search(page, site, lang: str, name: str):
    deadline = time.monotonic() + LISTING_WAIT_SECONDS
    while True:
        found = search_by_name(page, site, lang, name)
        if found.count() == 1 or time.monotonic() > deadline:
            break
        time.sleep(2)
    expect(found).to_have_count(1)
    return found


def record(lang: str, figures: dict) -> None:
    """The onboarding's figures, per language, in bench/results/onboarding_journey.json."""
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[lang] = figures
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


# --- 3. a client books; 4. the till -------------------------------------------------


def guest_books(page, site, lang: str, guest: str) -> None:
    clicks = Clicks(page)
    choose_first_service(clicks, lang)
    choose_a_time(clicks, skip_days=1, last=False)
    verify_as_guest(
        clicks, site, lang, name=guest, contact=f"{guest.lower().replace(' ', '.')}@example.test"
    )
    assert not confirm(clicks, lang), "a new salon asks no deposit"
    booked(page, lang)


def check_out(page, lang: str, guest: str) -> None:
    menu(page, lang, "Payments")
    row = page.locator("li[data-visit]", has_text=guest)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=t(lang, "Check out")).click()
    page.wait_for_load_state()
    page.get_by_label(t(lang, "Card"), exact=True).dblclick()  # the whole total by card
    page.get_by_role("button", name=t(lang, "Charge")).click()
    page.wait_for_load_state()
    expect(page.get_by_role("status").first).to_contain_text(
        re.sub(r"%\(number\)s.*", "", t(lang, "Paid: receipt %(number)s."))
    )


def commission_line(page, lang: str, guest: str):
    menu(page, lang, "Commissions", "Reports")
    line = page.locator(".commission-line", has_text=guest)
    expect(line).to_have_count(1)
    return line


# --- 5. the invoice ------------------------------------------------------------------


def finance_issues_the_invoice(browser, site, lang: str, name: str) -> str:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        console_salon(page, site, lang, FINANCE, name, Counter(page))
        page.get_by_role("button", name=t(lang, "Issue its invoice now"), exact=True).click()
        page.wait_for_load_state()
        issued = t(lang, "Invoice %(number)s is issued to %(salon)s.", number="#", salon=name)
        before, after = issued.split("#")
        message = _messages(page).inner_text()
        found = re.search(re.escape(before) + r"(\S+)" + re.escape(after), message)
        assert found, message
        number = found.group(1)
        assert re.fullmatch(r"INV-\d{4}-\d{6}", number), number
        # The invoice is in the salon's row of invoices; a second click has nothing left.
        expect(page.get_by_role("link", name=number, exact=True)).to_be_visible()
        page.get_by_role("button", name=t(lang, "Issue its invoice now"), exact=True).click()
        page.wait_for_load_state()
        expect(_messages(page)).to_contain_text(
            t(
                lang,
                "%(salon)s has nothing to invoice: every charge is on an invoice already.",
                salon=name,
            )
        )
        screenshot(page, f"journey-chain-invoice-issued-{lang}")
    finally:
        context.close()
    return number


def open_invoice(page, lang: str, number: str) -> None:
    menu(page, lang, "Billing", "Business")
    page.locator("#invoices").get_by_role("link", name=number, exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t(lang, "Invoice %(number)s", number=number)
    )


# --- 7. the dispute ------------------------------------------------------------------


def finance_accepts(browser, site, lang: str, reason: str, decision: str) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        sign_in(page, site, lang, FINANCE)
        page.get_by_role("link", name=t(lang, "Platform"), exact=True).click()
        page.wait_for_load_state()
        page.get_by_role("link", name=t(lang, "Commission disputes"), exact=True).click()
        page.wait_for_load_state()
        dispute = page.locator(".dispute", has_text=reason)
        expect(dispute).to_have_count(1)
        dispute.get_by_label(t(lang, "Decision")).select_option("accept")
        dispute.get_by_label(t(lang, "Reason given to the salon")).fill(decision)
        dispute.get_by_role("button", name=t(lang, "Record the decision")).click()
        page.wait_for_load_state()
        expect(_messages(page)).to_contain_text(
            t(lang, "The decision is recorded and the salon can see it.")
        )
    finally:
        context.close()


# --- 8. the boost ------------------------------------------------------------------


def buy_boost(page, lang: str, city: str) -> None:
    menu(page, lang, "Boost", "Marketing")
    expect(page.get_by_role("heading", name=w(lang, "Boost"), level=1)).to_be_visible()
    today = datetime.now(UTC).date()
    page.get_by_label(t(lang, "How you pay")).select_option("per_client")
    page.get_by_label(t(lang, "City")).fill(city)
    page.get_by_label(t(lang, "Price per new client")).fill(BOOST_PRICE)
    page.locator("#id_starts_on").fill(today.isoformat())  # "From *", "Until *": dates
    page.locator("#id_ends_on").fill((today + timedelta(days=7)).isoformat())
    page.get_by_role("button", name=t(lang, "Start the boost")).click()
    page.wait_for_load_state()
    expect(_messages(page)).to_contain_text(t(lang, "Your boost is running."))
    expect(page.locator("#boosts .boost").first).to_contain_text(t(lang, "Running"))


def promoted_guest_books_once(page, site, lang: str, name: str, city: str, guest: str) -> None:
    page.goto(site.page_url(lang, "/"))
    page.get_by_label(t(lang, "Where"), exact=True).fill(city)
    page.get_by_role("button", name=t(lang, "Search"), exact=True).click()
    page.wait_for_load_state()
    result = page.locator("article").filter(has_text=name)
    expect(result).to_have_count(1)
    expect(result).to_contain_text(t(lang, "Promoted"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    result.get_by_role("link", name=name).first.click()
    page.wait_for_load_state()
    assert "via=promoted." in page.url
    guest_books(page, site, lang, guest)
    # The done page reloaded, then the back button to the confirm step: still one booking.
    page.reload()
    page.wait_for_load_state()
    booked(page, lang)
    page.go_back()
    page.wait_for_load_state()
    again = page.locator("#confirm-button")
    if again.count() and again.is_visible():
        again.click()
        page.wait_for_load_state()


# --- the chain -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_new_salon_goes_live_and_the_platform_earns_from_it(browser, demo_site, lang):
    name, _country, _street, city, _postal, _owner = SALONS[lang]
    stamp = int(time.time()) % 100000
    guest = f"Chain Guest {lang.upper()} {stamp}"
    promoted_guest = f"Promoted Guest {lang.upper()} {stamp}"
    owner_context = browser.new_context(viewport=DESKTOP)
    client_context = browser.new_context(**PHONE)
    try:
        # 1. Sign-up and onboarding, timed and counted.
        owner_page = owner_context.new_page()
        owner = Counter(owner_page)
        started = time.monotonic()
        sign_up(owner_page, demo_site, owner, lang)
        assert onboard(owner_page, owner, lang) == name
        submitted = time.monotonic()
        client = client_context.new_page()
        expect(search_by_name(client, demo_site, lang, name)).to_have_count(0)

        # 2. The operator approves; 3. a client finds it in search and books.
        operator = operator_approves(browser, demo_site, lang, name)
        found = found_in_search(client, demo_site, lang, name)
        live = time.monotonic()
        screenshot(client, f"journey-chain-found-{lang}")
        found.get_by_role("link", name=name).first.click()
        client.wait_for_load_state()
        assert "via=search" in client.url
        guest_books(client, demo_site, lang, guest)

        figures = {
            "owner_clicks": owner.clicks,
            "owner_fields": owner.fields,
            "operator_clicks": operator.clicks,
            "minutes_to_request": round((submitted - started) / 60, 2),
            "minutes_to_live": round((live - started) / 60, 2),
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        record(lang, figures)
        print(
            f"\n[{lang}] new salon: {owner.clicks} clicks and {owner.fields} fields, "
            f"{figures['minutes_to_request']} min from sign-up to the request; live in "
            f"search {figures['minutes_to_live']} min after sign-up (the operator's "
            f"{operator.clicks} clicks and approval included)"
        )
        assert live - started < 10 * 60

        # 4. The owner sees the salon live, opens the back office and checks the visit
        # out at the till; its commission line waits for the invoice.
        owner_page.reload()
        expect(owner_page.locator("[data-approval]")).to_have_attribute("data-approval", "approved")
        owner_page.get_by_role("link", name=t(lang, "Open the back office")).click()
        owner_page.wait_for_load_state()
        check_out(owner_page, lang, guest)
        line = commission_line(owner_page, lang, guest)
        expect(line.locator(".touch")).to_have_text(t(lang, "Marketplace search"))
        expect(line.locator(".line-status")).to_have_text(t(lang, "To be invoiced"))

        # 5. Finance issues the salon's invoice now.
        number = finance_issues_the_invoice(browser, demo_site, lang, name)

        # 6. The commission is on the invoice with its evidence: the first touch and its
        # time, the client's earlier visits (none: a new client); the line is Invoiced.
        open_invoice(owner_page, lang, number)
        expect(owner_page.locator("#invoice-lines")).to_contain_text(t(lang, "Total excluding VAT"))
        charged = owner_page.locator(".invoice-commission-line").filter(has_text=guest)
        expect(charged).to_have_count(1)
        expect(charged.locator(".touch")).to_have_text(t(lang, "Marketplace search"))
        expect(charged.locator(".evidence")).to_contain_text(
            nt(lang, "%(counter)s earlier visit", "%(counter)s earlier visits", 0)
        )
        expect(charged.locator(".new-client")).to_have_text(t(lang, "New client"))
        expect(charged.locator(".evidence")).to_contain_text(re.compile(r"\d{1,2}[:.h]\d{2}"))
        expect(charged.locator(".line-status")).to_have_text(t(lang, "Invoiced"))
        assert not run_axe(owner_page)
        assert owner_page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        screenshot(owner_page, f"journey-chain-invoice-evidence-{lang}")
        charged.get_by_role("link", name=t(lang, "See the line, or dispute it")).click()
        owner_page.wait_for_load_state()
        line = owner_page.locator(".commission-line", has_text=guest)
        expect(line.locator(".line-status")).to_have_text(t(lang, "Invoiced"))

        # 7. The owner disputes the line; finance accepts; a credit note corrects it.
        reason = f"Chain dispute {lang} {stamp}: she is our regular client"
        line.locator("summary").click()
        line.get_by_label(t(lang, "Why is this line wrong?")).fill(reason)
        line.get_by_role("button", name=t(lang, "Send the dispute")).click()
        owner_page.wait_for_load_state()
        expect(_messages(owner_page)).to_contain_text(
            t(lang, "Your dispute is sent. The platform will answer it.")
        )
        expect(commission_line(owner_page, lang, guest).locator(".line-status")).to_have_text(
            t(lang, "Disputed")
        )
        finance_accepts(browser, demo_site, lang, reason, "Her card shows earlier visits")
        line = commission_line(owner_page, lang, guest)
        expect(line.locator(".line-status")).to_have_text(t(lang, "Waived after dispute"))
        expect(line).to_contain_text("Her card shows earlier visits")
        open_invoice(owner_page, lang, number)
        note = owner_page.get_by_role("link", name=re.compile(r"^CN-\d{4}-\d{6}$"))
        expect(note).to_have_count(1)
        note.click()
        owner_page.wait_for_load_state()
        expect(owner_page.get_by_role("heading", level=1)).to_contain_text("CN-")
        expect(owner_page.get_by_role("link", name=number, exact=True)).to_be_visible()
        screenshot(owner_page, f"journey-chain-credit-note-{lang}")

        # 8. A boost; a promoted booking is charged once, whatever the browser does.
        buy_boost(owner_page, lang, city)
        promoted = browser.new_context(**PHONE)
        try:
            promoted_guest_books_once(
                promoted.new_page(), demo_site, lang, name, city, promoted_guest
            )
        finally:
            promoted.close()
        owner_page.reload()
        boost = owner_page.locator("#boosts .boost").first
        expect(boost.locator(".bookings")).to_have_text("1")
        assert int(boost.locator(".clicks").inner_text()) >= 1
        assert int(boost.locator(".impressions").inner_text()) >= 1
        cost = re.sub(r"\D", "", boost.locator(".cost").inner_text())
        assert cost == BOOST_PRICE + "00", boost.locator(".cost").inner_text()
        boost.get_by_role("button", name=w(lang, "Pause")).click()
        owner_page.wait_for_load_state()
        expect(owner_page.locator("#boosts .boost").first).to_contain_text(t(lang, "Paused"))
    finally:
        owner_context.close()
        client_context.close()


# --- an unpaid invoice -------------------------------------------------------------

LOCKED = ("owner.riyadh@solibook.demo", "spa-al-waha")
LOCKED_GUESTS = {"en": "read.only.guest.en@example.test", "ru": "read.only.guest.ru@example.test"}
DAYS_AHEAD = {"en": 5, "ru": 6}  # the picker shows a week; other journeys take 0 and 3


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_an_overdue_invoice_makes_the_office_read_only_while_clients_book(
    browser, demo_site, phone_page, lang
):
    email, slug = LOCKED
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        sign_in(page, demo_site, lang, email)
        page.goto(demo_site.page_url(lang, f"office/{slug}/"))
        page.wait_for_load_state()
        banner = page.get_by_test_id("billing-banner")
        expect(banner).to_contain_text(t(lang, "Your clients can still book."))

        office_menu(page, lang, "Settings", "Business")
        page.get_by_role("button", name=t(lang, "Save"), exact=True).click()
        page.wait_for_load_state()
        refusal = t(
            lang,
            "Your back office is read-only until invoice %(number)s is paid. "
            "Your clients can still book.",
        ).split("%(")[0]
        expect(_messages(page)).to_contain_text(refusal.strip())
        expect(banner).to_be_visible()
        screenshot(page, f"journey-office-read-only-{lang}")

        banner.get_by_role("link", name=t(lang, "Pay the invoice")).click()
        page.wait_for_load_state()
        expect(page.get_by_test_id("invoice-status")).to_have_text(t(lang, "Unpaid"))
    finally:
        context.close()

    # A guest books that salon on the marketplace all the same.
    clicks = Clicks(phone_page)
    phone_page.goto(demo_site.page_url(lang, f"salons/{slug}/"))
    phone_page.wait_for_load_state()
    choose_first_service(clicks, lang)
    choose_a_time(clicks, skip_days=DAYS_AHEAD[lang])
    verify_as_guest(
        clicks, demo_site, lang, name=f"Guest {lang.upper()}", contact=LOCKED_GUESTS[lang]
    )
    if confirm(clicks, lang):
        pay_deposit(clicks, lang)
    booked(phone_page, lang)
