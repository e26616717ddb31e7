"""Self-serve onboarding through the API only: a new salon signs up, sets
itself up step by step, chooses a plan, asks for approval; the operator
approves it through the console's API and it is found by the marketplace's
search API. Bad input is refused in the API's error format, in the caller's
language, and writes nothing; another salon's onboarding is invisible."""

import pytest
from django.core.cache import cache
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from solibook.accounts.models import PlatformRoleGrant
from solibook.accounts.roles import PlatformRole
from solibook.billing.selectors import subscription_of
from solibook.catalog.models import Approval, Business, Category, Master, OpeningHours, Service
from solibook.marketplace.index import business_refresh
from solibook.testing.factories import BusinessFactory, UserFactory, member

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase 42"  # noqa: S105 - a test account's password


def _signed_up(email="lilas@example.com", language="en") -> APIClient:
    """Register and take a token through the API, as a salon's app would."""
    cache.clear()  # the auth throttle counts per address
    api = APIClient()
    created = api.post(
        "/api/v1/auth/register/",
        {"email": email, "password": PASSWORD, "full_name": "Léa Martin", "language": language},
        format="json",
    )
    assert created.status_code == 201, created.content
    token = api.post("/api/v1/auth/token/", {"email": email, "password": PASSWORD}, format="json")
    assert token.status_code == 200, token.content
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access']}")
    return api


def _start(api, **overrides):
    body = {
        "name": "Maison Lilas",
        "country": "FR",
        "address": "12 rue des Lilas",
        "city": "Lyon",
        "postal_code": "69001",
        **overrides,
    }
    return api.post("/api/v1/onboarding/", body, format="json")


def _leaf(slug="womens-haircut") -> int:
    return Category.objects.get(slug=slug).pk


def _onboarded(api) -> int:
    started = _start(api)
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["approval_status"] == "draft" and not body["business"]["is_listed"]
    assert body["progress"] == {
        "location": True,
        "services": False,
        "team": False,
        "hours": False,
        "plan": False,
    }
    business_id = body["business"]["id"]
    base = f"/api/v1/businesses/{business_id}/onboarding/"
    # The taxonomy, in four languages, is public.
    categories = api.get("/api/v1/categories/", {"page_size": 200}).json()["results"]
    haircut = next(c for c in categories if c["slug"] == "womens-haircut")
    assert haircut["name_fr"] and haircut["name_ru"] and haircut["name_ar"]
    picked = api.post(
        f"{base}services/",
        {
            "picks": [
                {"category_id": haircut["id"], "duration_minutes": 60, "price_amount": 4500},
                {
                    "category_id": _leaf("blow-dry"),
                    "name": "Brushing",
                    "duration_minutes": 30,
                    "price_amount": 2550,
                },
            ]
        },
        format="json",
    )
    assert picked.status_code == 201, picked.content
    team = api.post(
        f"{base}team/",
        {
            "names": ["Léa", "Inès"],
            "weekdays": [0, 1, 2, 3, 4, 5],
            "opens": "09:00",
            "closes": "19:00",
        },
        format="json",
    )
    assert team.status_code == 201, team.content
    plan = api.post(f"{base}plan/", {"plan": "pro"}, format="json")
    assert plan.status_code == 200, plan.content
    assert plan.json()["plan"] == "pro"
    # A second location through the catalogue's own API.
    more = api.post(
        f"/api/v1/businesses/{business_id}/locations/",
        {
            "name": "Maison Lilas Croix-Rousse",
            "address": "3 place de la Croix-Rousse",
            "city": "Lyon",
            "country": "FR",
            "time_zone": "Europe/Paris",
        },
        format="json",
    )
    assert more.status_code == 201, more.content
    submitted = api.post(f"{base}submit/", format="json")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["approval_status"] == "pending"
    assert all(submitted.json()["progress"].values())
    return business_id


def _operator_api(role=PlatformRole.OPERATOR) -> APIClient:
    staff = UserFactory(is_staff=True)
    PlatformRoleGrant.objects.create(user=staff, role=role)
    api = APIClient()
    api.force_authenticate(staff)
    return api


def test_a_salon_onboards_through_the_api_and_goes_live_on_the_operators_approval():
    api = _signed_up()
    business_id = _onboarded(api)
    business = Business.objects.get(pk=business_id)
    assert (business.currency, business.country) == ("EUR", "FR")
    assert business.approval_status == Approval.PENDING and not business.is_listed
    with scopes_disabled():
        names = {s.name: s.price_amount for s in Service.objects.filter(business=business)}
        assert names == {"Women's haircut": 4500, "Brushing": 2550}
        assert Master.objects.filter(business=business).count() == 2
        assert OpeningHours.objects.filter(business=business).count() == 6
    assert subscription_of(business).trial_ends_at is not None
    # Not searchable before the approval.
    business_refresh(business_id)
    search = APIClient().get("/api/v1/marketplace/search/", {"q": "Maison Lilas"})
    assert business.slug not in search.content.decode()
    # The salon cannot approve itself: the console's API is for platform staff.
    assert api.post(f"/api/v1/platform/salons/{business_id}/approve/").status_code == 403
    # Support may read the salon but not approve it.
    support = _operator_api(PlatformRole.SUPPORT)
    assert support.get(f"/api/v1/platform/salons/{business_id}/").status_code == 200
    assert support.post(f"/api/v1/platform/salons/{business_id}/approve/").status_code == 403
    operator = _operator_api()
    waiting = operator.get("/api/v1/platform/salons/", {"status": "pending"}).json()
    assert business_id in [s["id"] for s in waiting]
    approved = operator.post(f"/api/v1/platform/salons/{business_id}/approve/")
    assert approved.status_code == 200 and approved.json()["is_listed"] is True
    state = api.get(f"/api/v1/businesses/{business_id}/onboarding/").json()
    assert state["approval_status"] == "approved" and state["approved_at"]
    business_refresh(business_id)
    found = APIClient().get("/api/v1/marketplace/search/", {"q": "Maison Lilas"})
    assert found.status_code == 200 and business.slug in found.content.decode()


def test_a_salon_sent_back_fixes_its_steps_and_submits_again():
    api = _signed_up()
    business_id = _onboarded(api)
    base = f"/api/v1/businesses/{business_id}/onboarding/"
    # Submitted: the steps are closed while the operator checks them.
    late = api.post(f"{base}plan/", {"plan": "starter"}, format="json")
    assert late.status_code == 409 and late.json()["error"]["code"] == "conflict"
    assert api.get(base).json()["plan"] == "pro"
    operator = _operator_api()
    sent_back = operator.post(
        f"/api/v1/platform/salons/{business_id}/reject/", {"note": "A real photo"}, format="json"
    )
    assert sent_back.status_code == 200
    state = api.get(base).json()
    assert (state["approval_status"], state["approval_note"]) == ("rejected", "A real photo")
    # A downgrade below what the salon uses (two locations) is refused; nothing changes.
    below = api.post(f"{base}plan/", {"plan": "starter"}, format="json")
    assert below.status_code == 400, below.content
    assert api.get(base).json()["plan"] == "pro"
    assert api.post(f"{base}submit/").json()["approval_status"] == "pending"


def test_bad_input_is_refused_in_the_callers_language_and_writes_nothing():
    api = _signed_up(language="fr")
    api.credentials(
        HTTP_AUTHORIZATION=api._credentials["HTTP_AUTHORIZATION"], HTTP_ACCEPT_LANGUAGE="fr"
    )
    unknown = _start(api, country="ZZ")
    assert unknown.status_code == 400
    assert unknown.json()["error"]["fields"]["country"] == ["Choisissez un pays dans la liste."]
    missing = _start(api, name="", city="")
    assert missing.status_code == 400
    assert set(missing.json()["error"]["fields"]) >= {"name", "city"}
    assert not Business.objects.filter(name="Maison Lilas").exists()

    business_id = _start(api).json()["business"]["id"]
    base = f"/api/v1/businesses/{business_id}/onboarding/"
    nothing = api.post(f"{base}services/", {"picks": []}, format="json")
    assert nothing.status_code == 400
    assert nothing.json()["error"]["message"] == "Choisissez au moins une prestation."
    no_such = api.post(
        f"{base}services/",
        {
            "picks": [
                {"category_id": _leaf(), "duration_minutes": 60, "price_amount": 4000},
                {"category_id": 99_999_999, "duration_minutes": 60, "price_amount": 4000},
            ]
        },
        format="json",
    )
    assert no_such.status_code == 400
    assert no_such.json()["error"]["fields"] == {"picks.1.category_id": ["Catégorie inconnue."]}
    negative = api.post(
        f"{base}services/",
        {"picks": [{"category_id": _leaf(), "duration_minutes": 60, "price_amount": -1}]},
        format="json",
    )
    assert negative.status_code == 400
    with scopes_disabled():
        assert not Service.objects.filter(business_id=business_id).exists()
    no_team = api.post(
        f"{base}team/",
        {"names": ["  "], "weekdays": [0], "opens": "09:00", "closes": "19:00"},
        format="json",
    )
    assert no_team.status_code == 400
    assert no_team.json()["error"]["fields"]["names"] == [
        "Ajoutez au moins une personne qui reçoit les clients."
    ]
    backwards = api.post(
        f"{base}team/",
        {"names": ["Léa"], "weekdays": [0], "opens": "19:00", "closes": "09:00"},
        format="json",
    )
    assert backwards.status_code == 400
    with scopes_disabled():
        assert not Master.objects.filter(business_id=business_id).exists()
        assert not OpeningHours.objects.filter(business_id=business_id).exists()
    gold = api.post(f"{base}plan/", {"plan": "gold"}, format="json")
    assert gold.status_code == 400
    assert gold.json()["error"]["fields"]["plan"] == ["Choisissez l'une des formules proposées."]
    assert subscription_of(Business.objects.get(pk=business_id)) is None
    early = api.post(f"{base}submit/")
    assert early.status_code == 400
    assert early.json()["error"]["message"] == "Ajoutez au moins une prestation avant de soumettre."
    assert Business.objects.get(pk=business_id).approval_status == Approval.DRAFT


def test_another_salons_onboarding_is_invisible_through_the_api():
    other = BusinessFactory(approval_status=Approval.DRAFT, is_listed=False)
    api = _signed_up()
    mine = _start(api).json()["business"]["id"]
    base = f"/api/v1/businesses/{other.pk}/onboarding/"
    assert api.get(base).status_code == 404
    body = {"picks": [{"category_id": _leaf(), "duration_minutes": 60, "price_amount": 1}]}
    assert api.post(f"{base}services/", body, format="json").status_code == 404
    team = {"names": ["X"], "weekdays": [0], "opens": "09:00", "closes": "19:00"}
    assert api.post(f"{base}team/", team, format="json").status_code == 404
    assert api.post(f"{base}plan/", {"plan": "free"}, format="json").status_code == 404
    assert api.post(f"{base}submit/").status_code == 404
    with scopes_disabled():
        assert not Service.objects.filter(business=other).exists()
    assert subscription_of(other) is None
    other.refresh_from_db()
    assert other.approval_status == Approval.DRAFT
    # A receptionist of one's own salon may not choose the plan or submit it.
    desk = APIClient()
    desk.force_authenticate(member(Business.objects.get(pk=mine), "receptionist"))
    own = f"/api/v1/businesses/{mine}/onboarding/"
    assert desk.post(f"{own}plan/", {"plan": "free"}, format="json").status_code == 403
    assert desk.post(f"{own}submit/").status_code == 403
    # Anonymous callers cannot start a salon.
    assert APIClient().post("/api/v1/onboarding/", {}, format="json").status_code == 401
