"""Consented support access through the API: support asks (with a reason),
the owner consents through the salon's API, support reads the salon's
business API (never writes), every request lands in the salon's audit log,
and the visit ends when support leaves or the owner withdraws. Bad input is
refused in the caller's language; other salons and other roles stay out."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from solibook.accounts.models import PlatformRoleGrant
from solibook.accounts.roles import PlatformRole, Role
from solibook.catalog.models import Location
from solibook.core.models import AuditEvent
from solibook.testing.factories import BusinessFactory, LocationFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def _staff_api(role) -> tuple[APIClient, object]:
    user = UserFactory(is_staff=True)
    PlatformRoleGrant.objects.create(user=user, role=role)
    api = APIClient()
    api.force_authenticate(user)
    return api, user


def _owner_api(business) -> APIClient:
    api = APIClient()
    api.force_authenticate(member(business, Role.OWNER))
    return api


def test_support_asks_the_owner_consents_support_reads_only_and_leaves():
    business = BusinessFactory(name="Salon Confiance")
    LocationFactory(business=business, name="Rue Haute")
    owner = _owner_api(business)
    support, support_user = _staff_api(PlatformRole.SUPPORT)
    salon = f"/api/v1/platform/salons/{business.pk}/support/"
    locations = f"/api/v1/businesses/{business.pk}/locations/"

    # Without consent: the visit is refused and the salon's API stays invisible.
    refused = support.post(salon)
    assert refused.status_code == 409
    assert "has not let platform support in" in refused.json()["error"]["message"]
    assert support.get(locations).status_code == 404

    asked = support.post(f"{salon}request/", {"reason": "Calendar shows no shifts"}, format="json")
    assert asked.status_code == 201 and asked.json()["open"] is False
    state = owner.get(f"/api/v1/businesses/{business.pk}/support-access/").json()
    assert state["open"] is False
    assert [(r["reason"], r["by"]) for r in state["requests"]] == [
        ("Calendar shows no shifts", support_user.email)
    ]

    granted = owner.put(
        f"/api/v1/businesses/{business.pk}/support-access/", {"hours": 2}, format="json"
    )
    assert granted.status_code == 200 and granted.json()["open"] is True
    # Consent alone does not open the API: support enters first (audited).
    assert support.get(locations).status_code == 404
    entered = support.post(salon)
    assert entered.status_code == 200 and entered.json()["open"] is True
    listed = support.get(locations)
    assert listed.status_code == 200
    assert [row["name"] for row in listed.json()["results"]] == ["Rue Haute"]
    # Read only: a write is refused and writes nothing.
    write = support.post(
        locations,
        {"name": "X", "address": "1 rue", "city": "Lyon", "country": "FR", "time_zone": "UTC"},
        format="json",
    )
    assert write.status_code == 403
    with scopes_disabled():
        assert Location.objects.filter(business=business).count() == 1
    reads = AuditEvent.objects.filter(
        business=business, action="platform.impersonated_request", actor=support_user
    )
    assert set(reads.values_list("data__method", flat=True)) == {"GET", "POST"}
    # Another salon that consents stays closed: support never entered it.
    other = BusinessFactory(support_access_until=timezone.now() + timedelta(hours=1))
    assert support.get(f"/api/v1/businesses/{other.pk}/locations/").status_code == 404

    # Support leaves: the reads stop at once.
    assert support.post(f"{salon}end/").status_code == 204
    assert support.get(locations).status_code == 404
    # Back in, then the owner withdraws: out at once.
    assert support.post(salon).status_code == 200
    assert support.get(locations).status_code == 200
    withdrawn = owner.put(
        f"/api/v1/businesses/{business.pk}/support-access/", {"hours": 0}, format="json"
    )
    assert withdrawn.json()["open"] is False
    assert support.get(locations).status_code == 404
    # A new consent later does not reopen the old visit: support enters again.
    owner.put(f"/api/v1/businesses/{business.pk}/support-access/", {"hours": 1}, format="json")
    assert support.get(locations).status_code == 404
    assert support.post(salon).status_code == 200
    assert support.get(locations).status_code == 200
    actions = [
        v["action"]
        for v in owner.get(f"/api/v1/businesses/{business.pk}/support-access/").json()["visits"]
    ]
    assert actions.count("platform.impersonation_start") == 3
    assert "platform.impersonation_stop" in actions


def test_only_support_roles_visit_and_only_owners_consent():
    business = BusinessFactory(support_access_until=timezone.now() + timedelta(hours=1))
    base = f"/api/v1/platform/salons/{business.pk}/support/"
    for role in (PlatformRole.FINANCE, PlatformRole.MODERATOR):
        api, _user = _staff_api(role)
        assert api.post(base).status_code == 403
        assert api.post(f"{base}request/", {"reason": "x"}, format="json").status_code == 403
    # A salon's owner is no platform staff.
    owner = _owner_api(business)
    assert owner.post(base).status_code == 403
    # A receptionist may not let support in; another salon's owner cannot see the consent.
    desk = APIClient()
    desk.force_authenticate(member(business, Role.RECEPTIONIST))
    url = f"/api/v1/businesses/{business.pk}/support-access/"
    assert desk.put(url, {"hours": 2}, format="json").status_code == 403
    stranger = _owner_api(BusinessFactory())
    assert stranger.get(url).status_code == 404
    assert stranger.put(url, {"hours": 0}, format="json").status_code == 404
    business.refresh_from_db()
    assert business.support_access_until > timezone.now()
    assert not AuditEvent.objects.filter(business=business).exists()


def test_bad_input_is_refused_in_the_callers_language_and_writes_nothing():
    business = BusinessFactory()
    owner = _owner_api(business)
    owner.credentials(HTTP_ACCEPT_LANGUAGE="ru")
    url = f"/api/v1/businesses/{business.pk}/support-access/"
    too_long = owner.put(url, {"hours": 1000}, format="json")
    assert too_long.status_code == 400
    assert too_long.json()["error"]["fields"]["hours"] == ["Выберите от 0 до 72 часов."]
    not_a_number = owner.put(url, {"hours": "soon"}, format="json")
    assert not_a_number.status_code == 400 and "hours" in not_a_number.json()["error"]["fields"]
    business.refresh_from_db()
    assert business.support_access_until is None

    support, _user = _staff_api(PlatformRole.SUPPORT)
    support.credentials(HTTP_ACCEPT_LANGUAGE="fr")
    blank = support.post(
        f"/api/v1/platform/salons/{business.pk}/support/request/", {"reason": "  "}, format="json"
    )
    assert blank.status_code == 400
    assert blank.json()["error"]["fields"]["reason"] == [
        "Dites pourquoi le support de la plateforme doit entrer."
    ]
    unknown = support.post(
        "/api/v1/platform/salons/999999999/support/request/", {"reason": "x"}, format="json"
    )
    assert unknown.status_code == 404
    assert not AuditEvent.objects.filter(action="platform.support_access_request").exists()


def test_support_asks_from_the_console_page_and_the_owner_reads_it_on_its_page(client):
    business = BusinessFactory(name="Salon Demande")
    LocationFactory(business=business)
    support = UserFactory(is_staff=True)
    PlatformRoleGrant.objects.create(user=support, role=PlatformRole.SUPPORT)
    client.force_login(support)
    page = client.get(f"/ru/platform/salons/{business.pk}/").content.decode()
    assert 'data-testid="support-request"' in page and "Попросить салон" in page
    blank = client.post(
        f"/ru/platform/salons/{business.pk}/support/request/", {"reason": " "}, follow=True
    )
    assert "Укажите, зачем поддержке платформы нужен вход." in blank.content.decode()
    asked = client.post(
        f"/ru/platform/salons/{business.pk}/support/request/",
        {"reason": "Клиент не видит свободное время"},
        follow=True,
    )
    assert "отправлена просьба впустить поддержку" in asked.content.decode()
    assert (
        client.post("/ru/platform/salons/999999999/support/request/", {"reason": "x"}).status_code
        == 404
    )
    # A moderator has no support role: refused.
    moderator = UserFactory(is_staff=True)
    PlatformRoleGrant.objects.create(user=moderator, role=PlatformRole.MODERATOR)
    client.force_login(moderator)
    assert (
        client.post(
            f"/ru/platform/salons/{business.pk}/support/request/", {"reason": "x"}
        ).status_code
        == 403
    )
    client.force_login(member(business, Role.OWNER))
    own = client.get(f"/ar/office/{business.slug}/settings/support-access/").content.decode()
    assert 'data-testid="support-requests"' in own and "Клиент не видит свободное время" in own
    assert "ما طلبه الدعم" in own
    assert (
        AuditEvent.objects.filter(
            business=business, action="platform.support_access_request"
        ).count()
        == 1
    )
