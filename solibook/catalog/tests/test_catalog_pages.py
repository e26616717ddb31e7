"""The back-office pages that set up the catalogue, driven as a browser would (no JavaScript)."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.catalog import services as catalog_services
from solibook.catalog.forms import parse_ranges
from solibook.catalog.models import (
    Business,
    Category,
    DateOverride,
    LocationClosure,
    Master,
    MasterService,
    OpeningHours,
    Resource,
    ResourceType,
    Service,
    TimeOff,
    WeeklyShift,
)
from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.testing.factories import (
    BusinessFactory,
    LocationFactory,
    make_master,
    make_service,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    """A French salon, one Paris location, its owner logged in."""
    business = BusinessFactory(currency="EUR", country="FR")
    location = LocationFactory(business=business, time_zone="Europe/Paris", country="FR")
    owner = member(business, Role.OWNER)
    client.force_login(owner)
    return business, location, owner


def url(business, path: str = "") -> str:
    return f"/en/office/{business.slug}/{path}"


def formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    return data


def service_post(*, price="80.00", steps=None, variants=(), **fields) -> dict:
    with scopes_disabled():
        colouring = Category.objects.get(slug="colouring")
    data = {
        "category_id": str(colouring.pk),
        "name": "Colour",
        "price_amount": price,
        "buffer_before_minutes": "0",
        "buffer_after_minutes": "5",
        "group_capacity": "1",
        "bookable_online": "on",
        "is_active": "on",
        **fields,
    }
    steps = (
        steps
        if steps is not None
        else [
            {"duration_minutes": "30", "master_busy": "on", "label": "Apply colour"},
            {"duration_minutes": "35", "label": "Processing"},
            {"duration_minutes": "30", "master_busy": "on", "label": "Rinse and cut"},
        ]
    )
    return {**data, **formset("steps", steps), **formset("variants", list(variants))}


def week_row(master, **days) -> dict:
    return {f"master-{master.pk}-day_{d}": days.get(f"day_{d}", "") for d in range(7)}


# ---------------------------------------------------------------- the range syntax


def test_ranges_parse_split_shifts_and_name_what_is_wrong():
    assert parse_ranges(" 14:00 – 19:00, 9:00-13:00 ") == [
        (time(9), time(13)),
        (time(14), time(19)),
    ]
    assert parse_ranges("") == []
    for text, code in [
        ("09:00-08:00", "backwards"),
        ("09:00-13:00 12:00-14:00", "overlap"),
        ("nine to five", "invalid"),
        ("25:00-26:00", "invalid"),
    ]:
        with pytest.raises(ValidationError) as caught:
            parse_ranges(text)
        assert caught.value.code == code, text


# ---------------------------------------------------------------- services


def test_owner_creates_a_service_with_processing_steps_and_variants(client, office):
    business, _location, _owner = office
    with scopes_disabled():
        room = ResourceType.objects.create(business=business, name="Colour station")
    variants = [
        {"name": "Short hair", "price_amount": "70.00", "duration_minutes": "60"},
        {"name": "Long hair", "price_amount": "95.50", "duration_minutes": "90"},
    ]
    response = client.post(
        url(business, "services/new/"),
        service_post(variants=variants, resource_type_ids=[str(room.pk)], price_is_from="on"),
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    with scopes_disabled():
        service = Service.objects.get(business=business)
        steps = list(
            service.steps.filter(variant__isnull=True).values_list(
                "duration_minutes", "master_busy", "label"
            )
        )
        variant_rows = [
            (v.name, v.price_amount, [(s.duration_minutes, s.master_busy) for s in v.steps.all()])
            for v in service.variants.all()
        ]
        assert list(service.resource_types.all()) == [room]
    assert (
        service.price_amount,
        service.currency,
        service.price_is_from,
        service.buffer_after_minutes,
    ) == (8000, "EUR", True, 5)
    assert steps == [
        (30, True, "Apply colour"),
        (35, False, "Processing"),
        (30, True, "Rinse and cut"),
    ]
    assert variant_rows == [("Short hair", 7000, [(60, True)]), ("Long hair", 9550, [(90, True)])]

    listing = client.get(url(business, "services/"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "95 min" in page and "€80.00" in page and "Colouring" in page


@pytest.mark.parametrize("field", ["price_amount", "variant"])
def test_a_price_with_more_decimals_than_the_currency_is_refused(client, office, field):
    business, *_ = office
    if field == "price_amount":
        data = service_post(price="45.001")
    else:
        data = service_post(
            variants=[{"name": "Long", "price_amount": "9.999", "duration_minutes": "60"}]
        )
    response = client.post(url(business, "services/new/"), data)
    assert response.status_code == 200
    errors = (
        response.context["form"].errors
        if field == "price_amount"
        else response.context["variants"].forms[0].errors
    )
    assert errors["price_amount"] == ["Use at most 2 decimal places for EUR."]
    with scopes_disabled():
        assert not Service.objects.exists()


def test_a_refusal_of_the_service_lands_on_the_step_and_saves_nothing(client, office):
    business, *_ = office
    steps = [
        {"duration_minutes": "35", "label": "Processing first"},
        {"duration_minutes": "30", "master_busy": "on"},
    ]
    response = client.post(url(business, "services/new/"), service_post(steps=steps))
    assert response.status_code == 200
    assert "Processing time must be between two steps with the master." in response.content.decode()
    with scopes_disabled():
        assert not Service.objects.exists()


def test_editing_a_service_replaces_its_steps_and_keeps_untouched_variants(client, office):
    business, *_ = office
    service = make_service(business, name="Cut", steps=[(45, True)], price=4500)
    with scopes_disabled(), business_scope(business):
        catalog_services.service_update(
            actor=None,
            business=business,
            service_id=service.pk,
            variants=[
                {
                    "name": "Long",
                    "price_amount": 6000,
                    "steps": [
                        {"duration_minutes": 20},
                        {"duration_minutes": 20, "master_busy": False},
                        {"duration_minutes": 20},
                    ],
                }
            ],
        )
    page = client.get(url(business, f"services/{service.pk}/"))
    assert page.status_code == 200
    assert page.context["form"]["price_amount"].value() == Decimal("45.00")
    assert 'value="45.00"' in page.content.decode()
    data = service_post(
        price="50",
        name="Cut and finish",
        steps=[{"duration_minutes": "50", "master_busy": "on", "label": "Cut"}],
    )
    data.update(
        formset(
            "variants",
            [{"name": "Long", "price_amount": "60.00", "duration_minutes": "60"}],
            initial=1,
        )
    )
    response = client.post(url(business, f"services/{service.pk}/"), data)
    assert response.status_code == 302
    with scopes_disabled():
        service.refresh_from_db()
        assert (service.name, service.price_amount) == ("Cut and finish", 5000)
        assert list(
            service.steps.filter(variant__isnull=True).values_list("duration_minutes", flat=True)
        ) == [50]
        [variant] = service.variants.all()
        assert [s.master_busy for s in variant.steps.all()] == [
            True,
            False,
            True,
        ]  # untouched: not flattened


# ---------------------------------------------------------------- masters


def test_owner_adds_a_master_with_an_own_price_and_pace(client, office):
    business, location, _owner = office
    cut = make_service(business, name="Cut", price=4500)
    colour = make_service(business, name="Colour", price=8000, category_slug="colouring")
    stylist = member(business, Role.MASTER, full_name="Léa Martin")
    data = {
        "display_name": "Léa",
        "bio": "Colour expert",
        "color": "#336699",
        "is_active": "on",
        "location_ids": [str(location.pk)],
        "user": str(stylist.pk),
        f"service-{cut.pk}-performs": "on",
        f"service-{colour.pk}-performs": "on",
        f"service-{colour.pk}-price_amount": "92.50",
        f"service-{colour.pk}-duration_delta_minutes": "-10",
    }
    response = client.post(url(business, "masters/new/"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    with scopes_disabled():
        master = Master.objects.get(business=business)
        links = {
            link.service.name: (link.price_amount, link.duration_delta_minutes)
            for link in MasterService.objects.filter(master=master)
        }
        assert list(master.locations.all()) == [location]
    assert (master.display_name, master.color, master.user) == ("Léa", "#336699", stylist)
    assert links == {"Cut": (None, 0), "Colour": (9250, -10)}

    # An own price on a service the master does not perform is a mistake, not silence.
    data[f"service-{cut.pk}-performs"] = ""
    data[f"service-{cut.pk}-price_amount"] = "40"
    refused = client.post(url(business, f"masters/{master.pk}/"), data)
    assert refused.status_code == 200
    assert refused.context["rows"][0].errors["performs"]
    assert client.get(url(business, "masters/")).status_code == 200


def test_a_master_cannot_be_linked_to_someone_outside_the_team(client, office):
    business, location, _owner = office
    outsider = member(BusinessFactory(), Role.OWNER)
    response = client.post(
        url(business, "masters/new/"),
        {
            "display_name": "X",
            "color": "#336699",
            "location_ids": [str(location.pk)],
            "user": str(outsider.pk),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["user"]


# ---------------------------------------------------------------- weekly schedule grid


def _shifts(master):
    with scopes_disabled():
        return list(
            WeeklyShift.objects.filter(master=master).values_list(
                "location_id", "weekday", "start", "end"
            )
        )


def test_the_grid_saves_split_shifts_for_two_masters(client, office):
    business, location, _owner = office
    lea = make_master(business, locations=[location], name="Léa")
    marc = make_master(business, locations=[location], name="Marc")
    page = client.get(url(business, f"locations/{location.pk}/schedule/"))
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        f'<label class="visually-hidden" for="id_master-{lea.pk}-day_0">Léa, Monday</label>' in html
    )
    assert '<th scope="col">Sunday</th>' in html

    data = {
        **week_row(lea, day_0="09:00-13:00 14:00-19:00", day_5="10:00-16:00"),
        **week_row(marc, day_1="12:00-20:00"),
    }
    response = client.post(url(business, f"locations/{location.pk}/schedule/"), data)
    assert response.status_code == 302
    assert _shifts(lea) == [
        (location.pk, 0, time(9), time(13)),
        (location.pk, 0, time(14), time(19)),
        (location.pk, 5, time(10), time(16)),
    ]
    assert _shifts(marc) == [(location.pk, 1, time(12), time(20))]
    again = client.get(url(business, f"locations/{location.pk}/schedule/"))
    assert again.context["rows"][0]["day_0"].value() == "09:00-13:00 14:00-19:00"


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("09:00-08:00", "In “09:00-08:00” the end is not after the start."),
        ("09:00-13:00 12:00-14:00", "09:00-13:00 and 12:00-14:00 overlap."),
        ("9 to 5", "“9” is not a time range; write it like 09:00-13:00."),
    ],
)
def test_the_grid_refuses_a_bad_cell_and_saves_no_row(client, office, cell, message):
    business, location, _owner = office
    lea = make_master(business, locations=[location], name="Léa")
    marc = make_master(business, locations=[location], name="Marc")
    data = {**week_row(lea, day_0="09:00-18:00"), **week_row(marc, day_2=cell)}
    response = client.post(url(business, f"locations/{location.pk}/schedule/"), data)
    assert response.status_code == 200
    marc_row = response.context["rows"][1]
    assert marc_row.errors == {"day_2": [message]}
    assert response.context["failed"] == [marc]
    assert _shifts(lea) == [] and _shifts(marc) == []


def test_the_grid_rolls_every_row_back_when_the_service_refuses_a_later_one(client, office):
    """Alice's row is valid and written first; Zoé's clashes with her shift at
    another location, which only the service can see: nothing is kept."""
    business, location, _owner = office
    other = LocationFactory(business=business, name="Other place")
    alice = make_master(business, locations=[location], name="Alice")
    zoe = make_master(business, locations=[location, other], name="Zoé")
    with scopes_disabled():
        WeeklyShift.objects.create(
            business=business, master=zoe, location=other, weekday=0, start=time(10), end=time(12)
        )
    data = {**week_row(alice, day_0="09:00-18:00"), **week_row(zoe, day_0="09:00-13:00")}
    response = client.post(url(business, f"locations/{location.pk}/schedule/"), data)
    assert response.status_code == 200
    assert response.context["failed"] == [zoe]
    assert "Working periods overlap." in response.content.decode()
    assert _shifts(alice) == []
    assert _shifts(zoe) == [(other.pk, 0, time(10), time(12))]


def test_the_schedule_link_leads_to_the_first_location(client, office):
    business, location, _owner = office
    response = client.get(url(business, "schedule/"))
    assert response["Location"] == url(business, f"locations/{location.pk}/schedule/")


# ---------------------------------------------------------------- date overrides and time off


def test_time_off_is_entered_in_local_time_and_refused_in_the_dst_gap(client, office):
    business, location, _owner = office
    lea = make_master(business, locations=[location], name="Léa")
    page_url = url(business, f"masters/{lea.pk}/time-off/")
    assert client.get(page_url).status_code == 200

    gap = {
        "location": str(location.pk),
        "starts_at": "2026-03-29T02:30",
        "ends_at": "2026-03-29T12:00",
        "reason": "training",
    }
    refused = client.post(page_url, gap)
    assert refused.status_code == 200
    assert refused.context["time_off_form"].errors["starts_at"] == [
        "This time does not exist in Europe/Paris: the clocks skip it when summer time starts."
    ]
    with scopes_disabled():
        assert not TimeOff.objects.exists()

    ok = client.post(page_url, {**gap, "starts_at": "2026-03-29T10:00"})
    assert ok.status_code == 302
    with scopes_disabled():
        time_off = TimeOff.objects.get()
    # Summer time has begun that morning: Paris is UTC+2.
    assert (time_off.starts_at, time_off.ends_at) == (
        datetime(2026, 3, 29, 8, tzinfo=UTC),
        datetime(2026, 3, 29, 10, tzinfo=UTC),
    )

    assert (
        client.post(url(business, f"masters/{lea.pk}/time-off/{time_off.pk}/delete/")).status_code
        == 302
    )
    with scopes_disabled():
        assert not TimeOff.objects.exists()


def test_a_day_override_sets_hours_or_a_day_off(client, office):
    business, location, _owner = office
    lea = make_master(business, locations=[location], name="Léa")
    day_url = url(business, f"masters/{lea.pk}/time-off/day/")
    assert (
        client.post(
            day_url, {"location": str(location.pk), "day": "2030-05-02", "periods": "10:00-14:00"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            day_url, {"location": str(location.pk), "day": "2030-05-03", "day_off": "on"}
        ).status_code
        == 302
    )
    neither = client.post(day_url, {"location": str(location.pk), "day": "2030-05-04"})
    assert neither.context["override_form"].errors["periods"]
    with scopes_disabled():
        rows = list(DateOverride.objects.filter(master=lea).values_list("date", "start", "end"))
    assert rows == [(date(2030, 5, 2), time(10), time(14)), (date(2030, 5, 3), None, None)]
    assert client.get(day_url).status_code == 405


# ---------------------------------------------------------------- opening hours, closures, holidays


def test_opening_hours_and_closures(client, office):
    business, location, _owner = office
    hours_url = url(business, f"locations/{location.pk}/hours/")
    assert client.get(hours_url).status_code == 200
    response = client.post(
        hours_url, {"day_0": "", "day_1": "09:00-12:30 14:00-19:00", "day_5": "10:00-17:00"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert list(
            OpeningHours.objects.filter(location=location).values_list("weekday", "opens", "closes")
        ) == [
            (1, time(9), time(12, 30)),
            (1, time(14), time(19)),
            (5, time(10), time(17)),
        ]
    bad = client.post(hours_url, {"day_1": "19:00-09:00"})
    assert bad.context["hours_form"].errors["day_1"]

    assert (
        client.post(
            url(business, f"locations/{location.pk}/closures/"),
            {"date": "2030-08-10", "name": "Staff training"},
        ).status_code
        == 302
    )
    twice = client.post(
        url(business, f"locations/{location.pk}/closures/"), {"date": "2030-08-10", "name": "Again"}
    )
    assert twice.context["closure_form"].errors["date"] == ["This date is already closed."]
    with scopes_disabled():
        closure = LocationClosure.objects.get(location=location)
    assert (
        client.post(
            url(business, f"locations/{location.pk}/closures/{closure.pk}/delete/")
        ).status_code
        == 302
    )
    with scopes_disabled():
        assert not LocationClosure.objects.exists()


def test_public_holidays_are_proposed_for_a_french_location_then_imported(client, office):
    business, location, _owner = office
    proposed = client.get(url(business, f"locations/{location.pk}/holidays/"), {"year": "2026"})
    assert proposed.status_code == 200
    days = {day: name for day, name, _closed in proposed.context["proposals"]}
    assert days[date(2026, 7, 14)] == "National Day"
    with scopes_disabled():
        assert not LocationClosure.objects.exists()  # a proposal only

    assert (
        client.post(
            url(business, f"locations/{location.pk}/holidays/"), {"year": "2026"}
        ).status_code
        == 302
    )
    with scopes_disabled():
        closed = set(
            LocationClosure.objects.filter(location=location, source="holiday").values_list(
                "date", flat=True
            )
        )
    assert date(2026, 7, 14) in closed and len(closed) == len(days)


# ---------------------------------------------------------------- resources and settings


def test_resource_types_and_resources(client, office):
    business, location, _owner = office
    assert (
        client.post(url(business, "resources/types/new/"), {"name": "Massage room"}).status_code
        == 302
    )
    with scopes_disabled():
        room = ResourceType.objects.get(business=business)
    assert (
        client.post(
            url(business, f"resources/types/{room.pk}/"), {"name": "Treatment room"}
        ).status_code
        == 302
    )
    created = client.post(
        url(business, "resources/new/"),
        {
            "location": str(location.pk),
            "resource_type": str(room.pk),
            "name": "Room 1",
            "capacity": "2",
        },
    )
    assert created.status_code == 302
    with scopes_disabled():
        resource = Resource.objects.get()
    assert (
        client.post(
            url(business, f"resources/{resource.pk}/"), {"name": "Room A", "capacity": "1"}
        ).status_code
        == 302
    )
    with scopes_disabled():
        resource.refresh_from_db()
        room.refresh_from_db()
    assert (room.name, resource.name, resource.capacity, resource.is_active) == (
        "Treatment room",
        "Room A",
        1,
        False,
    )
    assert "Room A" in client.get(url(business, "resources/")).content.decode()


def test_renaming_a_resource_type_keeps_names_unique():
    business = BusinessFactory()
    with business_scope(business):
        spa = catalog_services.resource_type_create(actor=None, business=business, name="Spa room")
        chair = catalog_services.resource_type_create(actor=None, business=business, name="Chair")
        with pytest.raises(ValidationFailed) as caught:
            catalog_services.resource_type_update(
                actor=None, business=business, resource_type_id=chair.pk, name="spa ROOM"
            )
        assert list(caught.value.fields) == ["name"]
        catalog_services.resource_type_update(
            actor=None, business=business, resource_type_id=spa.pk, name="Spa Room"
        )
        assert ResourceType.objects.get(pk=spa.pk).name == "Spa Room"


def test_business_settings_take_a_fixed_deposit_in_major_units(client, office):
    business, *_ = office
    data = {
        "name": "Maison Iris",
        "legal_name": "Iris SARL",
        "registration_number": "123 456 789 00012",
        "vat_number": "FR12345678901",
        "languages": ["fr", "en"],
        "is_listed": "on",
        "lead_time_minutes": "120",
        "horizon_days": "60",
        "slot_step_minutes": "15",
        "cancellation_window_hours": "48",
        "cancellation_fee_percent": "50",
        "deposit_rule": "fixed",
        "deposit_value": "10.50",
        "no_show_grace_minutes": "15",
        "no_show_undo_minutes": "10",
    }
    assert client.get(url(business, "settings/")).status_code == 200
    assert client.post(url(business, "settings/"), data).status_code == 302
    business = Business.objects.get(pk=business.pk)
    assert (
        business.name,
        business.languages,
        business.deposit_value,
        business.cancellation_window_hours,
    ) == ("Maison Iris", ["fr", "en"], 1050, 48)
    refused = client.post(
        url(business, "settings/"),
        {**data, "name": "Changed", "deposit_rule": "percent", "deposit_value": "150"},
    )
    assert refused.context["form"].errors["deposit_value"]
    assert Business.objects.get(pk=business.pk).name == "Maison Iris"


# ---------------------------------------------------------------- who may do what


WRITE_PAGES = [
    "services/new/",
    "services/{service}/",
    "masters/new/",
    "masters/{master}/",
    "masters/{master}/time-off/",
    "resources/types/new/",
    "resources/new/",
    "locations/{location}/schedule/",
    "locations/{location}/hours/",
    "locations/{location}/holidays/?year=2026",
]


@pytest.fixture
def catalogue(office):
    business, location, _owner = office
    service = make_service(business)
    master = make_master(business, locations=[location], services=[service])
    return {"service": service.pk, "master": master.pk, "location": location.pk}


@pytest.mark.parametrize("page", WRITE_PAGES)
def test_a_receptionist_may_not_open_the_write_pages(client, office, catalogue, page):
    business, *_ = office
    client.force_login(member(business, Role.RECEPTIONIST))
    path = url(business, page.format(**catalogue))
    assert client.get(path).status_code == 403
    assert client.post(path, {}).status_code == 403


def test_a_receptionist_sees_the_lists_but_not_the_settings(client, office, catalogue):
    business, *_ = office
    client.force_login(member(business, Role.RECEPTIONIST))
    for page in ("services/", "masters/", "resources/"):
        response = client.get(url(business, page))
        assert response.status_code == 200
        assert "/services/new/" not in response.content.decode()
    assert client.get(url(business, "settings/")).status_code == 403
    assert (
        client.post(url(business, f"masters/{catalogue['master']}/time-off/day/"), {}).status_code
        == 403
    )


@pytest.mark.parametrize("page", WRITE_PAGES)
def test_a_manager_opens_every_page_in_arabic(client, office, catalogue, page):
    business, *_ = office
    client.force_login(member(business, Role.MANAGER))
    response = client.get(url(business, page.format(**catalogue)).replace("/en/", "/ar/"))
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


def test_another_business_objects_are_404_under_ones_own_slug(client, office, two_salons):
    business, *_ = office
    _a, b, _la, location_b = two_salons
    service_b = make_service(b)
    master_b = make_master(b, locations=[location_b])
    with scopes_disabled():
        time_off_b = TimeOff.objects.create(
            business=b,
            master=master_b,
            starts_at=datetime(2030, 1, 1, tzinfo=UTC),
            ends_at=datetime(2030, 1, 2, tzinfo=UTC),
        )
    mine = make_master(business, locations=[office[1]])
    for path in (
        f"services/{service_b.pk}/",
        f"masters/{master_b.pk}/",
        f"locations/{location_b.pk}/schedule/",
        f"locations/{location_b.pk}/hours/",
    ):
        assert client.get(url(business, path)).status_code == 404, path
    # Someone else's time off through one's own master is no way in either.
    assert (
        client.post(
            url(business, f"masters/{mine.pk}/time-off/{time_off_b.pk}/delete/")
        ).status_code
        == 404
    )
    with scopes_disabled():
        assert TimeOff.objects.filter(pk=time_off_b.pk).exists()
