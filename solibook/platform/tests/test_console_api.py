"""Every page of the operator console has its API, open to exactly the same
platform roles: salons, figures, commission disputes, invoices and payments,
credits, the promotion inventory, review moderation, referral partners.
The API's writes are the pages' services: a credit lands on the salon's next
invoice, a regenerated invoice never reuses a number; bad input is refused in
the caller's language and writes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from solibook.accounts.access import platform_capabilities
from solibook.accounts.models import PlatformRoleGrant
from solibook.accounts.roles import PlatformCapability, PlatformRole
from solibook.billing import services as billing
from solibook.billing.models import Charge, ChargeKind, Invoice
from solibook.marketplace.models import Promotion, PromotionDay
from solibook.testing.factories import BusinessFactory, LocationFactory, UserFactory, member

pytestmark = pytest.mark.django_db

CAN = PlatformCapability

# console page -> its API twin (GET), both asking the same capability
TWINS = {
    "/en/platform/salons/": ("/api/v1/platform/salons/", CAN.VIEW_SALONS),
    "/en/platform/figures/": ("/api/v1/platform/figures/", CAN.VIEW_PLATFORM_FINANCE),
    "/en/platform/promotions/": ("/api/v1/platform/promotions/", CAN.MANAGE_PROMOTIONS),
    "/en/platform/reviews/": ("/api/v1/platform/review-moderation/", CAN.MODERATE_REVIEWS),
    "/en/platform/billing/": ("/api/v1/platform/invoices/", CAN.VIEW_PLATFORM_FINANCE),
    "/en/platform/commissions/disputes/": (
        "/api/v1/platform/commission-disputes/",
        CAN.VIEW_PLATFORM_FINANCE,
    ),
    "/en/platform/referrals/": ("/api/v1/platform/partners/", CAN.MANAGE_PLATFORM_FINANCE),
}


def _api(role) -> APIClient:
    user = UserFactory(is_staff=True)
    PlatformRoleGrant.objects.create(user=user, role=role)
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.mark.parametrize("role", list(PlatformRole))
def test_each_console_page_has_an_api_twin_open_to_the_same_roles(client, role):
    user = UserFactory(is_staff=True)
    PlatformRoleGrant.objects.create(user=user, role=role)
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    allowed = platform_capabilities(user)
    for page, (url, capability) in TWINS.items():
        expected = 200 if str(capability) in allowed else 403
        assert client.get(page).status_code == expected, page
        assert api.get(url).status_code == expected, url
    # Salons' members and clients never reach them.
    outsider = APIClient()
    outsider.force_authenticate(member(BusinessFactory()))
    for url, _capability in TWINS.values():
        assert outsider.get(url).status_code == 403, url


def test_the_promotion_inventory_api_sums_each_placements_days():
    business = BusinessFactory(name="Salon Boost")
    today = timezone.now().date()
    promotion = Promotion.objects.create(
        business=business,
        city_slug="lyon",
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=3),
        mode=Promotion.Mode.DAILY_BUDGET,
        daily_budget=2000,
        currency="EUR",
    )
    for offset, (shown, clicks, booked, spent) in enumerate([(100, 7, 1, 500), (50, 3, 2, 1000)]):
        PromotionDay.objects.create(
            promotion=promotion,
            day=today - timedelta(days=offset),
            impressions=shown,
            clicks=clicks,
            bookings=booked,
            spent=spent,
        )
    [row] = _api(PlatformRole.FINANCE).get("/api/v1/platform/promotions/").json()
    assert row["salon"] == "Salon Boost" and row["current"] is True
    assert (row["impressions"], row["clicks"], row["bookings"], row["spend"]) == (150, 10, 3, 1500)
    assert (row["mode"], row["daily_budget"], row["currency"]) == ("daily_budget", 2000, "EUR")


def test_finance_credits_a_salon_and_bad_credits_write_nothing():
    business = BusinessFactory(currency="EUR")
    LocationFactory(business=business)
    finance = _api(PlatformRole.FINANCE)
    credited = finance.post(
        "/api/v1/platform/credits/",
        {"business_id": business.pk, "amount": 1500, "description": "Sorry for the outage"},
        format="json",
    )
    assert credited.status_code == 201, credited.content
    assert (credited.json()["amount"], credited.json()["currency"]) == (-1500, "EUR")
    with scopes_disabled():
        [charge] = Charge.objects.filter(business=business)
    assert (charge.kind, charge.amount) == (ChargeKind.CREDIT, -1500)

    finance.credentials(HTTP_ACCEPT_LANGUAGE="fr")
    zero = finance.post(
        "/api/v1/platform/credits/",
        {"business_id": business.pk, "amount": 0, "description": "x"},
        format="json",
    )
    assert zero.status_code == 400
    assert zero.json()["error"]["fields"]["amount"] == ["Saisissez un montant positif."]
    nobody = finance.post(
        "/api/v1/platform/credits/",
        {"business_id": 999_999_999, "amount": 100, "description": "x"},
        format="json",
    )
    assert nobody.status_code == 404
    assert nobody.json()["error"]["message"] == "Salon introuvable."
    support = _api(PlatformRole.SUPPORT)
    assert (
        support.post(
            "/api/v1/platform/credits/",
            {"business_id": business.pk, "amount": 100, "description": "x"},
            format="json",
        ).status_code
        == 403
    )
    with scopes_disabled():
        assert Charge.objects.filter(business=business).count() == 1


def test_a_regenerated_invoice_never_reuses_its_number():
    business = BusinessFactory(currency="EUR", country="FR")
    LocationFactory(business=business)
    billing.charge_record(
        business=business,
        kind=ChargeKind.PROMOTION,
        amount=4000,
        currency="EUR",
        description="Boost",
        source="test:boost:1",
    )
    invoice = billing.invoice_issue(business=business)
    assert invoice is not None
    finance = _api(PlatformRole.FINANCE)
    listed = finance.get("/api/v1/platform/invoices/").json()
    row = next(r for r in listed if r["id"] == invoice.pk)
    assert (row["number"], row["status"], row["amount_due"]) == (
        invoice.number,
        "open",
        invoice.total,
    )
    # A moderator cannot regenerate; finance can, and the old number stays with the void one.
    url = f"/api/v1/platform/invoices/{invoice.pk}/regenerate/"
    assert _api(PlatformRole.MODERATOR).post(url).status_code == 403
    new = finance.post(url)
    assert new.status_code == 201, new.content
    assert new.json()["number"] != invoice.number and new.json()["total"] == invoice.total
    with scopes_disabled():
        invoice.refresh_from_db()
        numbers = list(Invoice.objects.filter(business=business).values_list("number", flat=True))
    assert invoice.status == Invoice.Status.VOID
    assert len(numbers) == len(set(numbers)) == 2
    # A void invoice cannot be regenerated again; nothing new is numbered.
    again = finance.post(url)
    assert again.status_code in (400, 409)
    with scopes_disabled():
        assert Invoice.objects.filter(business=business).count() == 2
    voids = finance.get("/api/v1/platform/invoices/", {"status": "void"}).json()
    assert [r["number"] for r in voids if r["business_id"] == business.pk] == [invoice.number]
    assert finance.post("/api/v1/platform/invoices/999999999/regenerate/").status_code == 404
