"""Pages and API of loyalty and referrals: one write path, clear errors, isolation."""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.core.tenancy import business_scope
from solibook.loyalty import services as loyalty
from solibook.loyalty.models import PointsKind
from solibook.referrals import services
from solibook.referrals.models import Referral, ReferralStatus
from solibook.testing.booking import client_books
from solibook.testing.cards import card_of
from solibook.testing.factories import BusinessFactory, LocationFactory, UserFactory, member
from solibook.testing.referrals import isolation_objects_of_b, open_programme
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db

MY_MODULES = (
    "solibook.loyalty.",
    "solibook.referrals.",
    "solibook.loyalty.api.views",
    "solibook.referrals.api.views",
)


def _my_tenant_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _my_tenant_routes(entry, route)
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "")
            keys = set(entry.pattern.converters)
            if module.startswith(MY_MODULES) and keys & {"business_id", "business_slug"}:
                yield route, entry


def test_every_loyalty_and_referral_url_is_404_for_another_business(client, api_client, salon):
    a = BusinessFactory()
    LocationFactory(business=a)
    owner_a = member(a, Role.OWNER)
    b = salon.business
    appointment_b = client_books(salon, UserFactory())
    known = {
        "business_id": b.pk,
        "business_slug": b.slug,
        **isolation_objects_of_b(b, appointment_b),
    }
    client.force_login(owner_a)
    api_client.force_authenticate(owner_a)
    checked = 0
    for route, pattern in _my_tenant_routes():
        path = route.replace("^", "").replace("$", "")
        for key in pattern.pattern.converters:
            for converter in ("id", "int", "slug", "str"):
                path = path.replace(f"<{converter}:{key}>", str(known[key]))
        path = "/" + path.lstrip("/")
        if not path.startswith("/api/"):
            path = "/en" + path
        http = api_client if path.startswith("/api/") else client
        for method in ("get", "post", "patch"):
            response = getattr(http, method)(path, {})
            assert response.status_code in (404, 405), (
                f"{method.upper()} {path} -> {response.status_code}"
            )
        checked += 1
    assert checked >= 20
    with scopes_disabled():
        assert (
            Referral.objects.get(business=b).status == ReferralStatus.HELD
        )  # nothing decided through A


def test_own_business_objects_of_b_are_404_through_a(api_client, salon):
    a = BusinessFactory()
    owner_a = member(a, Role.OWNER)
    objs = isolation_objects_of_b(salon.business, client_books(salon, UserFactory()))
    api_client.force_authenticate(owner_a)
    assert (
        api_client.post(
            f"/api/v1/businesses/{a.pk}/referrals/{objs['referral_id']}/review/",
            {"approve": True},
            format="json",
        ).status_code
        == 404
    )
    assert (
        api_client.patch(
            f"/api/v1/businesses/{a.pk}/loyalty/tiers/{objs['tier_id']}/",
            {"name": "x"},
            format="json",
        ).status_code
        == 404
    )
    assert (
        api_client.post(
            f"/api/v1/businesses/{a.pk}/statements/{objs['statement_id']}/pay/", {}, format="json"
        ).status_code
        == 404
    )


def test_claim_via_api_with_bad_codes_gives_clear_translated_messages(api_client, salon):
    open_programme(salon)
    referrer, friend = UserFactory(), UserFactory()
    with business_scope(salon.business):
        code = services.code_personal(business=salon.business, owner=referrer)
    appointment = client_books(salon, friend)
    api_client.force_authenticate(friend)
    response = api_client.post(
        "/api/v1/me/referrals/claim/",
        {"code": "ZZZZ-9999999", "appointment_id": appointment.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "code_unknown"
    assert response.json()["error"]["message"] == "Ce code de parrainage n’existe pas."
    own = client_books(salon, referrer, hour=14)
    api_client.force_authenticate(referrer)
    response = api_client.post(
        "/api/v1/me/referrals/claim/", {"code": code.code, "appointment_id": own.pk}, format="json"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "code_own"
    api_client.force_authenticate(friend)
    response = api_client.post(
        "/api/v1/me/referrals/claim/",
        {"code": code.code.lower(), "appointment_id": appointment.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "booked"
    assert api_client.get("/api/v1/me/wallet/").json()["balances"][0]["spendable"] == 1000
    # Someone else's appointment is invisible.
    api_client.force_authenticate(UserFactory())
    assert (
        api_client.post(
            "/api/v1/me/referrals/claim/",
            {"code": code.code, "appointment_id": appointment.pk},
            format="json",
        ).status_code
        == 404
    )


def test_points_and_wallet_api(api_client, salon):
    client_user = UserFactory()
    with business_scope(salon.business):
        loyalty.programme_update(business=salon.business, is_active=True, expiry_days=30)
        loyalty.points_grant(
            business=salon.business,
            client=card_of(salon.business, client_user),
            points=50,
            kind=PointsKind.CHALLENGE,
            key="g",
            now=NOW,
        )
    api_client.force_authenticate(client_user)
    body = api_client.get("/api/v1/me/points/").json()
    assert body["accounts"][0]["balance"] == 50
    assert body["accounts"][0]["upcoming_expiry"][0]["points"] == 50
    assert api_client.get("/api/v1/me/wallet/").json() == {"balances": [], "transactions": []}
    assert api_client.get("/api/v1/me/badges/").json() == []


def test_salon_settings_review_queue_and_partners_via_api(api_client, salon):
    owner = member(salon.business, Role.OWNER)
    api_client.force_authenticate(owner)
    base = f"/api/v1/businesses/{salon.business.pk}"
    response = api_client.patch(
        f"{base}/referrals/programme/",
        {"is_active": True, "review_days": 7, "friend_reward_kind": "points"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["review_days"] == 7
    assert (
        api_client.patch(
            f"{base}/referrals/programme/", {"friend_reward_kind": "cash"}, format="json"
        ).status_code
        == 400
    )
    response = api_client.post(
        f"{base}/loyalty/tiers/", {"name": "Silver", "min_points": 100}, format="json"
    )
    assert response.status_code == 201
    assert (
        api_client.post(
            f"{base}/loyalty/tiers/", {"name": "Again", "min_points": 100}, format="json"
        ).status_code
        == 400
    )
    referrer = UserFactory(full_name="Same Name")
    friend = UserFactory(full_name="Same Name")
    with business_scope(salon.business):
        code = services.code_personal(business=salon.business, owner=referrer)
        referral = services.referral_attach(
            appointment=client_books(salon, friend), code=code.code, friend=friend
        )
    held = api_client.get(f"{base}/referrals/?status=held").json()["results"]
    assert [r["id"] for r in held] == [referral.pk] and held[0]["reason_labels"] == [
        "Same name as the referrer"
    ]
    response = api_client.post(
        f"{base}/referrals/{referral.pk}/review/",
        {"approve": True, "household": True},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "booked"
    assert (
        api_client.post(
            f"{base}/referrals/{referral.pk}/review/", {"approve": False}, format="json"
        ).status_code
        == 400
    )

    blogger = UserFactory()
    api_client.force_authenticate(blogger)
    assert (
        api_client.post(
            "/api/v1/me/partners/",
            {"business_id": salon.business.pk, "name": "Glow"},
            format="json",
        ).status_code
        == 201
    )
    partner_id = api_client.get("/api/v1/me/partners/").json()[0]["partner"]["id"]
    assert (
        api_client.post(
            f"/api/v1/me/partners/{partner_id}/campaigns/", {"name": "Spring"}, format="json"
        ).status_code
        == 400
    )  # not approved yet
    api_client.force_authenticate(owner)
    assert (
        api_client.post(
            f"{base}/partners/{partner_id}/decision/",
            {"approve": True, "commission_kind": "fixed", "commission_fixed": 500},
            format="json",
        ).status_code
        == 200
    )
    api_client.force_authenticate(blogger)
    assert (
        api_client.post(
            f"/api/v1/me/partners/{partner_id}/campaigns/", {"name": "Spring"}, format="json"
        ).status_code
        == 201
    )
    dashboard = api_client.get("/api/v1/me/partners/").json()[0]
    assert sorted(c["name"] for c in dashboard["campaigns"]) == ["Spring", "default"]


def test_a_receptionist_cannot_change_the_programme(api_client, salon):
    api_client.force_authenticate(member(salon.business, Role.RECEPTIONIST))
    base = f"/api/v1/businesses/{salon.business.pk}"
    assert api_client.get(f"{base}/referrals/").status_code == 200
    assert (
        api_client.patch(
            f"{base}/referrals/programme/", {"is_active": True}, format="json"
        ).status_code
        == 403
    )


def test_landing_has_a_preview_card_and_records_the_click(client, salon):
    open_programme(salon)
    referrer = UserFactory()
    with business_scope(salon.business):
        code = services.code_personal(business=salon.business, owner=referrer)
    response = client.get(f"/en/r/{code.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'property="og:image"' in html and f"/r/{code.code}/card.png" in html and "10.00" in html
    assert response.cookies["sb_ref"].value == code.code and response.cookies["sb_device"].value
    with scopes_disabled():
        assert code.clicks.count() == 1
    card = client.get(f"/en/r/{code.code}/card.png")
    assert (
        card.status_code == 200
        and card["Content-Type"] == "image/png"
        and card.content[:4] == b"\x89PNG"
    )
    assert client.get("/en/r/NOPE/").status_code == 404


def test_client_and_office_pages_render(client, salon):
    open_programme(salon)
    owner = member(salon.business, Role.OWNER)
    referrer = UserFactory()
    client_books(salon, referrer)
    client.force_login(referrer)
    assert client.post("/en/me/referrals/", {"business": salon.business.pk}).status_code == 302
    page = client.get("/en/me/referrals/")
    assert (
        page.status_code == 200
        and "WhatsApp" in page.content.decode()
        and "<script>" not in page.content.decode()
    )
    assert client.get("/en/me/wallet/").status_code == 200
    assert client.get("/en/me/partners/").status_code == 200
    assert client.get(f"/en/partners/{salon.business.slug}/join/").status_code == 200
    client.force_login(owner)
    slug = salon.business.slug
    for path in (
        f"/en/office/{slug}/referrals/",
        f"/en/office/{slug}/referrals/review/",
        f"/en/office/{slug}/referrals/partners/",
        f"/en/office/{slug}/referrals/invites/",
        f"/en/office/{slug}/loyalty/",
        f"/en/office/{slug}/loyalty/leaderboard/",
    ):
        assert client.get(path).status_code == 200, path
    response = client.post(
        f"/en/office/{slug}/loyalty/",
        {
            "form": "tier",
            "name": "Gold",
            "min_points": 500,
            "earn_multiplier_percent": 150,
            "discount_percent": 5,
        },
    )
    assert response.status_code == 302
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get("/en/platform/referrals/").status_code == 200


def test_arabic_pages_are_rtl_and_translated(client, salon):
    open_programme(salon)
    referrer = UserFactory()
    with business_scope(salon.business):
        code = services.code_personal(
            business=salon.business, owner=referrer, now=NOW - timedelta(days=1)
        )
    html = client.get(f"/ar/r/{code.code}/").content.decode()
    assert 'dir="rtl"' in html and "احجز زيارتك الأولى" in html
