"""Self-serve onboarding through its pages, and the operator's approval that
puts the salon on the marketplace (and nothing before it)."""

import pytest
from django_scopes import scopes_disabled

from solibook.accounts.models import PlatformRoleGrant
from solibook.accounts.roles import PlatformRole
from solibook.billing.selectors import subscription_of
from solibook.catalog.models import (
    Approval,
    Business,
    Category,
    Location,
    Master,
    OpeningHours,
    Service,
    WeeklyShift,
)
from solibook.core.models import AuditEvent
from solibook.marketplace.index import business_refresh
from solibook.marketplace.models import SalonListing
from solibook.testing.factories import BusinessFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def _staff(role=None):
    user = UserFactory(is_staff=True)
    if role:
        PlatformRoleGrant.objects.create(user=user, role=role)
    return user


def _leaf(slug="womens-haircut") -> Category:
    return Category.objects.get(slug=slug)


def _start(client, lang="en", **overrides):
    data = {
        "name": "Maison Lilas",
        "country": "FR",
        "address": "12 rue des Lilas",
        "city": "Lyon",
        "postal_code": "69001",
        **overrides,
    }
    return client.post(f"/{lang}/office/start/", data)


def _services(client, slug, rows, lang="en"):
    data = {}
    for i in range(3):
        category, minutes, price = rows[i] if i < len(rows) else ("", 60, "")
        data.update(
            {
                f"s{i}-category": category,
                f"s{i}-duration_minutes": minutes,
                f"s{i}-price_amount": price,
            }
        )
    return client.post(f"/{lang}/office/{slug}/onboarding/services/", data)


def _team(client, slug, lang="en", **overrides):
    data = {
        "name_1": "Léa",
        "name_2": "Inès",
        "name_3": "",
        "weekdays": ["0", "1", "2", "3", "4", "5"],
        "opens": "09:00",
        "closes": "19:00",
        **overrides,
    }
    return client.post(f"/{lang}/office/{slug}/onboarding/team/", data)


def onboard(client) -> Business:
    response = _start(client)
    assert response.status_code == 302
    business = Business.objects.get(name="Maison Lilas")
    assert response["Location"] == f"/en/office/{business.slug}/onboarding/services/"
    assert (
        _services(
            client, business.slug, [(_leaf().pk, 60, "45"), (_leaf("blow-dry").pk, 30, "25.50")]
        ).status_code
        == 302
    )
    assert _team(client, business.slug).status_code == 302
    bad_plan = client.post(f"/en/office/{business.slug}/onboarding/plan/", {"plan": "gold"})
    assert bad_plan.status_code == 400
    assert subscription_of(business) is None
    plan = client.post(f"/en/office/{business.slug}/onboarding/plan/", {"plan": "starter"})
    assert plan.status_code == 302
    subscription = subscription_of(business)
    assert subscription.plan.code == "starter" and subscription.trial_ends_at
    response = client.post(f"/en/office/{business.slug}/onboarding/submit/")
    assert response.status_code == 302
    business.refresh_from_db()
    return business


def test_a_new_salon_sets_itself_up_and_waits_for_approval(client):
    owner = UserFactory()
    client.force_login(owner)
    business = onboard(client)
    assert (business.currency, business.country) == ("EUR", "FR")
    assert business.approval_status == Approval.PENDING and business.submitted_at
    assert not business.is_listed
    with scopes_disabled():
        location = Location.objects.get(business=business)
        assert location.time_zone == "Europe/Paris"
        services = {s.name: s for s in Service.objects.filter(business=business)}
        assert services["Women's haircut"].price_amount == 4500
        assert services["Blow-dry and styling"].price_amount == 2550
        assert set(
            Master.objects.filter(business=business).values_list("display_name", flat=True)
        ) == {
            "Léa",
            "Inès",
        }
        assert OpeningHours.objects.filter(location=location).count() == 6
        assert WeeklyShift.objects.filter(business=business).count() == 12
        # Each master does every service.
        assert all(m.services.count() == 2 for m in Master.objects.filter(business=business))
    # Not on the marketplace before the operator approves.
    business_refresh(business.pk)
    assert not SalonListing.objects.filter(business=business).exists()
    assert client.get(f"/en/salons/{business.slug}/").status_code == 404
    page = client.get(f"/en/office/{business.slug}/onboarding/")
    assert "Waiting for approval" in page.content.decode()


def test_the_operator_approves_and_the_salon_is_found_in_search(client):
    client.force_login(UserFactory())
    business = onboard(client)
    operator = _staff(PlatformRole.OPERATOR)
    client.force_login(operator)
    listing = client.get("/en/platform/salons/?status=pending").content.decode()
    assert "Maison Lilas" in listing
    response = client.post(f"/en/platform/salons/{business.pk}/approve/")
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.approval_status == Approval.APPROVED and business.is_listed
    assert AuditEvent.objects.filter(action="platform.salon_approve", business=business).exists()
    business_refresh(business.pk)
    assert SalonListing.objects.filter(business=business).exists()
    found = client.get("/en/search/", {"q": "Maison Lilas"}).content.decode()
    assert f"/en/salons/{business.slug}/" in found
    # Approving twice is refused, nothing changes.
    again = client.post(f"/en/platform/salons/{business.pk}/approve/", follow=True)
    assert "Only a salon waiting for approval can be approved." in again.content.decode()


def test_sent_back_with_a_note_then_resubmitted(client):
    owner = UserFactory()
    client.force_login(owner)
    business = onboard(client)
    client.force_login(_staff())  # staff with no role grant are operators
    empty = client.post(f"/en/platform/salons/{business.pk}/reject/", {"note": " "}, follow=True)
    assert "Say what the salon should change." in empty.content.decode()
    business.refresh_from_db()
    assert business.approval_status == Approval.PENDING
    client.post(f"/en/platform/salons/{business.pk}/reject/", {"note": "Add a real address"})
    business.refresh_from_db()
    assert (business.approval_status, business.approval_note) == (
        Approval.REJECTED,
        "Add a real address",
    )
    client.force_login(owner)
    page = client.get(f"/en/office/{business.slug}/onboarding/").content.decode()
    assert "Add a real address" in page
    client.post(f"/en/office/{business.slug}/onboarding/submit/")
    business.refresh_from_db()
    assert business.approval_status == Approval.PENDING


def test_bad_input_is_refused_in_the_users_language_and_nothing_is_written(client):
    client.force_login(UserFactory(language="fr"))
    response = client.post(
        "/fr/office/start/",
        {"name": "Salon X", "country": "ZZ", "address": "1 rue", "city": "Lyon"},
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Business.objects.filter(name="Salon X").exists()

    _start(client, "fr")
    business = Business.objects.get(name="Maison Lilas")
    # No service picked: refused, nothing written.
    nothing = _services(client, business.slug, [], "fr")
    assert nothing.status_code == 400
    assert "Choisissez au moins une prestation." in nothing.content.decode()
    # A picked service with no price: the row says so.
    no_price = _services(client, business.slug, [(_leaf().pk, 60, "")], "fr")
    assert "Indiquez le prix de cette prestation." in no_price.content.decode()
    with scopes_disabled():
        assert not Service.objects.filter(business=business).exists()
    # Closing before opening: refused on its field.
    _services(client, business.slug, [(_leaf().pk, 60, "40")], "fr")
    bad = _team(client, business.slug, "fr", opens="19:00", closes="09:00")
    assert bad.status_code == 200
    assert (
        "L’heure de fermeture doit être postérieure à l’heure d’ouverture." in bad.content.decode()
    )
    with scopes_disabled():
        assert not Master.objects.filter(business=business).exists()
    # Submitting with no team: refused, still a draft.
    client.post(f"/fr/office/{business.slug}/onboarding/submit/")
    business.refresh_from_db()
    assert business.approval_status == Approval.DRAFT
    # The salon cannot list itself before approval.
    from solibook.catalog.services import business_update_settings
    from solibook.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        business_update_settings(actor=None, business=business, is_listed=True)


def test_another_salons_onboarding_pages_are_invisible(client):
    other = BusinessFactory(approval_status=Approval.DRAFT, is_listed=False)
    client.force_login(UserFactory())
    _start(client)
    for step in ("", "services/", "team/", "plan/"):
        assert client.get(f"/en/office/{other.slug}/onboarding/{step}").status_code == 404
    assert client.post(f"/en/office/{other.slug}/onboarding/submit/").status_code == 404
    other.refresh_from_db()
    assert other.approval_status == Approval.DRAFT


def test_a_submitted_salon_cannot_change_its_steps_behind_the_operator(client):
    owner = UserFactory()
    client.force_login(owner)
    business = onboard(client)
    response = _services(client, business.slug, [(_leaf("mens-haircut").pk, 30, "20")])
    assert response.status_code == 302
    assert response["Location"] == f"/en/office/{business.slug}/onboarding/"
    with scopes_disabled():
        assert Service.objects.filter(business=business).count() == 2


def test_a_receptionist_cannot_submit_the_salon(client):
    owner = UserFactory()
    client.force_login(owner)
    _start(client)
    business = Business.objects.get(name="Maison Lilas")
    client.force_login(member(business, "receptionist"))
    assert client.post(f"/en/office/{business.slug}/onboarding/submit/").status_code == 403


def test_the_back_office_reminds_a_salon_not_yet_online(client):
    owner = UserFactory()
    client.force_login(owner)
    _start(client)
    business = Business.objects.get(name="Maison Lilas")
    page = client.get(f"/en/office/{business.slug}/").content.decode()
    assert 'data-testid="approval-banner"' in page and "Finish setting it up" in page
    approved = BusinessFactory()
    client.force_login(member(approved))
    assert (
        'data-testid="approval-banner"'
        not in client.get(f"/en/office/{approved.slug}/").content.decode()
    )
