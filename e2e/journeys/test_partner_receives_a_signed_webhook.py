"""Journey (issue #22, points 1 and 6): a salon's partner receives a signed
webhook for a booking and verifies it, in English and in French, at 1366×768,
through pages only.

The partner's receiver is a local HTTP server started by the test
(solibook/developers/tests/subscriber.py); the site runs in its own process
(pytest-django's live server, loopback addresses allowed as in `make run`'s
demo) and delivers from the outbox after the booking commits.

- The owner opens Business → Developers, creates a webhook for "Booking
  created" pointing at the receiver and copies the signing secret shown once.
- A client books the salon's cut through the wizard.
- The receiver gets one POST whose Standard Webhooks signature verifies with
  that secret (`standardwebhooks.Webhook.verify`), of type booking.created.
- The webhook's page shows the delivery in its log, delivered, with the same
  message id; the owner replays it and the receiver gets it again, still
  verifying, with the same webhook-id.
"""

import json
import re
from datetime import time

import pytest
from playwright.sync_api import expect
from standardwebhooks.webhooks import Webhook

from e2e.conftest import run_axe, screenshot
from e2e.journeys.conftest import office_menu, t
from solibook.accounts.roles import Role
from solibook.developers.tests import subscriber
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
SLUG = "salon-hook"


@pytest.fixture
def world(transactional_db, settings):
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into

    load_into(Category)  # a transactional test's flush removed the migration's rows
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True  # as the demo of `make run`
    business = BusinessFactory(
        name="Salon Hook", slug=SLUG, lead_time_minutes=0, horizon_days=60, slot_step_minutes=30
    )
    location = LocationFactory(business=business, name="Hook Marais", time_zone="Europe/Paris")
    cut = make_service(business, name="Cut", steps=[(60, True)], price=4500)
    master = make_master(business, locations=[location], services=[cut], name="Léa")
    give_shifts(master, location, start=time(0), end=time(23, 30))
    member(business, Role.OWNER, email="owner@hook.test", full_name="Inès Owner")
    partner, server = subscriber.start()
    yield partner
    server.shutdown()
    server.server_close()
    load_into(Category)


def sign_in(page, url: str, lang: str, email: str) -> None:
    page.goto(f"{url}/{lang}/accounts/login/")
    page.get_by_label(t(lang, "E-mail address")).fill(email)
    page.get_by_label(t(lang, "Password")).fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def desktop(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(60_000)  # eight people on two cores
    return context, page


def client_books_the_cut(page, url: str, lang: str) -> None:
    page.goto(f"{url}/{lang}/salons/{SLUG}/")
    page.get_by_role("link", name=t(lang, "Book now")).first.click()
    page.wait_for_load_state()
    page.locator("#wizard-services input[name=service]").first.check()
    page.get_by_role("button", name=t(lang, "Choose a time")).click()
    page.wait_for_load_state()
    first = page.locator("#slot-picker button.slot").first
    expect(first).to_be_visible()
    first.click()
    page.wait_for_load_state()
    page.locator("#confirm-button").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=t(lang, "You are booked!"))).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_partner_receives_and_verifies_a_booking_event(browser, live_server, world, lang):
    partner = world
    UserFactory(email=f"client-{lang}@hook.test", full_name="Olga Client")
    owner_context, owner = desktop(browser)
    try:
        sign_in(owner, live_server.url, lang, "owner@hook.test")
        owner.goto(f"{live_server.url}/{lang}/office/{SLUG}/")
        office_menu(owner, lang, "Developers", group="Business")
        expect(owner.get_by_role("heading", name=t(lang, "Developers"), exact=True)).to_be_visible()
        assert not run_axe(owner)

        owner.locator("summary", has_text=t(lang, "New webhook")).click()
        owner.locator("#id_url").fill(partner.url)
        owner.get_by_label(re.compile(re.escape(t(lang, "Booking created")))).check()
        owner.get_by_role("button", name=t(lang, "Create the webhook")).click()
        owner.wait_for_load_state()
        expect(
            owner.get_by_text(t(lang, "Copy it now: it will not be shown again."))
        ).to_be_visible()
        secret = owner.get_by_test_id("new-secret").input_value()
        assert secret.startswith("whsec_")
        screenshot(owner, f"webhook-created-{lang}")

        client_context, client = desktop(browser)
        try:
            sign_in(client, live_server.url, lang, f"client-{lang}@hook.test")
            client_books_the_cut(client, live_server.url, lang)
        finally:
            client_context.close()

        # Delivered after the booking committed (the task runs on commit).
        [got] = partner.received
        message = Webhook(secret).verify(got.body, got.headers)
        assert message["type"] == "booking.created"
        assert isinstance(message["data"]["appointment_id"], int)

        # Opening again the address that showed the secret leads back to Developers.
        owner.goto(owner.url)
        owner.get_by_role("link", name=partner.url).click()
        owner.wait_for_load_state()
        assert secret not in owner.content()
        log = owner.get_by_test_id("delivery-log")
        expect(log).to_contain_text("booking.created")
        expect(log).to_contain_text(got.headers["webhook-id"])
        expect(log).to_contain_text(t(lang, "Delivered"))
        assert not run_axe(owner)
        screenshot(owner, f"webhook-log-{lang}")

        log.get_by_role("button", name=t(lang, "Replay")).first.click()
        owner.wait_for_load_state()
        expect(owner.locator("body")).to_contain_text(t(lang, "Message queued to be sent again."))
        assert len(partner.received) == 2
        again = partner.received[1]
        assert again.headers["webhook-id"] == got.headers["webhook-id"]
        assert json.loads(again.body) == Webhook(secret).verify(again.body, again.headers)
    finally:
        owner_context.close()
