import pytest
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.catalog.models import Location
from solibook.testing.factories import BusinessFactory, member

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Marais",
    "address": "12 rue des Rosiers",
    "city": "Paris",
    "postal_code": "75004",
    "country": "FR",
    "latitude": "48.857150",
    "longitude": "2.359640",
    "time_zone": "Europe/Paris",
    "phone": "+33142720011",
}


def test_owner_adds_and_edits_a_location_from_the_back_office(client):
    business = BusinessFactory()
    client.force_login(member(business, Role.OWNER))
    assert client.post(f"/en/office/{business.slug}/locations/new/", GOOD).status_code == 302
    with scopes_disabled():
        location = Location.objects.get(business=business)
    assert (location.slug, str(location.phone), location.time_zone) == (
        "marais",
        "+33142720011",
        "Europe/Paris",
    )
    edit = client.post(
        f"/en/office/{business.slug}/locations/{location.pk}/", {**GOOD, "city": "Paris 4e"}
    )
    assert edit.status_code == 302
    location.refresh_from_db()
    assert location.city == "Paris 4e"


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_zone", "Europe/Atlantis"), ("latitude", "123"), ("phone", "+33 1"), ("name", "")],
)
def test_bad_location_input_names_the_field_and_saves_nothing(client, field, value):
    business = BusinessFactory()
    client.force_login(member(business, Role.OWNER))
    response = client.post(f"/fr/office/{business.slug}/locations/new/", {**GOOD, field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    with scopes_disabled():
        assert not Location.objects.exists()


def test_api_refuses_an_unknown_time_zone_with_a_field_error(api_client):
    business = BusinessFactory()
    api_client.force_authenticate(member(business, Role.OWNER))
    response = api_client.post(
        f"/api/v1/businesses/{business.pk}/locations/", {**GOOD, "time_zone": "Mars/Base"}
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["time_zone"]


def test_creating_a_business_makes_its_creator_owner(client, api_client):
    from solibook.testing.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/en/office/new/",
        {"name": "Maison Iris", "currency": "EUR", "country": "FR", "is_listed": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/office/maison-iris/locations/new/"
    api_client.force_authenticate(user)
    [row] = api_client.get("/api/v1/businesses/").json()
    assert (row["slug"], row["role"], row["currency"]) == ("maison-iris", "owner", "EUR")
    bad = api_client.post("/api/v1/businesses/", {"name": "X", "currency": "ZZZ", "country": "FR"})
    assert bad.status_code == 400
    assert "currency" in bad.json()["error"]["fields"]


def test_a_partial_api_update_changes_only_what_was_sent(api_client):
    business = BusinessFactory()
    api_client.force_authenticate(member(business, Role.OWNER))
    created = api_client.post(f"/api/v1/businesses/{business.pk}/locations/", GOOD).json()
    patched = api_client.patch(
        f"/api/v1/businesses/{business.pk}/locations/{created['id']}/", {"name": "Marais 2"}
    )
    assert patched.status_code == 200
    assert (patched.json()["name"], patched.json()["postal_code"], patched.json()["phone"]) == (
        "Marais 2",
        "75004",
        "+33142720011",
    )
