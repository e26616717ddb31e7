"""The role matrix applied to pages and API alike."""

import pytest
from django_scopes import scopes_disabled

from solibook.accounts.models import Membership
from solibook.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from solibook.core.models import AuditEvent
from solibook.testing.factories import BusinessFactory, LocationFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def salon():
    business = BusinessFactory()
    LocationFactory(business=business)
    return business


# Every role, and whether it may open the team page / edit a location / see the audit log.
MATRIX = [
    (Role.OWNER, True, True, True),
    (Role.MANAGER, False, True, True),
    (Role.RECEPTIONIST, False, False, False),
    (Role.MASTER, False, False, False),
    (Role.ACCOUNTANT, False, False, False),
]


@pytest.mark.parametrize(("role", "team", "locations", "audit"), MATRIX)
def test_pages_follow_the_role_matrix(client, salon, role, team, locations, audit):
    client.force_login(member(salon, role))
    expect = {True: 200, False: 403}
    assert client.get(f"/en/office/{salon.slug}/").status_code == 200
    assert client.get(f"/en/office/{salon.slug}/team/").status_code == expect[team]
    assert client.get(f"/en/office/{salon.slug}/locations/new/").status_code == expect[locations]
    assert client.get(f"/en/office/{salon.slug}/audit/").status_code == expect[audit]


@pytest.mark.parametrize(("role", "team", "locations", "audit"), MATRIX)
def test_api_follows_the_same_matrix(api_client, salon, role, team, locations, audit):
    api_client.force_authenticate(member(salon, role))
    expect = {True: (200, 201), False: (403,)}
    assert api_client.get(f"/api/v1/businesses/{salon.pk}/").status_code == 200
    assert api_client.get(f"/api/v1/businesses/{salon.pk}/members/").status_code in expect[team]
    created = api_client.post(
        f"/api/v1/businesses/{salon.pk}/locations/",
        {"name": "Second", "address": "2 rue X", "city": "Paris", "time_zone": "Europe/Paris"},
    )
    assert created.status_code in expect[locations], created.content


def test_the_matrix_gives_every_role_the_back_office():
    for role in Role.values:
        assert Capability.VIEW_BACK_OFFICE in ROLE_CAPABILITIES[role]


def test_an_anonymous_visitor_is_sent_to_log_in(client, salon):
    response = client.get(f"/en/office/{salon.slug}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_role_change_is_audited_and_the_last_owner_stays(api_client, salon):
    owner = member(salon, Role.OWNER)
    master = member(salon, Role.MASTER)
    api_client.force_authenticate(owner)
    with scopes_disabled():
        owner_membership = Membership.objects.get(user=owner)
        master_membership = Membership.objects.get(user=master)

    response = api_client.patch(
        f"/api/v1/businesses/{salon.pk}/members/{master_membership.pk}/", {"role": "manager"}
    )
    assert response.status_code == 200
    assert response.json()["role"] == "manager"

    demote = api_client.patch(
        f"/api/v1/businesses/{salon.pk}/members/{owner_membership.pk}/",
        {"role": "master"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert demote.status_code == 400
    assert demote.json()["error"]["fields"]["role"] == ["A business needs at least one owner."]
    with scopes_disabled():
        assert Membership.objects.get(pk=owner_membership.pk).role == Role.OWNER
        assert list(AuditEvent.objects.filter(business=salon).values_list("action", "data")) == [
            ("membership.role_change", {"from": "master", "to": "manager"})
        ]


def test_adding_a_member_from_the_team_page(client, salon):
    owner = member(salon, Role.OWNER)
    newcomer = UserFactory(email="new.master@example.test")
    client.force_login(owner)
    response = client.post(
        f"/en/office/{salon.slug}/team/", {"email": "NEW.master@example.test", "role": "master"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Membership.objects.get(user=newcomer).role == Role.MASTER
    again = client.post(
        f"/en/office/{salon.slug}/team/", {"email": "new.master@example.test", "role": "master"}
    )
    assert again.context["form"].errors["email"]
    unknown = client.post(
        f"/en/office/{salon.slug}/team/", {"email": "ghost@example.test", "role": "master"}
    )
    assert unknown.context["form"].errors["email"]
