"""Journeys (issue #19, points 3 and 5): a salon publishes a last-minute slot
to its Telegram channel and a partner's landing page, and sees what each
brought, in English and in Russian, at 1366×768, through pages only.

The networks cannot be reached from a test, so this journey runs the site in
its own process (pytest-django's live server) with Telegram's Bot API pointed
at a local server that checks the request as Telegram would
(solibook/social/tests/fakenet.py); the demo `make run` sends posts to its
inbox instead. The world is a Paris salon with two masters and a cut.

- The owner connects the channel (the token is not shown back), opens New
  post, chooses "Last-minute free slot", the cut, "Show free times", the first
  free time and Publish: Telegram receives one sendMessage for the channel with
  the post's tracked link, and the post is marked published.
- A client opens that link as it was sent: the Open Graph card (og:title,
  og:description, og:url) with "Book now", books the advertised day, and the
  post's page shows 1 click and 1 booking.
- The owner creates a gym's landing page with its code; a client follows the
  page's tracked link, reads the code, books with it, and the page's figures
  show 1 visit, 1 booking and the code used once.
"""

import re
from datetime import time

import pytest
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import t
from solibook.accounts.roles import Role
from solibook.social.tests import fakenet
from solibook.testing.factories import (
    TEST_PASSWORD,
    BusinessFactory,
    LocationFactory,
    UserFactory,
    make_master,
    make_service,
    member,
)
from solibook.testing.salon import give_shifts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SLUG = "salon-lumen"
CHANNEL = "@salon_lumen"


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into

    load_into(Category)  # a transactional test's flush removed the migration's rows
    settings.MEDIA_ROOT = tmp_path
    business = BusinessFactory(
        name="Salon Lumen", slug=SLUG, lead_time_minutes=0, horizon_days=60, slot_step_minutes=30
    )
    location = LocationFactory(business=business, name="Lumen Marais", time_zone="Europe/Paris")
    cut = make_service(business, name="Cut", steps=[(60, True)], price=4500)
    for name in ("Léa", "Marc"):
        master = make_master(business, locations=[location], services=[cut], name=name)
        give_shifts(master, location, start=time(0), end=time(23, 30))
    member(business, Role.OWNER, email="owner@lumen.test", full_name="Inès Owner")
    net, server = fakenet.start()
    settings.SOCIAL_SANDBOX = False
    settings.SOCIAL_API_BASES = {"telegram": f"{net.url}/telegram"}
    yield net
    server.shutdown()
    server.server_close()
    load_into(Category)


def sign_in(page, url: str, lang: str, email: str) -> None:
    page.goto(f"{url}/{lang}/accounts/login/")
    page.get_by_label(t(lang, "E-mail address")).fill(email)
    page.get_by_label(t(lang, "Password")).fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def field(page, label: str):
    """The input labelled `label` (a required one's label ends with an asterisk)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\s*\*?$"))


def desktop(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(60_000)  # eight people on two cores
    return context, page


def book_first_time_then_confirm(page, lang: str, promo: str = "") -> None:
    """On the wizard's time step: the first free time, then (a code) and confirm."""
    first = page.locator("#slot-picker button.slot").first
    expect(first).to_be_visible()
    first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=t(lang, "Confirm your booking"))).to_be_visible()
    if promo:
        page.get_by_label(t(lang, "Promo code")).fill(promo)
    page.locator("#confirm-button").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=t(lang, "You are booked!"))).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_owner_publishes_a_free_slot_and_a_partner_page_and_sees_what_they_brought(
    browser, live_server, world, settings, lang
):
    net = world
    settings.NOTIFICATIONS_SITE_URL = live_server.url  # the links sent are this site's
    UserFactory(email=f"client-{lang}@lumen.test", full_name="Olga Client")
    UserFactory(email=f"gym-{lang}@lumen.test", full_name="Gym Member")
    owner_context, owner = desktop(browser)
    office = f"{live_server.url}/{lang}/office/{SLUG}"
    try:
        sign_in(owner, live_server.url, lang, "owner@lumen.test")
        # Connect the channel.
        owner.goto(f"{office}/social/profiles/")
        owner.get_by_label(t(lang, "Network")).select_option("telegram")
        owner.get_by_label(t(lang, "Profile id")).fill(CHANNEL)
        owner.get_by_label(t(lang, "Access token")).fill(fakenet.TELEGRAM_TOKEN)
        owner.get_by_role("button", name=t(lang, "Connect"), exact=True).click()
        owner.wait_for_load_state()
        expect(owner.locator("body")).to_contain_text(t(lang, "Profile connected."))
        assert fakenet.TELEGRAM_TOKEN not in owner.content()

        # Publish the first free time of the cut.
        owner.get_by_role("link", name=t(lang, "New post"), exact=True).click()
        owner.wait_for_load_state()
        owner.get_by_label(t(lang, "What to publish")).select_option("slot")
        owner.get_by_label(re.compile(re.escape(t(lang, "Telegram channel")))).check()
        owner.get_by_label(t(lang, "Service")).select_option(label="Cut")
        owner.get_by_role("button", name=t(lang, "Show free times")).click()
        owner.wait_for_load_state()
        owner.locator("input[name=slot_start]").first.check()
        owner.get_by_role("button", name=t(lang, "Publish"), exact=True).click()
        owner.wait_for_load_state()
        expect(owner.locator("body")).to_contain_text(
            t(
                lang,
                "Published on %(profile)s.",
                profile=f"{t(lang, 'Telegram channel')} · {CHANNEL}",
            )
        )
        [sent] = net.calls("/sendMessage")
        assert sent.path == f"/telegram/bot{fakenet.TELEGRAM_TOKEN}/sendMessage"
        assert sent.fields["chat_id"] == CHANNEL and "Cut" in sent.fields["text"]
        link = re.search(rf"{re.escape(live_server.url)}/{lang}/s/\w+/", sent.fields["text"]).group(
            0
        )
        post_url = owner.url
        assert not run_axe(owner)
        screenshot(owner, f"social-post-{lang}")

        # A client follows the link as it was sent, reads the card, books.
        client_context, client = desktop(browser)
        try:
            sign_in(client, live_server.url, lang, f"client-{lang}@lumen.test")
            client.goto(link)
            client.wait_for_load_state()
            assert re.search(r"/s/\w+/card/$", client.url)
            og = {
                prop: client.locator(f"meta[property='og:{prop}']").get_attribute("content")
                for prop in ("title", "description", "url")
            }
            assert og["title"].startswith("Cut") and "Salon Lumen" in og["title"]
            assert og["url"] == client.url and og["description"]
            client.get_by_role("link", name=t(lang, "Book now")).click()
            client.wait_for_load_state()
            book_first_time_then_confirm(client, lang)
        finally:
            client_context.close()
        owner.goto(post_url)
        expect(owner.locator("#post-clicks")).to_have_text("1")
        expect(owner.locator("#post-bookings")).to_have_text("1")

        # The gym's landing page, created by the owner.
        owner.goto(f"{office}/partnerships/")
        field(owner, t(lang, "For")).select_option("partner")
        field(owner, t(lang, "Title")).fill("Gym Bastille −15%")
        field(owner, t(lang, "Partner")).fill("Gym Bastille")
        today = owner.evaluate("() => new Date().toISOString().slice(0, 10)")
        field(owner, t(lang, "From")).fill(today)
        field(owner, t(lang, "Until")).fill("2099-12-31")
        field(owner, t(lang, "Promo code")).fill(f"GYM{lang.upper()}15")
        field(owner, t(lang, "Discount (%)")).fill("15")
        owner.get_by_role("button", name=t(lang, "Create the page")).click()
        owner.wait_for_load_state()
        expect(owner.locator("body")).to_contain_text(t(lang, "Landing page created."))
        landing_url = owner.url
        tracked = owner.locator("a code").first.inner_text()

        member_context, member_page = desktop(browser)
        try:
            sign_in(member_page, live_server.url, lang, f"gym-{lang}@lumen.test")
            member_page.goto(tracked)
            member_page.wait_for_load_state()
            code = member_page.locator("#landing-code").inner_text()
            assert code == f"GYM{lang.upper()}15"
            member_page.locator("#book-from-landing").click()
            member_page.wait_for_load_state()
            member_page.locator("#wizard-services input[name=service]").first.check()
            member_page.get_by_role("button", name=t(lang, "Choose a time")).click()
            member_page.wait_for_load_state()
            book_first_time_then_confirm(member_page, lang, promo=code)
        finally:
            member_context.close()
        owner.goto(landing_url)
        expect(owner.locator("#landing-visits")).to_have_text("1")
        expect(owner.locator("#landing-bookings")).to_have_text("1")
        expect(owner.locator("#landing-code-uses")).to_have_text("1")
        assert not run_axe(owner)
        screenshot(owner, f"partner-landing-{lang}")
    finally:
        owner_context.close()
