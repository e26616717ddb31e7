"""The catalogue REST API: settings, categories, services, masters, resources,
schedules, time off, opening hours, closures and holidays."""

from datetime import UTC, date, datetime, time

import pytest
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.catalog import services as catalog_services
from solibook.catalog.models import (
    Business,
    DateOverride,
    LocationClosure,
    Master,
    MasterService,
    OpeningHours,
    Resource,
    ResourceType,
    Service,
    ServiceResourceType,
    ServiceStep,
    ServiceVariant,
    ShiftBreak,
    TimeOff,
    WeeklyShift,
)
from solibook.core.errors import ValidationFailed
from solibook.testing.clients import sign_in
from solibook.testing.factories import (
    BusinessFactory,
    LocationFactory,
    category,
    make_master,
    make_service,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(db):
    business = BusinessFactory(currency="EUR", country="FR")
    location = LocationFactory(business=business, country="FR", time_zone="Europe/Paris")
    return business, location


@pytest.fixture
def owner_api(api_client, shop):
    business, _location = shop
    sign_in(api_client, business, Role.OWNER)
    return api_client


def url(business, path: str = "") -> str:
    return f"/api/v1/businesses/{business.pk}/{path}"


def fields_of(response) -> dict:
    assert response.status_code == 400, (response.status_code, response.content)
    error = response.json()["error"]
    assert error["code"] == "invalid" or error["code"]
    assert error["message"]
    return error["fields"]


def count(model, **filters) -> int:
    with scopes_disabled():
        return model.objects.filter(**filters).count()


def resource_type(business, name="Colour station") -> ResourceType:
    with scopes_disabled():
        return ResourceType.objects.create(business=business, name=name)


# ---------------------------------------------------------------- categories and settings


def test_categories_are_public_in_the_requests_language(api_client, db):
    category("colouring")
    response = api_client.get("/api/v1/categories/", {"page_size": 200}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200, response.content
    rows = {row["slug"]: row for row in response.json()["results"]}
    colouring = rows["colouring"]
    assert colouring["name"] == "Coloration"
    assert (colouring["name_en"], colouring["name_ru"], colouring["name_ar"]) == (
        "Colouring",
        "Окрашивание",
        "صبغ الشعر",
    )
    if "hair" in rows:  # the data migration's rows (a flushed database has only ours)
        assert colouring["parent"] == "hair"
        assert rows["hair"]["parent"] is None
    assert api_client.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="ar").json()["results"]


def test_business_settings_change_only_what_is_sent(owner_api, shop):
    business, _location = shop
    response = owner_api.patch(
        url(business, "settings/"),
        {
            "lead_time_minutes": 120,
            "deposit_rule": "percent",
            "deposit_value": 30,
            "languages": ["fr", "en"],
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["deposit_value"] == 30
    renamed = owner_api.patch(url(business, "settings/"), {"name": "Maison Lumière"})
    assert renamed.json()["lead_time_minutes"] == 120
    business.refresh_from_db()
    assert (business.name, business.lead_time_minutes, business.languages) == (
        "Maison Lumière",
        120,
        ["fr", "en"],
    )
    assert owner_api.get(url(business, "settings/")).json()["name"] == "Maison Lumière"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deposit_value": 150}, "deposit_value"),  # a percentage over 100
        ({"slot_step_minutes": 2}, "slot_step_minutes"),
        ({"lead_time_minutes": -5}, "lead_time_minutes"),
        ({"languages": ["xx-nowhere"]}, "languages.0"),
        ({"deposit_rule": "always"}, "deposit_rule"),
    ],
)
def test_bad_business_settings_are_refused(owner_api, shop, change, field):
    business, _location = shop
    owner_api.patch(url(business, "settings/"), {"deposit_rule": "percent", "deposit_value": 10})
    response = owner_api.patch(url(business, "settings/"), {"name": "Changed", **change})
    assert field in fields_of(response)
    business.refresh_from_db()
    assert (business.name, business.deposit_value) != ("Changed", 150)
    assert business.name != "Changed"


def test_an_unknown_time_zone_is_refused_for_a_location(owner_api, shop):
    business, location = shop
    created = owner_api.post(
        url(business, "locations/"),
        {"name": "Annex", "address": "2 rue X", "city": "Paris", "time_zone": "Mars/Olympus"},
    )
    assert "time_zone" in fields_of(created)
    patched = owner_api.patch(
        url(business, f"locations/{location.pk}/"), {"time_zone": "Europe/Atlantis"}
    )
    assert "time_zone" in fields_of(patched)
    location.refresh_from_db()
    assert location.time_zone == "Europe/Paris"


# ---------------------------------------------------------------- services


def colouring_body(business, **extra) -> dict:
    colour = category("colouring")
    processing = [
        {"duration_minutes": 30, "master_busy": True, "label": "Apply colour"},
        {"duration_minutes": 35, "master_busy": False, "label": "Develop"},
        {"duration_minutes": 20, "master_busy": True, "label": "Rinse and dry"},
    ]
    return {
        "category_id": colour.pk,
        "name": "Full colour",
        "price_amount": 8000,
        "currency": "EUR",
        "steps": processing,
        "variants": [
            {"name": "Short hair", "price_amount": 7000, "steps": processing},
            {
                "name": "Long hair",
                "price_amount": 9500,
                "steps": [
                    *processing[:2],
                    {"duration_minutes": 40, "master_busy": True, "label": "Rinse and dry"},
                ],
            },
        ],
        **extra,
    }


def test_create_a_colouring_service_with_processing_time_and_two_variants(owner_api, shop):
    business, _location = shop
    station = resource_type(business)
    response = owner_api.post(
        url(business, "services/"), colouring_body(business, resource_type_ids=[station.pk])
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["price_amount"], body["currency"], body["category"]) == (8000, "EUR", "colouring")
    assert (body["duration_minutes"], body["master_busy_minutes"]) == (85, 50)
    assert [s["master_busy"] for s in body["steps"]] == [True, False, True]
    assert body["steps"][1] == {"duration_minutes": 35, "master_busy": False, "label": "Develop"}
    short, long = body["variants"]
    assert (
        short["name"],
        short["price_amount"],
        short["duration_minutes"],
        short["master_busy_minutes"],
    ) == ("Short hair", 7000, 85, 50)
    assert (
        long["name"],
        long["price_amount"],
        long["duration_minutes"],
        long["master_busy_minutes"],
    ) == ("Long hair", 9500, 105, 70)
    assert body["resource_type_ids"] == [station.pk]
    with scopes_disabled():
        service = Service.objects.get(pk=body["id"])
        assert service.steps.filter(variant__isnull=True).count() == 3
        assert ServiceStep.objects.filter(service=service, variant__isnull=False).count() == 6
    assert owner_api.get(url(business, f"services/{service.pk}/")).json() == body

    renamed = owner_api.patch(url(business, f"services/{service.pk}/"), {"name": "Colour & gloss"})
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["steps"] == body["steps"] and len(renamed.json()["variants"]) == 2
    shorter = owner_api.patch(
        url(business, f"services/{service.pk}/"),
        {"steps": [{"duration_minutes": 45}], "variants": [], "resource_type_ids": []},
    )
    assert (
        shorter.json()["duration_minutes"],
        shorter.json()["variants"],
        shorter.json()["resource_type_ids"],
    ) == (45, [], [])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"price_amount": -100}, "price_amount"),
        ({"currency": "USD"}, "currency"),
        ({"currency": "ZZZ"}, "currency"),
        ({"steps": []}, "steps"),
        ({"steps": [{"duration_minutes": "long"}]}, "steps.0.duration_minutes"),
        ({"steps": [{"duration_minutes": 0}]}, "steps.0.duration_minutes"),
        (
            {"steps": [{"duration_minutes": 20, "master_busy": False}, {"duration_minutes": 20}]},
            "steps",
        ),
        (
            {
                "variants": [
                    {"name": "Short", "price_amount": -1, "steps": [{"duration_minutes": 30}]}
                ]
            },
            "variants.0.price_amount",
        ),
        ({"variants": [{"name": "Short", "price_amount": 10, "steps": []}]}, "variants.0.steps"),
        ({"group_capacity": 0}, "group_capacity"),
        ({"buffer_after_minutes": 999}, "buffer_after_minutes"),
    ],
)
def test_bad_services_are_refused_naming_the_field_and_nothing_is_written(
    owner_api, shop, change, field
):
    business, _location = shop
    response = owner_api.post(url(business, "services/"), {**colouring_body(business), **change})
    assert field in fields_of(response), response.json()
    assert count(Service) == count(ServiceStep) == count(ServiceVariant) == 0


def test_a_service_cannot_use_another_business_s_category_or_resources(owner_api, shop):
    business, _location = shop
    other = BusinessFactory()
    foreign = resource_type(other, "Their room")
    response = owner_api.post(
        url(business, "services/"), colouring_body(business, resource_type_ids=[foreign.pk])
    )
    assert "resource_type_ids" in fields_of(response)
    unknown = owner_api.post(
        url(business, "services/"), colouring_body(business, category_id=10**9)
    )
    assert unknown.status_code == 404
    assert count(Service) == 0


def test_a_refused_service_change_keeps_the_service(owner_api, shop):
    business, _location = shop
    service = make_service(business, name="Cut", price=4500)
    response = owner_api.patch(
        url(business, f"services/{service.pk}/"), {"name": "Cheap cut", "price_amount": -1}
    )
    assert "price_amount" in fields_of(response)
    with scopes_disabled():
        service.refresh_from_db()
    assert (service.name, service.price_amount) == ("Cut", 4500)


# ---------------------------------------------------------------- masters


def test_a_master_with_own_price_and_pace(owner_api, shop):
    business, location = shop
    cut = make_service(business, name="Cut", price=4500)
    stylist = member(business, Role.MASTER)
    response = owner_api.post(
        url(business, "masters/"),
        {
            "display_name": "Inès",
            "bio": "Senior stylist",
            "color": "#335577",
            "location_ids": [location.pk],
            "user_id": stylist.pk,
            "services": [
                {"service_id": cut.pk, "price_amount": 6000, "duration_delta_minutes": -10}
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["services"] == [
        {"service_id": cut.pk, "price_amount": 6000, "duration_delta_minutes": -10}
    ]
    assert (body["location_ids"], body["user_id"], body["color"]) == (
        [location.pk],
        stylist.pk,
        "#335577",
    )
    with scopes_disabled():
        link = MasterService.objects.get(master_id=body["id"])
    assert (link.price_amount, link.duration_delta_minutes) == (6000, -10)

    changed = owner_api.patch(
        url(business, f"masters/{body['id']}/"),
        {"services": [{"service_id": cut.pk}], "user_id": None},
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["services"] == [
        {"service_id": cut.pk, "price_amount": None, "duration_delta_minutes": 0}
    ]
    assert changed.json()["user_id"] is None
    assert changed.json()["display_name"] == "Inès"
    assert owner_api.get(url(business, f"masters/{body['id']}/")).json() == changed.json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"location_ids": []}, "location_ids"),
        ({"color": "red"}, "color"),
        ({"display_name": ""}, "display_name"),
        ({"services": [{"service_id": "SERVICE", "price_amount": -5}]}, "services.0.price_amount"),
        (
            {"services": [{"service_id": "SERVICE", "duration_delta_minutes": 500}]},
            "services.0.duration_delta_minutes",
        ),
        ({"services": [{"service_id": "SERVICE"}, {"service_id": "SERVICE"}]}, "services"),
        ({"services": [{"service_id": "FOREIGN_SERVICE"}]}, "services.0.service_id"),
        ({"location_ids": ["FOREIGN_LOCATION"]}, "location_ids"),
        ({"user_id": "OUTSIDER"}, "user_id"),
    ],
)
def test_bad_masters_are_refused_naming_the_field(owner_api, shop, change, field):
    business, location = shop
    other = BusinessFactory()
    placeholders = {
        "SERVICE": make_service(business).pk,
        "FOREIGN_SERVICE": make_service(other).pk,
        "FOREIGN_LOCATION": LocationFactory(business=other).pk,
        "OUTSIDER": member(other, Role.MASTER).pk,
    }

    def fill(value):
        if isinstance(value, str):
            return placeholders.get(value, value)
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return value

    body = {"display_name": "Inès", "location_ids": [location.pk], **fill(change)}
    assert field in fields_of(owner_api.post(url(business, "masters/"), body))
    assert count(Master) == 0


# ---------------------------------------------------------------- resources


def test_resource_types_and_resources(owner_api, shop):
    business, location = shop
    created = owner_api.post(url(business, "resource-types/"), {"name": "Massage room"})
    assert created.status_code == 201, created.content
    type_id = created.json()["id"]
    assert "name" in fields_of(
        owner_api.post(url(business, "resource-types/"), {"name": "massage ROOM"})
    )
    assert (
        owner_api.patch(
            url(business, f"resource-types/{type_id}/"), {"name": "Treatment room"}
        ).json()["name"]
        == "Treatment room"
    )
    assert owner_api.get(url(business, f"resource-types/{type_id}/")).json() == {
        "id": type_id,
        "name": "Treatment room",
    }

    resource = owner_api.post(
        url(business, "resources/"),
        {"location_id": location.pk, "resource_type_id": type_id, "name": "Room 1", "capacity": 2},
    )
    assert resource.status_code == 201, resource.content
    assert resource.json()["capacity"] == 2
    resource_id = resource.json()["id"]
    assert "capacity" in fields_of(
        owner_api.post(
            url(business, "resources/"),
            {
                "location_id": location.pk,
                "resource_type_id": type_id,
                "name": "Room 2",
                "capacity": 0,
            },
        )
    )
    assert "capacity" in fields_of(
        owner_api.patch(
            url(business, f"resources/{resource_id}/"), {"capacity": 0, "name": "Renamed"}
        )
    )
    assert count(Resource) == 1
    with scopes_disabled():
        assert Resource.objects.get().name == "Room 1"

    patched = owner_api.patch(url(business, f"resources/{resource_id}/"), {"is_active": False})
    assert (patched.json()["is_active"], patched.json()["capacity"], patched.json()["name"]) == (
        False,
        2,
        "Room 1",
    )
    listed = owner_api.get(url(business, "resources/"), {"location_id": location.pk}).json()
    assert [r["id"] for r in listed["results"]] == [resource_id]
    assert "location_id" in fields_of(
        owner_api.get(url(business, "resources/"), {"location_id": "x"})
    )


def test_a_resource_at_another_business_s_location_is_404(owner_api, shop):
    business, _location = shop
    other_location = LocationFactory(business=BusinessFactory())
    room = resource_type(business)
    response = owner_api.post(
        url(business, "resources/"),
        {"location_id": other_location.pk, "resource_type_id": room.pk, "name": "Theirs"},
    )
    assert response.status_code == 404
    assert count(Resource) == 0


# ---------------------------------------------------------------- weekly schedule


SPLIT_WEEK = [
    {
        "weekday": 0,
        "start": "09:00",
        "end": "13:00",
        "breaks": [{"start": "10:30", "end": "10:45"}],
    },
    {"weekday": 0, "start": "15:00", "end": "19:00"},
    {
        "weekday": 2,
        "start": "10:00",
        "end": "18:00",
        "breaks": [{"start": "12:00", "end": "13:00"}],
    },
]


def test_a_weekly_schedule_with_split_shifts_and_a_break(owner_api, shop):
    business, location = shop
    master = make_master(business, locations=[location])
    path = url(business, f"masters/{master.pk}/weekly-schedule/?location_id={location.pk}")
    response = owner_api.put(path, {"shifts": SPLIT_WEEK})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["master_id"], body["location_id"]) == (master.pk, location.pk)
    assert [(s["weekday"], s["start"], s["end"]) for s in body["shifts"]] == [
        (0, "09:00", "13:00"),
        (0, "15:00", "19:00"),
        (2, "10:00", "18:00"),
    ]
    assert body["shifts"][0]["breaks"] == [{"start": "10:30", "end": "10:45"}]
    assert owner_api.get(path).json() == body
    assert (
        owner_api.get(url(business, f"masters/{master.pk}/weekly-schedule/")).json()["shifts"]
        == body["shifts"]
    )
    with scopes_disabled():
        assert WeeklyShift.objects.filter(master=master).count() == 3
        assert ShiftBreak.objects.filter(shift__master=master).count() == 2


@pytest.mark.parametrize(
    ("shifts", "field"),
    [
        (
            [
                {"weekday": 0, "start": "09:00", "end": "13:00"},
                {"weekday": 0, "start": "12:00", "end": "15:00"},
            ],
            "shifts",
        ),
        ([{"weekday": 1, "start": "18:00", "end": "09:00"}], "shifts.0.end"),
        ([{"weekday": 1, "start": "25:99", "end": "18:00"}], "shifts.0.start"),
        ([{"weekday": 1, "start": "9h", "end": "18:00"}], "shifts.0.start"),
        ([{"weekday": 7, "start": "09:00", "end": "18:00"}], "shifts.0.weekday"),
        (
            [
                {
                    "weekday": 1,
                    "start": "09:00",
                    "end": "18:00",
                    "breaks": [{"start": "08:00", "end": "09:30"}],
                }
            ],
            "shifts.0.breaks.0",
        ),
        (
            [
                {
                    "weekday": 1,
                    "start": "09:00",
                    "end": "18:00",
                    "breaks": [{"start": "13:00", "end": "12:00"}],
                }
            ],
            "shifts.0.breaks.0",
        ),
        (
            [
                {
                    "weekday": 1,
                    "start": "09:00",
                    "end": "18:00",
                    "breaks": [
                        {"start": "12:00", "end": "13:00"},
                        {"start": "12:30", "end": "13:30"},
                    ],
                }
            ],
            "shifts.0.breaks",
        ),
    ],
)
def test_a_bad_weekly_schedule_is_refused_and_the_old_one_stays(owner_api, shop, shifts, field):
    business, location = shop
    master = make_master(business, locations=[location])
    path = url(business, f"masters/{master.pk}/weekly-schedule/?location_id={location.pk}")
    assert owner_api.put(path, {"shifts": SPLIT_WEEK}).status_code == 200
    assert field in fields_of(owner_api.put(path, {"shifts": shifts}))
    assert len(owner_api.get(path).json()["shifts"]) == 3


def test_the_weekly_schedule_needs_a_location_the_master_works_at(owner_api, shop):
    business, location = shop
    master = make_master(business, locations=[location])
    elsewhere = LocationFactory(business=business)
    put = url(business, f"masters/{master.pk}/weekly-schedule/")
    assert "location_id" in fields_of(owner_api.put(put, {"shifts": SPLIT_WEEK}))
    assert "location_id" in fields_of(
        owner_api.put(f"{put}?location_id={elsewhere.pk}", {"shifts": SPLIT_WEEK})
    )
    foreign = LocationFactory(business=BusinessFactory())
    assert (
        owner_api.put(f"{put}?location_id={foreign.pk}", {"shifts": SPLIT_WEEK}).status_code == 404
    )
    assert owner_api.get(f"{put}?location_id={foreign.pk}").status_code == 404
    assert count(WeeklyShift) == 0


def test_shifts_at_two_locations_may_not_overlap(owner_api, shop):
    business, location = shop
    second = LocationFactory(business=business)
    master = make_master(business, locations=[location, second])
    base = url(business, f"masters/{master.pk}/weekly-schedule/")
    assert (
        owner_api.put(f"{base}?location_id={location.pk}", {"shifts": SPLIT_WEEK}).status_code
        == 200
    )
    clash = owner_api.put(
        f"{base}?location_id={second.pk}",
        {"shifts": [{"weekday": 0, "start": "12:00", "end": "14:00"}]},
    )
    assert "shifts" in fields_of(clash)
    fine = owner_api.put(
        f"{base}?location_id={second.pk}",
        {"shifts": [{"weekday": 0, "start": "13:00", "end": "15:00"}]},
    )
    assert fine.status_code == 200, fine.content


# ---------------------------------------------------------------- date overrides and time off


def test_date_overrides_set_a_different_day_or_a_day_off(owner_api, shop):
    business, location = shop
    master = make_master(business, locations=[location])
    path = url(business, f"masters/{master.pk}/date-overrides/")
    short = owner_api.post(
        path,
        {
            "location_id": location.pk,
            "date": "2030-06-03",
            "periods": [{"start": "14:00", "end": "18:00"}, {"start": "09:00", "end": "12:00"}],
        },
    )
    assert short.status_code == 201, short.content
    assert short.json() == {
        "location_id": location.pk,
        "date": "2030-06-03",
        "day_off": False,
        "periods": [{"start": "09:00", "end": "12:00"}, {"start": "14:00", "end": "18:00"}],
    }
    off = owner_api.post(path, {"location_id": location.pk, "date": "2030-06-10", "periods": []})
    assert off.json() == {
        "location_id": location.pk,
        "date": "2030-06-10",
        "day_off": True,
        "periods": [],
    }

    listed = owner_api.get(path).json()
    assert [(d["date"], d["day_off"]) for d in listed["results"]] == [
        ("2030-06-03", False),
        ("2030-06-10", True),
    ]
    later = owner_api.get(path, {"from": "2030-06-04", "to": "2030-06-30"}).json()
    assert [d["date"] for d in later["results"]] == ["2030-06-10"]
    assert "from" in fields_of(owner_api.get(path, {"from": "June"}))

    # Setting a date again replaces it.
    owner_api.post(
        path,
        {
            "location_id": location.pk,
            "date": "2030-06-10",
            "periods": [{"start": "10:00", "end": "16:00"}],
        },
    )
    with scopes_disabled():
        assert list(
            DateOverride.objects.filter(date=date(2030, 6, 10)).values_list("start", flat=True)
        ) == [time(10)]


@pytest.mark.parametrize(
    ("periods", "field"),
    [
        ([{"start": "18:00", "end": "09:00"}], "periods.0.end"),
        ([{"start": "25:99", "end": "18:00"}], "periods.0.start"),
        ([{"start": "09:00", "end": "13:00"}, {"start": "12:00", "end": "15:00"}], "periods"),
    ],
)
def test_bad_date_overrides_are_refused(owner_api, shop, periods, field):
    business, location = shop
    master = make_master(business, locations=[location])
    response = owner_api.post(
        url(business, f"masters/{master.pk}/date-overrides/"),
        {"location_id": location.pk, "date": "2030-06-03", "periods": periods},
    )
    assert field in fields_of(response)
    assert count(DateOverride) == 0


def test_time_off_given_with_an_offset_is_stored_in_utc(owner_api, shop):
    business, location = shop
    master = make_master(business, locations=[location])
    path = url(business, f"masters/{master.pk}/time-off/")
    response = owner_api.post(
        path,
        {
            "starts_at": "2030-07-01T09:00:00+02:00",
            "ends_at": "2030-07-05T18:30:00+02:00",
            "reason": "training",
            "note": "Balayage course",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["starts_at"], body["ends_at"], body["reason"]) == (
        "2030-07-01T07:00:00Z",
        "2030-07-05T16:30:00Z",
        "training",
    )
    with scopes_disabled():
        stored = TimeOff.objects.get(pk=body["id"])
    assert stored.starts_at == datetime(2030, 7, 1, 7, 0, tzinfo=UTC)
    assert stored.starts_at.utcoffset().total_seconds() == 0

    assert [t["id"] for t in owner_api.get(path).json()["results"]] == [body["id"]]
    assert owner_api.get(path, {"from": "2030-07-06T00:00:00Z"}).json()["results"] == []
    assert owner_api.get(url(business, f"time-off/{body['id']}/")).json() == body

    assert owner_api.delete(url(business, f"time-off/{body['id']}/")).status_code == 204
    assert count(TimeOff) == 0
    assert owner_api.delete(url(business, f"time-off/{body['id']}/")).status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"starts_at": "2030-07-01T09:00:00"}, "starts_at"),  # no offset
        ({"ends_at": "2030-06-30T09:00:00+02:00"}, "ends_at"),  # before the start
        ({"starts_at": "2030-07-01T25:99:00+02:00"}, "starts_at"),
        ({"reason": "party"}, "reason"),
    ],
)
def test_bad_time_off_is_refused(owner_api, shop, change, field):
    business, location = shop
    master = make_master(business, locations=[location])
    body = {
        "starts_at": "2030-07-01T09:00:00+02:00",
        "ends_at": "2030-07-05T18:00:00+02:00",
        **change,
    }
    assert field in fields_of(owner_api.post(url(business, f"masters/{master.pk}/time-off/"), body))
    assert count(TimeOff) == 0


# ---------------------------------------------------------------- opening hours, closures, holidays


def test_opening_hours_with_a_lunch_closure(owner_api, shop):
    business, location = shop
    path = url(business, f"locations/{location.pk}/opening-hours/")
    week = [
        {"weekday": 1, "opens": "09:00", "closes": "12:30"},
        {"weekday": 1, "opens": "14:00", "closes": "19:00"},
        {"weekday": 5, "opens": "10:00", "closes": "17:00"},
    ]
    response = owner_api.put(path, {"periods": week})
    assert response.status_code == 200, response.content
    assert response.json() == {"location_id": location.pk, "periods": week}
    assert owner_api.get(path).json()["periods"] == week

    overlap = owner_api.put(
        path,
        {
            "periods": [
                {"weekday": 1, "opens": "09:00", "closes": "13:00"},
                {"weekday": 1, "opens": "12:00", "closes": "18:00"},
            ]
        },
    )
    assert "periods" in fields_of(overlap)
    backwards = owner_api.put(
        path, {"periods": [{"weekday": 1, "opens": "18:00", "closes": "09:00"}]}
    )
    assert "periods.0.closes" in fields_of(backwards)
    malformed = owner_api.put(
        path, {"periods": [{"weekday": 1, "opens": "25:99", "closes": "09:00"}]}
    )
    assert "periods.0.opens" in fields_of(malformed)
    assert count(OpeningHours) == 3


def test_closures_and_public_holidays(owner_api, shop):
    business, location = shop
    path = url(business, f"locations/{location.pk}/closures/")
    created = owner_api.post(path, {"date": "2026-08-10", "name": "Summer break"})
    assert created.status_code == 201, created.content
    assert created.json()["source"] == "manual"
    assert "date" in fields_of(owner_api.post(path, {"date": "2026-08-10", "name": "Again"}))
    assert "date" in fields_of(owner_api.post(path, {"date": "2026-02-30"}))

    holidays = url(business, f"locations/{location.pk}/holidays/")
    proposal = owner_api.get(holidays, {"year": 2026})
    assert proposal.status_code == 200, proposal.content
    days = {h["date"]: h for h in proposal.json()["holidays"]}
    assert days["2026-07-14"]["closed"] is False
    assert "year" in fields_of(owner_api.get(holidays, {"year": 1850}))
    imported = owner_api.post(holidays, {"year": 2026})
    assert imported.status_code == 201, imported.content
    assert len(imported.json()["added"]) == len(days)
    assert all(h["closed"] for h in owner_api.get(holidays, {"year": 2026}).json()["holidays"])
    assert owner_api.post(holidays, {"year": 2026}).json()["added"] == []  # nothing twice

    listed = owner_api.get(path, {"year": 2026, "page_size": 200}).json()
    assert listed["count"] == len(days) + 1
    closure_id = created.json()["id"]
    assert owner_api.get(url(business, f"closures/{closure_id}/")).json()["name"] == "Summer break"
    assert owner_api.delete(url(business, f"closures/{closure_id}/")).status_code == 204
    assert count(LocationClosure, pk=closure_id) == 0


# ---------------------------------------------------------------- roles and tenancy


READS = [
    "services/",
    "masters/",
    "resource-types/",
    "resources/",
    "settings/",
    "masters/{master}/weekly-schedule/",
    "masters/{master}/date-overrides/",
    "masters/{master}/time-off/",
    "locations/{location}/opening-hours/",
    "locations/{location}/closures/",
    "locations/{location}/holidays/?year=2026",
]
WRITES = [
    ("post", "services/"),
    ("patch", "services/{service}/"),
    ("post", "masters/"),
    ("patch", "masters/{master}/"),
    ("post", "resource-types/"),
    ("post", "resources/"),
    ("put", "masters/{master}/weekly-schedule/?location_id={location}"),
    ("post", "masters/{master}/date-overrides/"),
    ("post", "masters/{master}/time-off/"),
    ("delete", "time-off/999999/"),
    ("patch", "settings/"),
    ("put", "locations/{location}/opening-hours/"),
    ("post", "locations/{location}/closures/"),
    ("delete", "closures/999999/"),
    ("post", "locations/{location}/holidays/"),
]


@pytest.mark.parametrize(
    ("role", "may_write"),
    [
        (Role.OWNER, True),
        (Role.MANAGER, True),
        (Role.RECEPTIONIST, False),
        (Role.MASTER, False),
        (Role.ACCOUNTANT, False),
    ],
)
def test_everyone_in_the_back_office_reads_only_managers_write(api_client, shop, role, may_write):
    business, location = shop
    service = make_service(business)
    master = make_master(business, locations=[location], services=[service])
    ids = {"service": service.pk, "master": master.pk, "location": location.pk}
    api_client.force_authenticate(member(business, role))
    for path in READS:
        response = api_client.get(url(business, path.format(**ids)))
        assert response.status_code == 200, (path, response.content)
    for method, path in WRITES:
        response = getattr(api_client, method)(url(business, path.format(**ids)), {})
        if may_write:
            assert response.status_code != 403, (method, path)
        else:
            assert response.status_code == 403, (method, path, response.status_code)
            assert response.json()["error"]["code"] == "permission_denied"
    with scopes_disabled():
        assert Business.objects.get(pk=business.pk).name == business.name


def test_another_business_s_objects_are_404_in_one_s_own_urls(owner_api, shop):
    business, location = shop
    other = BusinessFactory()
    their_location = LocationFactory(business=other)
    their_service = make_service(other, name="Theirs")
    their_master = make_master(other, locations=[their_location])
    their_type = resource_type(other, "Their room")
    with scopes_disabled():
        their_resource = Resource.objects.create(
            business=other, location=their_location, resource_type=their_type, name="R"
        )
        their_time_off = TimeOff.objects.create(
            business=other,
            master=their_master,
            starts_at=datetime(2030, 1, 1, tzinfo=UTC),
            ends_at=datetime(2030, 1, 2, tzinfo=UTC),
        )
        their_closure = LocationClosure.objects.create(
            business=other, location=their_location, date=date(2030, 1, 1), name="Theirs"
        )
    attempts = [
        ("get", f"services/{their_service.pk}/", None),
        ("patch", f"services/{their_service.pk}/", {"name": "Hijack"}),
        ("get", f"masters/{their_master.pk}/", None),
        ("patch", f"masters/{their_master.pk}/", {"display_name": "Hijack"}),
        ("get", f"resource-types/{their_type.pk}/", None),
        ("patch", f"resource-types/{their_type.pk}/", {"name": "Hijack"}),
        ("get", f"resources/{their_resource.pk}/", None),
        ("patch", f"resources/{their_resource.pk}/", {"name": "Hijack"}),
        ("get", f"masters/{their_master.pk}/weekly-schedule/", None),
        (
            "put",
            f"masters/{their_master.pk}/weekly-schedule/?location_id={their_location.pk}",
            {"shifts": []},
        ),
        (
            "post",
            f"masters/{their_master.pk}/time-off/",
            {"starts_at": "2030-07-01T09:00:00Z", "ends_at": "2030-07-02T09:00:00Z"},
        ),
        ("get", f"time-off/{their_time_off.pk}/", None),
        ("delete", f"time-off/{their_time_off.pk}/", None),
        ("get", f"locations/{their_location.pk}/opening-hours/", None),
        ("put", f"locations/{their_location.pk}/opening-hours/", {"periods": []}),
        ("post", f"locations/{their_location.pk}/closures/", {"date": "2030-02-02"}),
        ("get", f"closures/{their_closure.pk}/", None),
        ("delete", f"closures/{their_closure.pk}/", None),
        ("post", f"locations/{their_location.pk}/holidays/", {"year": 2030}),
        ("get", f"services/{2**70}/", None),
    ]
    for method, path, data in attempts:
        response = getattr(owner_api, method)(url(business, path), data)
        assert response.status_code == 404, (method, path, response.status_code)
    with scopes_disabled():
        assert Service.objects.get(pk=their_service.pk).name == "Theirs"
        assert (
            TimeOff.objects.filter(pk=their_time_off.pk).exists()
            and LocationClosure.objects.filter(pk=their_closure.pk).exists()
        )
        assert (
            not TimeOff.objects.filter(master=their_master).exclude(pk=their_time_off.pk).exists()
        )


# ---------------------------------------------------------------- lists: pagination and query counts


def _rich_catalogue(business, location, n: int = 10) -> None:
    second = LocationFactory(business=business)
    room = resource_type(business)
    services = []
    for i in range(n):
        service = make_service(
            business, name=f"Service {i}", steps=[(30, True), (20, False), (15, True)]
        )
        with scopes_disabled():
            ServiceResourceType.objects.create(
                business=business, service=service, resource_type=room
            )
            for v in range(2):
                variant = ServiceVariant.objects.create(
                    business=business,
                    service=service,
                    name=f"V{v}",
                    price_amount=1000 + v,
                    position=v,
                )
                ServiceStep.objects.create(
                    business=business, service=service, variant=variant, duration_minutes=30
                )
        services.append(service)
    for i in range(n):
        make_master(
            business, locations=[location, second], services=services[:3], name=f"Master {i}"
        )


def test_the_service_and_master_lists_do_not_grow_queries_with_rows(
    owner_api, shop, django_assert_max_num_queries
):
    business, location = shop
    _rich_catalogue(business, location, n=10)
    with django_assert_max_num_queries(8):
        services = owner_api.get(url(business, "services/"))
    assert services.status_code == 200
    assert services.json()["count"] == 10
    first = services.json()["results"][0]
    assert (
        first["duration_minutes"],
        first["master_busy_minutes"],
        len(first["variants"]),
        len(first["resource_type_ids"]),
    ) == (65, 45, 2, 1)
    with django_assert_max_num_queries(6):
        masters = owner_api.get(url(business, "masters/"))
    assert masters.json()["count"] == 10
    assert len(masters.json()["results"][0]["location_ids"]) == 2
    assert len(masters.json()["results"][0]["services"]) == 3
    page = owner_api.get(url(business, "services/"), {"page_size": 4, "page": 3}).json()
    assert (page["count"], len(page["results"]), page["next"]) == (10, 2, None)


# ---------------------------------------------------------------- schema and service helpers


def test_the_schema_lists_the_catalogue(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    for path in (
        "/api/v1/categories/",
        "/api/v1/businesses/{business_id}/settings/",
        "/api/v1/businesses/{business_id}/services/{service_id}/",
        "/api/v1/businesses/{business_id}/masters/{master_id}/",
        "/api/v1/businesses/{business_id}/resource-types/{resource_type_id}/",
        "/api/v1/businesses/{business_id}/resources/{resource_id}/",
        "/api/v1/businesses/{business_id}/masters/{master_id}/weekly-schedule/",
        "/api/v1/businesses/{business_id}/masters/{master_id}/date-overrides/",
        "/api/v1/businesses/{business_id}/masters/{master_id}/time-off/",
        "/api/v1/businesses/{business_id}/time-off/{time_off_id}/",
        "/api/v1/businesses/{business_id}/locations/{location_id}/opening-hours/",
        "/api/v1/businesses/{business_id}/locations/{location_id}/closures/",
        "/api/v1/businesses/{business_id}/closures/{closure_id}/",
        "/api/v1/businesses/{business_id}/locations/{location_id}/holidays/",
    ):
        assert f"{path}:".encode() in schema.content, path
    assert b"PaginatedServiceOutList" in schema.content


def test_team_member_user_accepts_only_members_of_the_business(shop):
    business, _location = shop
    stylist = member(business, Role.MASTER)
    outsider = member(BusinessFactory(), Role.OWNER)
    with scopes_disabled():
        assert catalog_services.team_member_user(business=business, user_id=stylist.pk) == stylist
        with pytest.raises(ValidationFailed) as refused:
            catalog_services.team_member_user(business=business, user_id=outsider.pk)
    assert list(refused.value.fields) == ["user_id"]


def test_end_before_start_is_named_by_the_schedule_services(shop):
    """The services say which field is wrong instead of "constraint violated"."""
    business, location = shop
    actor = member(business, Role.OWNER)
    master = make_master(business, locations=[location])
    with scopes_disabled():
        with pytest.raises(ValidationFailed) as shift:
            catalog_services.weekly_schedule_set(
                actor=actor,
                business=business,
                master_id=master.pk,
                location_id=location.pk,
                shifts=[{"weekday": 0, "start": time(12), "end": time(9)}],
            )
        with pytest.raises(ValidationFailed) as hours:
            catalog_services.opening_hours_set(
                actor=actor,
                business=business,
                location_id=location.pk,
                periods=[{"weekday": 0, "opens": time(12), "closes": time(12)}],
            )
        with pytest.raises(ValidationFailed) as override:
            catalog_services.date_override_set(
                actor=actor,
                business=business,
                master_id=master.pk,
                location_id=location.pk,
                day=date(2030, 6, 3),
                periods=[{"start": time(12), "end": None}],
            )
    assert list(shift.value.fields) == ["shifts.0.end"]
    assert list(hours.value.fields) == ["periods.0.closes"]
    assert list(override.value.fields) == ["periods.0.end"]
