"""Notifications in a real browser: a salon edits a message template and the
htmx preview follows the typing (and shows a template error); a client's
preferences page registers the service worker and offers push on the device."""

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from solibook.accounts.roles import Role
from solibook.testing.factories import (
    TEST_PASSWORD,
    BusinessFactory,
    LocationFactory,
    UserFactory,
    member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def salon_owner(transactional_db):
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into

    load_into(Category)
    business = BusinessFactory(name="Salon Lumière", slug="salon-lumiere")
    LocationFactory(business=business, name="Marais", time_zone="Europe/Paris")
    member(business, Role.OWNER, email="owner@example.test", full_name="Owner")
    return business


def login(page, live_server, email):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def test_template_editor_previews_while_typing_and_saves(
    desktop_page, live_server, salon_owner, settings
):
    page = desktop_page
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    login(page, live_server, "owner@example.test")
    page.goto(f"{live_server.url}/en/office/salon-lumiere/notifications/")
    page.get_by_role("link", name="Message templates").click()
    page.locator("#channel").select_option("sms")
    page.locator("#language").select_option("fr")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("row", name="Reminder").get_by_role("link", name="Edit").click()

    body = page.get_by_label("Message", exact=True)
    body.fill("Coucou {{ client_name }} : {{ salon }} vous attend le {{ when }}")
    preview = page.locator("#template-preview")
    expect(preview).to_contain_text("Salon Lumière vous attend le")
    expect(preview).to_contain_text("2030")
    body.fill("{% if when %}oups")
    expect(page.locator("#template-preview .alert-danger")).to_contain_text("Unclosed tag")
    body.fill("Rappel : {{ salon }}, {{ when }}")
    expect(preview).to_contain_text("Rappel : Salon Lumière")
    assert not run_axe(page)
    screenshot(page, "notifications-template-editor")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Template saved")
    from solibook.notifications.models import MessageTemplate

    with scopes_disabled():
        assert (
            MessageTemplate.objects.get(kind="reminder", channel="sms", language="fr").body
            == "Rappel : {{ salon }}, {{ when }}"
        )
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


def test_preferences_page_registers_the_service_worker(
    desktop_page, live_server, transactional_db, settings, tmp_path
):
    settings.VAR_DIR = tmp_path  # the VAPID key generated on first use goes here
    settings.NOTIFICATIONS_VAPID_PRIVATE_KEY = ""
    UserFactory(email="client@example.test", full_name="Client")
    page = desktop_page
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    login(page, live_server, "client@example.test")
    page.goto(f"{live_server.url}/en/notifications/preferences/")
    status = page.locator("#push-status")
    # The worker registers at the root scope; with no subscription yet, push is off and can be turned on.
    expect(status).to_have_text("Push notifications are off for this device.")
    expect(page.get_by_role("button", name="Turn on for this device")).to_be_visible()
    scope = page.evaluate("async () => (await navigator.serviceWorker.getRegistration('/')).scope")
    assert scope == f"{live_server.url}/"
    page.get_by_label("SMS").first.uncheck()
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_role("status").first).to_contain_text("Your choice is saved")
    assert not run_axe(page)
    assert not errors, errors
