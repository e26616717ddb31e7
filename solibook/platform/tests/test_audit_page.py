import pytest
from django_scopes import scopes_disabled

from solibook.accounts import services as account_services
from solibook.accounts.models import Membership
from solibook.accounts.roles import Role
from solibook.core.audit import audit_log
from solibook.testing.factories import BusinessFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def test_platform_staff_see_every_sensitive_action(client):
    a, b = BusinessFactory(name="Salon A"), BusinessFactory(name="Salon B")
    owner = member(a, Role.OWNER)
    with scopes_disabled():
        receptionist = member(a, Role.RECEPTIONIST)
        membership = Membership.objects.get(user=receptionist)
        account_services.membership_change_role(
            actor=owner, business=a, membership_id=membership.pk, role=Role.MANAGER
        )
    audit_log(action="privacy.export", actor=owner, data={"via": "api"})
    audit_log(action="client.erase", actor=owner, business=b)
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    page = client.get("/en/platform/audit/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "membership.role_change" in text and "privacy.export" in text and "client.erase" in text
    only_privacy = client.get("/en/platform/audit/?action=privacy.").content.decode()
    assert "privacy.export" in only_privacy and "membership.role_change" not in only_privacy
    only_b = client.get(f"/en/platform/audit/?business={b.pk}").content.decode()
    assert "client.erase" in only_b and "privacy.export" not in only_b
    assert (
        client.get("/en/platform/audit/?business=99999999999999999999999&page=zzz").status_code
        == 200
    )


def test_the_platform_audit_log_is_for_staff_only(client):
    business = BusinessFactory()
    client.force_login(member(business, Role.OWNER))
    response = client.get("/en/platform/audit/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_owners_see_their_business_log_not_anothers(client):
    a, b = BusinessFactory(), BusinessFactory()
    owner_a = member(a, Role.OWNER)
    audit_log(action="client.erase", actor=owner_a, business=a, data={"mark": "mine"})
    audit_log(action="client.erase", business=b, data={"mark": "theirs"})
    client.force_login(owner_a)
    text = client.get(f"/en/office/{a.slug}/audit/").content.decode()
    assert "mine" in text and "theirs" not in text
    assert client.get(f"/en/office/{b.slug}/audit/").status_code == 404
    client.force_login(member(a, Role.RECEPTIONIST))
    assert client.get(f"/en/office/{a.slug}/audit/").status_code == 403


def test_page_logins_of_team_members_are_audited(client):
    from solibook.core.models import AuditEvent
    from solibook.testing.factories import TEST_PASSWORD

    business = BusinessFactory()
    owner = member(business, Role.OWNER)
    client.post("/en/accounts/login/", {"username": owner.email, "password": TEST_PASSWORD})
    event = AuditEvent.objects.get(action="auth.login")
    assert event.business == business and event.actor == owner and event.data["via"] == "page"


def test_platform_pages_need_the_second_factor_when_required(client, settings):
    settings.REQUIRE_2FA = True
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    response = client.get("/en/platform/audit/")
    assert response.status_code == 302 and "/accounts/security/two-factor/" in response["Location"]
    settings.REQUIRE_2FA = False
    assert client.get("/en/platform/audit/").status_code == 200
