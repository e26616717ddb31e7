"""The foundation as a person meets it, in a real browser."""

from urllib.parse import quote

import pytest
from django.core.management import call_command

from e2e.conftest import run_axe, screenshot
from solibook.demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into

    load_into(Category)  # a transactional test's flush removed the migration's rows
    call_command("seed_demo", verbosity=0)


def test_arabic_home_page_is_right_to_left_on_a_phone(live_server, phone_page, demo):
    page = phone_page
    page.goto(f"{live_server.url}/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    heading = page.locator("h1")
    assert heading.inner_text() == "احجز خدمات التجميل والعافية بالقرب منك"
    # Right-to-left for real: the brand sits on the right of the phone screen.
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] > 390 / 2
    screenshot(page, "foundation-home-ar-phone")
    assert run_axe(page) == []
    # The demo's Riyadh salon is found by its Arabic name.
    page.goto(f"{live_server.url}/ar/search/?q=" + quote("لمسة ورد"))
    assert "صالون لمسة ورد" in page.content()


def test_language_switcher_changes_the_page_language(live_server, desktop_page, demo):
    page = desktop_page
    page.goto(f"{live_server.url}/en/")
    page.select_option("#language-switcher", "fr")
    page.wait_for_url(f"{live_server.url}/fr/")
    assert page.locator("h1").inner_text() == "Réservez beauté et bien-être près de chez vous"


def test_demo_owner_logs_into_the_back_office(live_server, desktop_page, demo):
    page = desktop_page
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("owner@solibook.demo")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.goto(f"{live_server.url}/fr/office/atelier-lumiere/")
    assert "Atelier Lumière Marais" in page.content()
    screenshot(page, "foundation-office-fr")
    assert run_axe(page) == []
