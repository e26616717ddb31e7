"""The front desk's calendar in a real browser: drag to move, click to book.

The browser runs in New York while the salon is in Paris: the calendar must
show and send Paris wall-clock times all the same.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from e2e.conftest import run_axe, screenshot
from solibook.accounts.roles import Role
from solibook.testing.factories import (
    TEST_PASSWORD,
    BusinessFactory,
    LocationFactory,
    make_master,
    make_service,
    member,
)
from solibook.testing.salon import give_shifts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS = ZoneInfo("Europe/Paris")
SLOT_PX = 20  # the page's slotHeight for 15 minutes


@pytest.fixture
def front_desk(transactional_db):
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into

    load_into(Category)  # a transactional test's flush removed the migration's rows
    business = BusinessFactory(
        name="Salon Calendrier", slug="salon-calendrier", lead_time_minutes=0, horizon_days=365
    )
    location = LocationFactory(business=business, name="Marais", time_zone="Europe/Paris")
    cut = make_service(business, name="Cut", steps=[(60, True)], price=4500)
    colour = make_service(
        business,
        name="Colour",
        steps=[(30, True), (35, False), (30, True)],
        price=8000,
        category_slug="colouring",
    )
    lea = make_master(business, locations=[location], services=[cut, colour], name="Léa")
    marc = make_master(business, locations=[location], services=[cut], name="Marc")
    for master in (lea, marc):
        give_shifts(master, location, start=time(8), end=time(20))
    receptionist = member(
        business, Role.RECEPTIONIST, email="desk@example.test", full_name="Desk Person"
    )
    day = (datetime.now(PARIS) + timedelta(days=3)).date()
    return {
        "business": business,
        "location": location,
        "cut": cut,
        "colour": colour,
        "lea": lea,
        "marc": marc,
        "desk": receptionist,
        "day": day,
    }


def at(world, hour, minute=0):
    return datetime.combine(world["day"], time(hour, minute), tzinfo=PARIS)


def book(world, hour, master, service=None, name="Anna Client", minute=0):
    from solibook.booking import services
    from solibook.booking.models import Source
    from solibook.booking.selectors import ItemSpec
    from solibook.core.tenancy import business_scope

    business = world["business"]
    with business_scope(business):
        return services.appointment_create(
            business=business,
            location_id=world["location"].pk,
            specs=[ItemSpec(service_id=(service or world["cut"]).pk, master_id=master.pk)],
            start=at(world, hour, minute),
            source=Source.BACK_OFFICE,
            client_name=name,
            client_phone="+33600000001",
        )


@pytest.fixture
def desk_page(browser, live_server, front_desk):
    # bypass_csp: axe-core is injected as an inline script, which the pages' CSP refuses.
    context = browser.new_context(
        viewport={"width": 1280, "height": 1000},
        timezone_id="America/New_York",
        locale="en-US",
        bypass_csp=True,
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("E-mail address").fill("desk@example.test")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    yield page
    context.close()


def open_calendar(page, live_server, world, lang="en"):
    page.goto(
        f"{live_server.url}/{lang}/office/{world['business'].slug}/calendar/?date={world['day'].isoformat()}"
    )
    page.wait_for_selector(".ec-body")


def busy_event(page, client):
    return page.locator(".ec-event.sb-busy", has_text=client).first


def stable_box(page, locator):
    """The element's box once the calendar has stopped re-rendering it."""
    page.wait_for_load_state("networkidle")
    previous = None
    for _ in range(40):
        box = locator.bounding_box() if locator.count() else None
        if box and box == previous:
            return box
        previous = box
        page.wait_for_timeout(150)
    raise AssertionError("the event never settled")


def drag_by(page, locator, dx, dy):
    box = stable_box(page, locator)
    x, y = box["x"] + box["width"] / 2, box["y"] + 8
    page.mouse.move(x, y)
    page.mouse.down()
    page.wait_for_timeout(100)
    steps = 12
    for i in range(1, steps + 1):
        page.mouse.move(x + dx * i / steps, y + dy * i / steps)
    page.mouse.up()


def click_slot(page, master, hhmm):
    point = page.evaluate(
        """([master, hhmm]) => {
            const cal = window.solibookCalendar;
            const head = Array.from(document.querySelectorAll('.ec-col-head')).find(h => h.textContent.trim() === master);
            const box = head.getBoundingClientRect();
            const x = box.left + box.width / 2;
            for (let y = box.bottom + 2; y < window.innerHeight; y += 4) {
                const info = cal.dateFromPoint(x, y);
                if (info && String(info.date.getHours()).padStart(2, '0') + ':' + String(info.date.getMinutes()).padStart(2, '0') === hhmm && info.resource && info.resource.title === master) {
                    return [x, y + 6];
                }
            }
            return null;
        }""",
        [master, hhmm],
    )
    assert point, f"no {hhmm} slot visible for {master}"
    page.mouse.click(*point)


def axe_report(page):
    return [(v["id"], [n["html"][:200] for n in v["nodes"][:3]]) for v in run_axe(page)]


def appointment_start(appointment_id):
    from solibook.booking.models import Appointment

    with scopes_disabled():
        return Appointment.objects.get(pk=appointment_id).starts_at.astimezone(PARIS)


def test_times_show_in_the_salons_zone_and_a_drag_moves_the_appointment(
    live_server, desk_page, front_desk
):
    world, page = front_desk, desk_page
    moved = book(world, 10, world["lea"], name="Anna Client")
    book(world, 14, world["lea"], name="Boris Busy")
    book(world, 11, world["marc"], service=world["cut"], name="Chloé Colour")
    open_calendar(page, live_server, world)

    event = busy_event(page, "Anna Client")
    # 10:00 in Paris, though the browser is in New York.
    assert "10:00" in event.inner_text()
    screenshot(page, "calendar-day-en")

    # Two hours later (8 slots of 15 minutes): the database has the new time.
    drag_by(page, event, 0, 8 * SLOT_PX)
    page.get_by_text("Appointment moved.").wait_for()
    assert appointment_start(moved.pk) == at(world, 12)
    assert "12:00" in busy_event(page, "Anna Client").inner_text()

    # Onto Boris at 14:00: refused with a clear message, nothing moves.
    drag_by(page, busy_event(page, "Anna Client"), 0, 8 * SLOT_PX)
    page.get_by_text("This time is taken: the appointment stays where it was.").wait_for()
    assert appointment_start(moved.pk) == at(world, 12)
    page.wait_for_timeout(300)
    assert "12:00" in busy_event(page, "Anna Client").inner_text()
    screenshot(page, "calendar-conflict-en")

    # The week of one master (Léa, chosen above the calendar): Marc's client is not in it.
    page.get_by_role("button", name="Week").click()
    expect(page.locator(".ec-event.sb-busy", has_text="Chloé Colour")).to_have_count(0)
    busy_event(page, "Anna Client").wait_for()
    page.locator("#calendar-week-master").select_option(label="Marc")
    page.locator(".ec-event.sb-busy", has_text="Chloé Colour").wait_for()
    expect(page.locator(".ec-event.sb-busy", has_text="Anna Client")).to_have_count(0)
    screenshot(page, "calendar-week-en")


def test_click_an_empty_slot_and_book_a_walk_in(live_server, desk_page, front_desk):
    from solibook.booking.models import Appointment

    world, page = front_desk, desk_page
    book(world, 9, world["marc"], name="Known Client")  # a past client to find
    open_calendar(page, live_server, world)
    assert axe_report(page) == []

    # An empty slot in Marc's column at 12:00, found through the calendar's own dateFromPoint.
    click_slot(page, "Marc", "12:00")

    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert page.locator("#booking-time").input_value() == "12:00"
    assert page.locator("#booking-master option:checked").inner_text() == "Marc"
    page.locator("#booking-service").select_option(label="Cut")
    page.get_by_label("Find a client (name, phone or e-mail)").fill("Known")
    page.get_by_role("option", name="Known Client").wait_for()
    page.get_by_label("Find a client (name, phone or e-mail)").fill("")
    page.get_by_label("Name", exact=True).fill("Walk In Wendy")
    page.get_by_label("Phone", exact=True).fill("+33611223344")
    screenshot(page, "calendar-booking-form-en")
    assert axe_report(page) == []
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_text("Appointment booked.").wait_for()
    assert "12:00" in busy_event(page, "Walk In Wendy").inner_text()
    with scopes_disabled():
        booked = Appointment.objects.get(client_name="Walk In Wendy")
        assert booked.starts_at.astimezone(PARIS) == at(world, 12)
        assert booked.items.get().master_id == world["marc"].pk
        assert booked.client_phone == "+33611223344"

    # The panel, opened from the keyboard: details, the desk's actions, check-in, history.
    busy_event(page, "Walk In Wendy").focus()
    page.keyboard.press("Enter")
    panel = page.locator("#appointment-panel")
    panel.get_by_text("Walk In Wendy").wait_for()
    for action in ("Check out", "Reschedule", "Rebook"):
        expect(panel.locator("#appointment-desk").get_by_text(action, exact=True)).to_be_visible()
    checkout = panel.get_by_role("link", name="Check out")
    assert checkout.get_attribute("href").endswith(f"/checkout/?appointment={booked.pk}")
    panel.get_by_role("button", name="Check in").click()
    page.get_by_text("The client is checked in.").wait_for()
    panel.get_by_text("Status: Confirmed → Arrived").wait_for()
    with scopes_disabled():
        booked.refresh_from_db()
    assert booked.status == "arrived"
    screenshot(page, "calendar-panel-en")
    assert axe_report(page) == []


def test_arabic_calendar_is_right_to_left(live_server, desk_page, front_desk):
    world, page = front_desk, desk_page
    from solibook.catalog.models import TimeOff

    book(world, 10, world["lea"], service=world["colour"], name="Anna Client")
    with scopes_disabled():
        TimeOff.objects.create(
            business=world["business"],
            master=world["marc"],
            starts_at=at(world, 13),
            ends_at=at(world, 15),
        )
    open_calendar(page, live_server, world, lang="ar")
    page.locator(".ec-bg-event.sb-away").wait_for()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert (
        "10:00" in busy_event(page, "Anna Client").inner_text()
        or "١٠:٠٠" in busy_event(page, "Anna Client").inner_text()
    )
    screenshot(page, "calendar-day-ar")
    assert axe_report(page) == []
