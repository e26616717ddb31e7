"""The booking wizard in a real browser, as a guest: with JavaScript (htmx
swaps the day), without it (plain links and forms), and when the chosen slot
is taken meanwhile (explained, with alternatives to pick)."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, make_service
from solibook.testing.salon import give_shifts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2030, 6, 3)
TUESDAY = date(2030, 6, 4)


@pytest.fixture
def world(transactional_db):
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into

    load_into(Category)  # a transactional test's flush removed the migration's rows
    business = BusinessFactory(
        name="Salon Rivoli",
        slug="salon-rivoli",
        lead_time_minutes=0,
        horizon_days=3650,
        cancellation_fee_percent=50,
    )
    location = LocationFactory(business=business, name="Rivoli", time_zone="Europe/Paris")
    cut = make_service(business, name="Cut", steps=[(60, True)], price=4500)
    lea = make_master(business, locations=[location], services=[cut], name="Léa")
    give_shifts(lea, location, start=time(9), end=time(18))
    return {"business": business, "location": location, "cut": cut, "lea": lea}


def appointments():
    from solibook.booking.models import Appointment

    with scopes_disabled():
        return list(Appointment.objects.order_by("id"))


def choose_service(page, live_server, world, day=MONDAY):
    page.goto(f"{live_server.url}/en/book/{world['business'].slug}/?date={day.isoformat()}")
    page.locator(f"#service-{world['cut'].pk}").check()
    page.get_by_role("button", name="Choose a time").click()
    page.wait_for_load_state()


def identify_as_guest(page):
    page.get_by_label("Your name").fill("Ada Guest")
    page.get_by_label("E-mail address or phone number").fill("ada@example.test")
    page.get_by_role("button", name="Send me a code").click()
    page.wait_for_load_state()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("The six-digit code we sent").fill(code)
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state()


def confirm(page, name: str, *, axe: bool = True):
    expect(page.locator("#booking-summary")).to_contain_text("45.00")
    expect(page.locator("#cancellation-policy")).to_contain_text("50%")
    if axe:  # axe-core needs JavaScript
        violations = run_axe(page)
        assert not violations, violations
    screenshot(page, f"wizard-{name}-confirm")
    page.get_by_role("button", name="Confirm booking").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="You are booked!")).to_be_visible()


def test_a_guest_books_with_javascript_and_htmx_swaps_the_day(phone_page, live_server, world):
    page = phone_page
    choose_service(page, live_server, world)
    expect(page.locator("#slot-picker h2")).to_contain_text("3 June 2030")
    violations = run_axe(page)
    assert not violations, violations
    loads = []
    page.on("load", lambda _page: loads.append(1))
    page.locator("#slot-picker nav a", has_text="Tue 4 Jun").click()
    expect(page.locator("#slot-picker h2")).to_contain_text("4 June 2030")
    assert not loads, "the day changed without reloading the page (htmx)"
    assert "date=2030-06-04" in page.url  # the URL follows, so back and reload work
    page.locator("button.slot", has_text="10:00").click()
    page.wait_for_load_state()
    identify_as_guest(page)
    confirm(page, "js")
    [appointment] = appointments()
    assert appointment.status == "confirmed" and appointment.client_email == "ada@example.test"
    assert appointment.starts_at == datetime.combine(TUESDAY, time(10), tzinfo=PARIS)


def test_a_guest_books_without_javascript(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        choose_service(page, live_server, world)
        page.locator("#slot-picker nav a", has_text="Tue 4 Jun").click()
        page.wait_for_load_state()
        expect(page.locator("#slot-picker h2")).to_contain_text("4 June 2030")
        page.locator("button.slot", has_text="11:00").click()
        page.wait_for_load_state()
        identify_as_guest(page)
        confirm(page, "nojs", axe=False)
    finally:
        context.close()
    [appointment] = appointments()
    assert appointment.status == "confirmed" and appointment.starts_at == datetime.combine(
        TUESDAY, time(11), tzinfo=PARIS
    )


def test_a_slot_taken_meanwhile_is_explained_with_alternatives(desktop_page, live_server, world):
    from solibook.booking import services
    from solibook.booking.models import Source
    from solibook.booking.selectors import ItemSpec
    from solibook.core.tenancy import business_scope

    page = desktop_page
    choose_service(page, live_server, world)
    expect(page.locator("button.slot", has_text="10:00")).to_be_visible()
    with business_scope(world["business"]):  # another client is quicker
        services.appointment_create(
            business=world["business"],
            location_id=world["location"].pk,
            specs=[ItemSpec(world["cut"].pk)],
            start=datetime.combine(MONDAY, time(10), tzinfo=PARIS),
            source=Source.MARKETPLACE,
            client_name="Quick",
        )
    page.locator("button.slot", has_text="10:00").click()
    page.wait_for_load_state()
    expect(page.locator("#slot-error")).to_contain_text("no longer available")
    alternatives = page.locator("#slot-error button.alternative")
    expect(alternatives.first).to_be_visible()
    screenshot(page, "wizard-slot-taken")
    violations = run_axe(page)
    assert not violations, violations
    alternatives.first.click()
    page.wait_for_load_state()
    identify_as_guest(page)
    confirm(page, "alternative")
    booked = [a for a in appointments() if a.client_email == "ada@example.test"]
    assert len(booked) == 1 and booked[0].status == "confirmed"
    assert booked[0].starts_at != datetime.combine(MONDAY, time(10), tzinfo=PARIS)
