"""Journey (issue #16, points 1, 3 and 6): a salon buys a boost, a new client
finds it in search labelled "Promoted" and books, the visit is checked out,
the commission line with its evidence appears in the salon's Commissions page,
the salon disputes it and the operator accepts.

On a desktop (1366×768), in English (Ongles & Sens, Paris) and in Russian
(Жемчуг, Moscow), through pages only on the demo `make run` serves. At the
end the owner pauses the boost, so the search order other journeys see is
the demo's own.
"""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import office_menu, sign_in, t
from e2e.journeys.wizard import (
    Clicks,
    booked,
    choose_a_time,
    choose_first_service,
    confirm,
    verify_as_guest,
)

pytestmark = pytest.mark.browser

OPERATOR = "admin@solibook.demo"
SALONS = {
    "en": {"name": "Ongles & Sens", "owner": "owner@solibook.demo", "city": "Paris", "price": "5"},
    "ru": {
        "name": "Салон красоты «Жемчуг»",
        "owner": "owner.moscow@solibook.demo",
        "city": "Москва",
        "price": "300",
    },
}
DESKTOP = {"width": 1366, "height": 768}


def open_salon(page, site, lang: str, email: str, name: str) -> None:
    sign_in(page, site, lang, email)
    page.goto(site.page_url(lang, "accounts/"))
    page.get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()


def buy_boost(page, lang: str, salon: dict) -> None:
    office_menu(page, lang, "Boost", "Marketing")
    expect(page.get_by_role("heading", name=t(lang, "Boost"), level=1)).to_be_visible()
    today = datetime.now(UTC).date()
    page.get_by_label(t(lang, "How you pay")).select_option("per_client")
    page.get_by_label(t(lang, "City")).fill(salon["city"])
    page.get_by_label(t(lang, "Price per new client")).fill(salon["price"])
    page.locator("#id_starts_on").fill(today.isoformat())  # "From *", "Until *": dates
    page.locator("#id_ends_on").fill((today + timedelta(days=7)).isoformat())
    page.get_by_role("button", name=t(lang, "Start the boost")).click()
    page.wait_for_load_state()
    expect(page.locator("#messages")).to_contain_text(t(lang, "Your boost is running."))
    expect(page.locator("#boosts .boost").first).to_contain_text(t(lang, "Running"))


def client_finds_and_books(page, site, lang: str, salon: dict, guest: str) -> None:
    page.goto(site.page_url(lang, "/"))
    page.get_by_label(t(lang, "Where"), exact=True).fill(salon["city"])
    page.get_by_role("button", name=t(lang, "Search"), exact=True).click()
    page.wait_for_load_state()
    first = page.locator("article").first
    expect(first).to_contain_text(salon["name"])
    expect(first).to_contain_text(t(lang, "Promoted"))
    screenshot(page, f"journey-boost-search-{lang}")
    first.get_by_role("link", name=salon["name"]).click()
    page.wait_for_load_state()
    assert "via=promoted." in page.url
    clicks = Clicks(page)
    choose_first_service(clicks, lang)
    choose_a_time(clicks, skip_days=1, last=False)
    verify_as_guest(
        clicks, site, lang, name=guest, contact=f"{guest.lower().replace(' ', '.')}@example.test"
    )
    assert not confirm(clicks, lang), "a salon without a deposit books at once"
    booked(page, lang)


def check_out(page, lang: str, guest: str) -> None:
    office_menu(page, lang, "Payments")
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


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_salon_boost_commission_and_dispute(browser, demo_site, lang):
    salon = SALONS[lang]
    guest = f"Boost Guest {lang.upper()} {int(time.time()) % 100000}"  # new to the salon
    owner_context = browser.new_context(viewport=DESKTOP)
    client_context = browser.new_context(viewport=DESKTOP)
    operator_context = browser.new_context(viewport=DESKTOP)
    try:
        owner = owner_context.new_page()
        open_salon(owner, demo_site, lang, salon["owner"], salon["name"])
        buy_boost(owner, lang, salon)

        client_finds_and_books(client_context.new_page(), demo_site, lang, salon, guest)

        # The boost counts the click and the booking, and what it cost.
        owner.reload()
        boost = owner.locator("#boosts .boost").first
        expect(boost.locator(".bookings")).to_have_text("1")
        assert int(boost.locator(".clicks").inner_text()) >= 1
        assert int(boost.locator(".impressions").inner_text()) >= 1

        check_out(owner, lang, guest)

        # The commission line and its evidence: first touch, a new client.
        office_menu(owner, lang, "Commissions", "Reports")
        line = owner.locator(".commission-line").first
        expect(line).to_contain_text(guest)
        expect(line.locator(".touch")).to_have_text(t(lang, "Promoted placement"))
        expect(line.locator(".line-status")).to_have_text(t(lang, "To be invoiced"))
        assert not run_axe(owner)
        screenshot(owner, f"journey-commission-line-{lang}")
        line.locator("summary").click()
        line.get_by_label(t(lang, "Why is this line wrong?")).fill("Test dispute: a regular client")
        line.get_by_role("button", name=t(lang, "Send the dispute")).click()
        owner.wait_for_load_state()
        expect(owner.locator("#messages")).to_contain_text(
            t(lang, "Your dispute is sent. The platform will answer it.")
        )
        expect(owner.locator(".commission-line").first.locator(".line-status")).to_have_text(
            t(lang, "Disputed")
        )

        # The operator accepts it, with a reason.
        console = operator_context.new_page()
        sign_in(console, demo_site, lang, OPERATOR)
        console.get_by_role("link", name=t(lang, "Platform"), exact=True).click()
        console.wait_for_load_state()
        console.get_by_role("link", name=t(lang, "Commission disputes"), exact=True).click()
        console.wait_for_load_state()
        dispute = console.locator(".dispute", has_text="Test dispute: a regular client")
        expect(dispute).to_have_count(1)
        dispute.get_by_label(t(lang, "Decision")).select_option("accept")
        dispute.get_by_label(t(lang, "Reason given to the salon")).fill("Her card shows visits")
        dispute.get_by_role("button", name=t(lang, "Record the decision")).click()
        console.wait_for_load_state()
        expect(console.locator("#messages")).to_contain_text(
            t(lang, "The decision is recorded and the salon can see it.")
        )

        owner.reload()
        line = owner.locator(".commission-line").first
        expect(line.locator(".line-status")).to_have_text(t(lang, "Waived after dispute"))
        expect(line).to_contain_text("Her card shows visits")

        # Leave the demo's search order as it was.
        office_menu(owner, lang, "Boost", "Marketing")
        owner.locator("#boosts .boost").first.get_by_role("button", name=t(lang, "Pause")).click()
        owner.wait_for_load_state()
        expect(owner.locator("#boosts .boost").first).to_contain_text(t(lang, "Paused"))
    finally:
        owner_context.close()
        client_context.close()
        operator_context.close()
