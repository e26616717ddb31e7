"""The front desk in a real browser: resize a visit by dragging its edge,
block time, book a walk-in who gets a client card, import a CSV and watch
its progress bar."""

from pathlib import Path

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from e2e import test_calendar_browser as calendar_tests
from e2e.conftest import screenshot
from e2e.test_calendar_browser import (
    SLOT_PX,
    at,
    axe_report,
    book,
    busy_event,
    click_slot,
    open_calendar,
    stable_box,
)
from solibook.accounts.roles import Role
from solibook.testing.factories import TEST_PASSWORD, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The calendar tests' world and logged-in receptionist.
front_desk = calendar_tests.front_desk
desk_page = calendar_tests.desk_page


def test_drag_the_end_of_a_visit_to_make_it_longer(live_server, desk_page, front_desk):
    from solibook.booking.models import Appointment

    world, page = front_desk, desk_page
    visit = book(world, 10, world["lea"], name="Resize Rita")
    book(world, 12, world["lea"], name="Next Nadia")
    open_calendar(page, live_server, world)
    event = busy_event(page, "Resize Rita")
    box = stable_box(page, event)
    event.hover()
    resizer = event.locator(".ec-resizer")
    resizer.wait_for()
    handle = resizer.bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.wait_for_timeout(100)
    for i in range(1, 11):  # two slots: 30 minutes longer
        page.mouse.move(x, y + 2 * SLOT_PX * i / 10)
    page.mouse.up()
    page.get_by_text("Appointment length changed.").wait_for()
    with scopes_disabled():
        visit.refresh_from_db()
        assert visit.ends_at == at(world, 11, 30)
    assert stable_box(page, busy_event(page, "Resize Rita"))["height"] > box["height"]

    # Into Nadia's visit at 12:00: refused, the length stays.
    event = busy_event(page, "Resize Rita")
    event.hover()
    handle = event.locator(".ec-resizer").bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(x, y + 4 * SLOT_PX * i / 10)
    page.mouse.up()
    page.get_by_text("This time is taken: the appointment keeps its length.").wait_for()
    with scopes_disabled():
        assert Appointment.objects.get(pk=visit.pk).ends_at == at(world, 11, 30)
    screenshot(page, "calendar-resize-en")


def test_block_time_from_the_calendar(live_server, desk_page, front_desk):
    from solibook.catalog.models import TimeOff

    world, page = front_desk, desk_page
    open_calendar(page, live_server, world)
    page.get_by_role("button", name="Block time").click()
    dialog = page.locator("#block-modal")
    dialog.wait_for(state="visible")
    dialog.get_by_label("Master").select_option(label="Marc")
    dialog.get_by_label("Day").fill(world["day"].isoformat())
    dialog.get_by_label("From").fill("15:00")
    dialog.get_by_label("Until").fill("16:30")
    dialog.get_by_label("Reason (shown in the calendar)").fill("Team meeting")
    assert axe_report(page) == []
    dialog.get_by_role("button", name="Block", exact=True).click()
    page.get_by_text("Time blocked.").wait_for()
    page.locator(".ec-event.sb-blocked", has_text="Team meeting").wait_for()
    with scopes_disabled():
        block = TimeOff.objects.get()
        assert (block.master_id, block.starts_at, block.ends_at, block.note) == (
            world["marc"].pk,
            at(world, 15),
            at(world, 16, 30),
            "Team meeting",
        )
    screenshot(page, "calendar-blocked-en")

    # Marc's 15:00 can no longer be booked.
    page.get_by_role("button", name="New appointment").click()
    page.locator("#booking-modal").wait_for(state="visible")
    page.locator("#booking-date").fill(world["day"].isoformat())
    page.locator("#booking-time").fill("15:00")
    page.locator("#booking-master").select_option(label="Marc")
    page.locator("#booking-service").select_option(label="Cut")
    page.get_by_label("Name", exact=True).fill("Too Late")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.locator("#booking-error")).to_be_visible()
    with scopes_disabled():
        from solibook.booking.models import Appointment

        assert not Appointment.objects.filter(client_name="Too Late").exists()
    page.keyboard.press("Escape")

    # Clicking the block frees it (after confirming).
    page.once("dialog", lambda d: d.accept())
    page.locator(".ec-event.sb-blocked", has_text="Team meeting").click()
    page.get_by_text("Blocked time freed.").wait_for()
    with scopes_disabled():
        assert not TimeOff.objects.exists()


def test_a_walk_in_gets_a_client_card_found_next_time(live_server, desk_page, front_desk):
    from solibook.clients.models import Client

    world, page = front_desk, desk_page
    open_calendar(page, live_server, world)
    click_slot(page, "Léa", "11:00")
    page.locator("#booking-modal").wait_for(state="visible")
    page.locator("#booking-service").select_option(label="Cut")
    page.get_by_label("Name", exact=True).fill("Nora New")
    page.get_by_label("Phone", exact=True).fill("06 55 44 33 22")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_text("Appointment booked.").wait_for()
    with scopes_disabled():
        card = Client.objects.get()
        assert (card.first_name, card.last_name, str(card.phone)) == ("Nora", "New", "+33655443322")

    # Next time she is found by her number and booked onto the same card.
    expect(page.locator("#booking-modal")).to_be_hidden()
    stable_box(page, busy_event(page, "Nora New"))  # the calendar has re-rendered
    click_slot(page, "Léa", "14:00")
    page.locator("#booking-modal").wait_for(state="visible")
    page.locator("#booking-service").select_option(label="Cut")
    page.get_by_label("Find a client (name, phone or e-mail)").fill("0655")
    page.get_by_role("option", name="Nora New").click()
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.locator(".ec-event.sb-busy", has_text="Nora New")).to_have_count(2)
    with scopes_disabled():
        assert Client.objects.count() == 1
        assert card.appointments.count() == 2

    # The panel links to her card.
    expect(page.locator("#booking-modal")).to_be_hidden()
    busy_event(page, "Nora New").click()
    page.locator("#appointment-card").wait_for(state="visible")
    page.locator("#appointment-card").click()
    page.get_by_role("heading", name="Nora New").wait_for()
    assert "+33655443322" in page.content()


@pytest.fixture
def owner_page(browser, live_server, front_desk):
    member(front_desk["business"], Role.OWNER, email="owner@example.test", full_name="Olga Owner")
    context = browser.new_context(
        viewport={"width": 1280, "height": 1000}, locale="en-US", bypass_csp=True
    )  # axe is injected inline
    page = context.new_page()
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("E-mail address").fill("owner@example.test")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    yield page
    context.close()


def test_import_a_small_csv_with_the_progress_bar(
    live_server, owner_page, front_desk, tmp_path: Path
):
    from solibook.clients.models import Client

    page = owner_page
    csv_file = tmp_path / "clients.csv"
    csv_file.write_text(
        "Prénom;Nom;Téléphone;Email\nAnna;Petrova;06 12 34 56 78;anna@example.test\nBob;Bad;12;\nChloé;Durand;+33698765432;\n",
        encoding="utf-8",
    )
    page.goto(f"{live_server.url}/en/office/{front_desk['business'].slug}/clients/import/")
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("heading", name="Which column is what?").wait_for()
    expect(page.get_by_label("Phone", exact=True)).to_have_value("2")
    page.get_by_text("“12” is not a valid phone number.").first.wait_for()
    assert axe_report(page) == []
    screenshot(page, "import-mapping-en")
    page.get_by_role("button", name="Import", exact=True).click()
    bar = page.locator("#import-bar")
    bar.wait_for()
    expect(bar).to_have_attribute("value", "100", timeout=15000)
    expect(page.locator("#import-counts")).to_contain_text("2 new clients")
    expect(page.locator("#import-counts")).to_contain_text("1 rows with problems")
    page.get_by_text("Rows not imported").wait_for()
    screenshot(page, "import-progress-en")
    assert axe_report(page) == []
    with scopes_disabled():
        assert sorted(Client.objects.values_list("first_name", flat=True)) == ["Anna", "Chloé"]
