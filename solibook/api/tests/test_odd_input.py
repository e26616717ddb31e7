"""Odd input from anyone: JSON nested 50,000 levels deep, bodies too large,
dates at the ends of the calendar. Each is a 400 with a clear message (in the
API's one error format), never a 500 (issue #17, point 5; docs/security.md)."""

import json

import pytest
from django.test import override_settings
from django.utils import timezone
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from solibook.accounts.roles import Role
from solibook.api.parsers import json_depth_within
from solibook.booking.models import Appointment, Source
from solibook.booking.selectors import ItemSpec
from solibook.booking.services import appointment_create
from solibook.core.time import engine_date_ok, engine_date_range
from solibook.testing.factories import UserFactory, member
from solibook.testing.salon import paris

DEEP = 50_000
DEEP_BODY = "[" * DEEP + "]" * DEEP
DEEP_OBJECT = '{"a":' * DEEP + "1" + "}" * DEEP
EXTREME_DAYS = ["0001-01-01", "9999-12-31"]
EXTREME_MOMENTS = [
    "0001-01-01T00:00:00+00:00",
    "0001-01-01T00:30:00+05:00",  # before year 1 in UTC
    "9999-12-31T23:59:00+00:00",
    "9999-12-31T23:30:00-05:00",  # after year 9999 in UTC
]


def assert_api_400(response, code=None):
    assert response.status_code == 400, (response.status_code, response.content[:300])
    error = response.json()["error"]
    assert error["message"]
    if code:
        assert error["code"] == code, error
    return error


# --- the depth scan ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "ok"),
    [
        ("[]", 1, True),
        ("[[]]", 1, False),
        ('{"a": [1, {"b": 2}]}', 3, True),
        ('{"a": [1, {"b": 2}]}', 2, False),
        ('["[[[[[[", "{{{{{{{"]', 1, True),  # brackets inside strings do not count
        ('["\\"[[[[", "]"]', 1, True),  # nor after an escaped quote
        ('"' + "[" * 1000 + '"', 0, True),
        (DEEP_BODY, 64, False),
        ("[" * 64 + "]" * 64, 64, True),
    ],
)
def test_depth_scan(text, limit, ok):
    assert json_depth_within(text, limit) is ok


# --- deep and large JSON bodies -----------------------------------------------------

ANONYMOUS_POSTS = [
    "/api/v1/auth/register/",
    "/api/v1/auth/token/",
    "/api/v1/auth/token/refresh/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ANONYMOUS_POSTS)
@pytest.mark.parametrize("body", [DEEP_BODY, DEEP_OBJECT], ids=["array", "object"])
def test_deeply_nested_json_is_a_400_not_a_500(api_client, path, body):
    response = api_client.post(path, body, content_type="application/json")
    error = assert_api_400(response, "too_deep")
    assert "64" in error["message"]


@pytest.mark.django_db
def test_signed_in_endpoints_refuse_deep_json_too(salon):
    client = APIClient()
    client.force_authenticate(member(salon.business, Role.OWNER))
    business = salon.business.pk
    for method, path in (
        ("post", f"/api/v1/businesses/{business}/appointments/"),
        ("patch", f"/api/v1/businesses/{business}/branding/"),  # its own parser list
        ("post", "/api/v1/appointments/"),
    ):
        response = getattr(client, method)(path, DEEP_BODY, content_type="application/json")
        if response.status_code == 404:
            continue  # a route renamed by another change; the others still count
        assert_api_400(response, "too_deep")


@pytest.mark.django_db
def test_a_sane_depth_still_parses(api_client):
    nested = {"email": "deep@example.test", "password": "x", "full_name": {"a": [[1]]}}
    response = api_client.post("/api/v1/auth/register/", nested, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] != "too_deep"


@pytest.mark.django_db
@override_settings(API_MAX_BODY_BYTES=1000)
def test_a_body_over_the_size_limit_is_a_400(api_client):
    body = json.dumps({"email": "big@example.test", "password": "x" * 2000})
    response = api_client.post("/api/v1/auth/register/", body, content_type="application/json")
    error = assert_api_400(response, "too_large")
    assert "1000" in error["message"]


@pytest.mark.django_db
def test_the_default_size_limit_is_one_mebibyte(api_client, settings):
    assert settings.API_MAX_BODY_BYTES == 1024 * 1024
    body = json.dumps({"email": "big@example.test", "password": "x" * (1024 * 1024)})
    response = api_client.post("/api/v1/auth/register/", body, content_type="application/json")
    assert_api_400(response, "too_large")


@pytest.mark.django_db
def test_broken_json_and_charsets_are_a_400(api_client):
    response = api_client.post("/api/v1/auth/register/", '{"a": ', content_type="application/json")
    assert "line 1" in assert_api_400(response, "parse_error")["message"]
    response = api_client.post(
        "/api/v1/auth/register/", b'{"a": "\xff"}', content_type="application/json"
    )
    assert_api_400(response, "parse_error")
    response = api_client.post("/api/v1/auth/register/", "[NaN]", content_type="application/json")
    assert_api_400(response, "parse_error")


@pytest.mark.django_db
def test_the_message_is_translated(api_client):
    response = api_client.post(
        "/api/v1/auth/register/",
        DEEP_BODY,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert "imbriqué" in response.json()["error"]["message"]


# --- page form posts: Django's own limits ------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/accounts/login/", "/en/accounts/signup/"])
def test_page_posts_too_large_or_with_too_many_fields_are_a_400(client, path, settings):
    huge = "a=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(path, huge, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    many = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.post(path, many, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/accounts/login/", "/en/accounts/signup/"])
def test_page_posts_with_deep_bodies_are_never_a_500(client, path):
    for body, kind in (
        (DEEP_BODY, "application/json"),
        ("email=" + "[" * DEEP + "&password=" + "{" * DEEP, "application/x-www-form-urlencoded"),
        ("a" + "[b]" * DEEP + "=1", "application/x-www-form-urlencoded"),
    ):
        response = client.post(path, body, content_type=kind)
        assert response.status_code < 500, (kind, response.status_code)


# --- dates at the ends of the calendar ----------------------------------------------


def test_the_engine_bound_is_five_years_either_side():
    first, last = engine_date_range()
    today = timezone.now().date()
    assert (today - first).days == (last - today).days == 5 * 366
    assert engine_date_ok(today) and not engine_date_ok(first.replace(year=first.year - 1))


@pytest.fixture
def visit(salon):
    with scopes_disabled():
        appointment = appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(service_id=salon.cut.pk, master_id=salon.lea.pk)],
            start=paris(10),
            source=Source.BACK_OFFICE,
        )
        assert Appointment.objects.filter(pk=appointment.pk).exists()
    return appointment


def _get_routes(salon, day):
    loc, cut, biz = salon.location.pk, salon.cut.pk, salon.business.pk
    return [
        ("anon", f"/api/v1/locations/{loc}/availability/?service={cut}&date={day}"),
        ("anon", f"/api/v1/marketplace/search/?date={day}"),
        ("anon", f"/api/v1/marketplace/compare/?salon=1&salon=2&date={day}"),
        (
            "owner",
            f"/api/v1/businesses/{biz}/locations/{loc}/availability/?service={cut}&date={day}",
        ),
        ("owner", f"/api/v1/businesses/{biz}/calendar/?location_id={loc}&start={day}&end={day}"),
        (
            "owner",
            f"/api/v1/businesses/{biz}/calendar/?location_id={loc}&start=2030-06-03&end={day}",
        ),
        ("owner", f"/api/v1/businesses/{biz}/appointments/?from={day}T00:00:00Z"),
        ("owner", f"/api/v1/businesses/{biz}/appointments/?to={day}T00:00:00Z"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_extreme_dates_in_api_queries_are_a_400(salon, owner_api, api_client, day):
    client_api = APIClient()
    client_api.force_authenticate(UserFactory())
    clients = {"anon": api_client, "owner": owner_api, "client": client_api}
    for who, path in _get_routes(salon, day):
        response = clients[who].get(path)
        error = assert_api_400(response)
        assert "Choose a date between" in json.dumps(error), (path, error)


def _post_routes(salon, visit, moment):
    loc, cut, biz = salon.location.pk, salon.cut.pk, salon.business.pk
    items = [{"service_id": cut}]
    day = moment[:10]
    return [
        ("client", "/api/v1/appointments/", {"location_id": loc, "items": items, "start": moment}),
        (
            "owner",
            f"/api/v1/businesses/{biz}/appointments/",
            {"location_id": loc, "items": items, "start": moment},
        ),
        (
            "owner",
            f"/api/v1/businesses/{biz}/appointments/series/",
            {
                "location_id": loc,
                "items": items,
                "start": moment,
                "interval_weeks": 1,
                "occurrences": 2,
            },
        ),
        (
            "owner",
            f"/api/v1/businesses/{biz}/appointments/{visit.pk}/reschedule/",
            {"start": moment},
        ),
        ("owner", f"/api/v1/businesses/{biz}/appointments/{visit.pk}/resize/", {"end": moment}),
        (
            "owner",
            f"/api/v1/businesses/{biz}/blocked-time/",
            {"master_id": salon.lea.pk, "starts_at": moment, "ends_at": moment},
        ),
        (
            "client",
            "/api/v1/waitlist/",
            {
                "location_id": loc,
                "service_id": cut,
                "date": day,
                "time_from": "09:00",
                "time_to": "10:00",
            },
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("moment", EXTREME_MOMENTS)
def test_extreme_instants_in_api_bodies_are_a_400(salon, owner_api, visit, moment):
    client_api = APIClient()
    client_api.force_authenticate(UserFactory())
    clients = {"owner": owner_api, "client": client_api}
    for who, path, body in _post_routes(salon, visit, moment):
        response = clients[who].post(path, body, format="json")
        assert response.status_code == 400, (path, response.status_code, response.content[:300])


@pytest.mark.django_db
@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_extreme_dates_on_pages_are_a_400(client, salon, day):
    slug, loc, cut = salon.business.slug, salon.location.pk, salon.cut.pk
    for path in (
        f"/en/search/?date={day}",
        f"/en/compare/?salon=1&salon=2&date={day}",
        f"/en/book/{slug}/time/?location={loc}&service={cut}&date={day}",
    ):
        response = client.get(path)
        assert response.status_code == 400, (path, response.status_code)
        assert b"Choose a date between" in response.content, path
    client.force_login(member(salon.business, Role.OWNER))
    response = client.get(f"/en/office/{slug}/calendar/?date={day}")
    assert response.status_code == 400
    assert b"Choose a date between" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("moment", EXTREME_MOMENTS)
def test_extreme_instants_posted_to_the_wizard_are_a_400(client, salon, moment):
    slug, loc, cut = salon.business.slug, salon.location.pk, salon.cut.pk
    response = client.post(
        f"/en/book/{slug}/time/",
        {"location": loc, "service": cut, "date": "2030-06-03", "start": moment},
    )
    assert response.status_code == 400
