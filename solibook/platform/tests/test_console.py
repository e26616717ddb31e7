"""The operator console: each platform role reaches what its capabilities
allow (pages and API), the figures on constructed data, and support's
consented, audited, read-only visits into a salon's back office."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.accounts.access import platform_capabilities
from solibook.accounts.models import PlatformRoleGrant
from solibook.accounts.roles import PLATFORM_ROLE_CAPABILITIES, PlatformCapability, PlatformRole
from solibook.booking.models import Appointment, Source, Status
from solibook.catalog.models import Approval, Business
from solibook.core.errors import Forbidden
from solibook.core.models import AuditEvent
from solibook.platform import selectors, services
from solibook.testing.factories import BusinessFactory, LocationFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def staff(role: str | None = None, **fields):
    user = UserFactory(is_staff=True, **fields)
    if role:
        PlatformRoleGrant.objects.create(user=user, role=role)
    return user


@pytest.fixture
def pending():
    business = BusinessFactory(
        name="Salon en attente", approval_status=Approval.PENDING, is_listed=False
    )
    LocationFactory(business=business)
    return business


# page -> capability it needs
PAGES = {
    "/en/platform/": PlatformCapability.VIEW_CONSOLE,
    "/en/platform/salons/": PlatformCapability.VIEW_SALONS,
    "/en/platform/figures/": PlatformCapability.VIEW_PLATFORM_FINANCE,
    "/en/platform/promotions/": PlatformCapability.MANAGE_PROMOTIONS,
    "/en/platform/reviews/": PlatformCapability.MODERATE_REVIEWS,
    "/en/platform/audit/": PlatformCapability.VIEW_PLATFORM_AUDIT,
    "/en/platform/billing/": PlatformCapability.VIEW_PLATFORM_FINANCE,
    "/en/platform/commissions/disputes/": PlatformCapability.VIEW_PLATFORM_FINANCE,
    "/en/platform/referrals/": PlatformCapability.MANAGE_PLATFORM_FINANCE,
}


@pytest.mark.parametrize("role", list(PlatformRole))
def test_each_platform_role_reaches_exactly_its_pages(client, role, pending):
    client.force_login(staff(role))
    allowed = PLATFORM_ROLE_CAPABILITIES[role]
    for url, capability in PAGES.items():
        expected = 200 if capability in allowed else 403
        assert client.get(url).status_code == expected, (role, url)
    detail = client.get(f"/en/platform/salons/{pending.pk}/")
    assert detail.status_code == (200 if PlatformCapability.VIEW_SALONS in allowed else 403)
    approve = client.post(f"/en/platform/salons/{pending.pk}/approve/")
    pending.refresh_from_db()
    if PlatformCapability.MANAGE_SALONS in allowed:
        assert approve.status_code == 302 and pending.approval_status == Approval.APPROVED
    else:
        assert approve.status_code == 403 and pending.approval_status == Approval.PENDING


@pytest.mark.parametrize("role", list(PlatformRole))
def test_the_api_follows_the_same_roles(api_client, role):
    api_client.force_authenticate(staff(role))
    allowed = PlatformCapability.MODERATE_REVIEWS in PLATFORM_ROLE_CAPABILITIES[role]
    response = api_client.get("/api/v1/platform/review-moderation/")
    assert response.status_code == (200 if allowed else 403)
    finance = PlatformCapability.MANAGE_PLATFORM_FINANCE in PLATFORM_ROLE_CAPABILITIES[role]
    # Marking an invoice paid is a finance action: others are refused before any lookup.
    paid = api_client.post("/api/v1/platform/billing/invoices/999999/mark-paid/", {})
    assert paid.status_code == (404 if finance else 403)
    disputes = api_client.get("/api/v1/platform/commission-disputes/")
    assert disputes.status_code == (200 if finance else 403)


def test_outsiders_never_reach_the_console(client, pending):
    salon_owner = member(pending)
    for user in (None, salon_owner, UserFactory()):
        if user:
            client.force_login(user)
        for url in PAGES:
            response = client.get(url)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert client.post(f"/en/platform/salons/{pending.pk}/approve/").status_code == 302
    pending.refresh_from_db()
    assert pending.approval_status == Approval.PENDING


def test_support_cannot_do_finance_or_approval_even_by_calling_the_service(pending):
    support = staff(PlatformRole.SUPPORT)
    assert "manage_platform_finance" not in platform_capabilities(support)
    with pytest.raises(Forbidden):
        services.salon_approve(actor=support, business_id=pending.pk)
    with pytest.raises(Forbidden):
        services.salon_reject(actor=support, business_id=pending.pk, note="no")
    pending.refresh_from_db()
    assert pending.approval_status == Approval.PENDING
    # Staff without a grant are operators; a superuser has every capability.
    assert platform_capabilities(staff()) == frozenset(str(c) for c in PlatformCapability)
    assert not platform_capabilities(UserFactory())


def test_a_moderator_moderates_and_support_may_not():
    from solibook.reviews.services import review_moderate

    with pytest.raises(Forbidden):
        review_moderate(review_id=1, action="hide", actor=staff(PlatformRole.SUPPORT))


# --- figures ---------------------------------------------------------------------------


def _visit(business, location, *, start, status, price, source=Source.BACK_OFFICE, currency="EUR"):
    with scopes_disabled():
        return Appointment.objects.create(
            business=business,
            location=location,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            status=status,
            price_amount=price,
            currency=currency,
            source=source,
        )


def test_the_figures_add_up_on_constructed_data():
    now = datetime(2030, 6, 15, 12, 0, tzinfo=UTC)
    a, b = BusinessFactory(), BusinessFactory()
    la, lb = LocationFactory(business=a), LocationFactory(business=b)
    june, may, march_last_year = (
        datetime(2030, 6, 3, 9, tzinfo=UTC),
        datetime(2030, 5, 20, 9, tzinfo=UTC),
        datetime(2029, 3, 1, 9, tzinfo=UTC),
    )
    _visit(a, la, start=june, status=Status.COMPLETED, price=5000, source=Source.MARKETPLACE)
    _visit(b, lb, start=june, status=Status.COMPLETED, price=3000)
    _visit(a, la, start=june, status=Status.CONFIRMED, price=9900)  # booked, not yet paid
    _visit(a, la, start=june, status=Status.CANCELLED, price=7000)  # not a booking
    _visit(b, lb, start=may, status=Status.COMPLETED, price=2000, source=Source.MARKETPLACE)
    _visit(a, la, start=march_last_year, status=Status.COMPLETED, price=99999)  # too old
    _visit(a, la, start=june, status=Status.COMPLETED, price=1234, currency="RUB")  # other currency
    with scopes_disabled():
        Business.objects.filter(pk=a.pk).update(approved_at=datetime(2030, 5, 2, tzinfo=UTC))

    figures = selectors.platform_figures(
        currency="EUR",
        now=now,
        revenue_by_month={date(2030, 6, 1): 1200, date(2030, 5, 1): 300},
        lost_by_month={date(2030, 6, 1): 2},
        mrr=(5800, 2),
    )
    assert len(figures.months) == 12 and figures.months[-1] == date(2030, 6, 1)
    assert (figures.bookings[-1], figures.bookings[-2]) == (3, 1)
    assert (figures.marketplace_bookings[-1], figures.marketplace_bookings[-2]) == (1, 1)
    assert (figures.gross[-1], figures.gross[-2]) == (8000, 2000)
    assert (figures.take_rate[-1], figures.take_rate[-2]) == (15.0, 15.0)
    assert figures.salons_joined[-2] == 1 and figures.salons_lost[-1] == 2
    assert figures.totals == {
        "bookings": 4,
        "gross": 10000,
        "revenue": 1500,
        "take_rate": 15.0,
        "salons_lost": 2,
    }
    assert (figures.mrr, figures.paying_salons) == (5800, 2)


def test_the_figures_page_draws_its_charts_from_data(client):
    BusinessFactory(currency="EUR")
    client.force_login(staff(PlatformRole.FINANCE))
    page = client.get("/en/platform/figures/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="figures-data"' in html and "js/platform/figures.js" in html
    assert "<script>" not in html  # CSP: no inline script


def test_salon_health_counts_bookings_cancellations_and_complaints():
    business = BusinessFactory()
    location = LocationFactory(business=business)
    now = timezone.now()
    for status in (Status.CONFIRMED, Status.COMPLETED, Status.CANCELLED):
        _visit(business, location, start=now + timedelta(days=1), status=status, price=1000)
    health = selectors.salons_health([business.pk])[business.pk]
    assert (health.bookings, health.cancellations, health.complaints) == (2, 1, 0)
    assert health.cancellation_rate == 33


# --- support access ----------------------------------------------------------------------


def test_support_enters_only_with_consent_read_only_and_audited(client):
    business = BusinessFactory(name="Salon Confiance")
    LocationFactory(business=business)
    owner = member(business)
    support = staff(PlatformRole.SUPPORT)
    client.force_login(support)
    # No consent: refused, and the back office stays invisible.
    refused = client.post(f"/en/platform/salons/{business.pk}/support/", follow=True)
    assert "has not let platform support in" in refused.content.decode()
    assert client.get(f"/en/office/{business.slug}/").status_code == 404

    # The owner allows two hours from the back office's settings.
    client.force_login(owner)
    client.post(f"/en/office/{business.slug}/settings/support-access/", {"hours": "2"})
    business.refresh_from_db()
    assert business.support_access_until > timezone.now() + timedelta(minutes=110)

    client.force_login(support)
    entered = client.post(f"/en/platform/salons/{business.pk}/support/")
    assert entered["Location"] == f"/en/office/{business.slug}/"
    dashboard = client.get(f"/en/office/{business.slug}/")
    assert dashboard.status_code == 200
    assert "as platform support, with its consent, read only" in dashboard.content.decode()
    # Read only: a write is refused.
    write = client.post(f"/en/office/{business.slug}/locations/new/", {"name": "X"})
    assert write.status_code == 403
    visits = AuditEvent.objects.filter(business=business, action="platform.impersonated_request")
    assert visits.filter(data__method="GET").exists()
    # Another salon stays invisible.
    other = BusinessFactory(support_access_until=timezone.now() + timedelta(hours=1))
    assert client.get(f"/en/office/{other.slug}/").status_code == 404

    # The owner withdraws: support is out at once.
    client.force_login(owner)
    client.post(f"/en/office/{business.slug}/settings/support-access/", {"withdraw": "1"})
    client.force_login(support)
    session = client.session
    session["platform_impersonation"] = {"slug": business.slug, "business_id": business.pk}
    session.save()
    assert client.get(f"/en/office/{business.slug}/").status_code == 404


def test_a_finance_user_cannot_impersonate_even_with_consent(client):
    business = BusinessFactory(support_access_until=timezone.now() + timedelta(hours=1))
    client.force_login(staff(PlatformRole.FINANCE))
    assert client.post(f"/en/platform/salons/{business.pk}/support/").status_code == 403
    session = client.session
    session["platform_impersonation"] = {"slug": business.slug, "business_id": business.pk}
    session.save()
    assert client.get(f"/en/office/{business.slug}/").status_code == 404


def test_consent_hours_are_bounded():
    from solibook.core.errors import ValidationFailed

    business = BusinessFactory()
    with pytest.raises(ValidationFailed):
        services.support_access_grant(actor=None, business=business, hours=1000)
    business.refresh_from_db()
    assert business.support_access_until is None


def test_the_console_reads_revenue_lost_salons_and_mrr_from_billing(client):
    from solibook.billing.models import ChargeKind, Plan, Subscription
    from solibook.billing.plans import DEFAULT_PLANS
    from solibook.billing.services import charge_record, subscription_cancel

    now = timezone.now()
    paying, leaving = BusinessFactory(currency="EUR"), BusinessFactory(currency="EUR")
    with scopes_disabled():
        for business in (paying, leaving):
            Subscription.objects.create(
                business=business,
                # get_or_create: a transactional test run before this one in the
                # same worker flushes the plans the migration seeded.
                plan=Plan.objects.get_or_create(code="pro", defaults=DEFAULT_PLANS["pro"])[0],
                status=Subscription.Status.ACTIVE,
                currency="EUR",
                started_at=now,
                period_start=now.date().replace(day=1),
                period_end=now.date().replace(day=28),
                updated_at=now,
            )
    subscription_cancel(business=leaving)
    charge_record(
        business=paying,
        kind=ChargeKind.COMMISSION,
        amount=1500,
        currency="EUR",
        description="Commission",
        source="test:commission:1",
    )
    charge_record(
        business=paying,
        kind=ChargeKind.COMMISSION,
        amount=-500,
        currency="EUR",
        description="Refunded visit",
        source="test:commission:1:reversal",
        reverses="test:commission:1",
    )
    charge_record(
        business=paying,
        kind=ChargeKind.SUBSCRIPTION,
        amount=7900,
        currency="EUR",
        description="Pro",
        source="test:sub",
    )  # a subscription is not booking revenue
    location = LocationFactory(business=paying)
    _visit(paying, location, start=now, status=Status.COMPLETED, price=10000)
    figures = selectors.figures(currency="EUR", now=now)
    assert figures.platform_revenue[-1] == 1000  # net of the reversal
    assert figures.gross[-1] == 10000 and figures.take_rate[-1] == 10.0
    assert figures.salons_lost[-1] == 1
    assert (figures.mrr, figures.paying_salons) == (7900, 1)
    client.force_login(staff(PlatformRole.FINANCE))
    html = client.get("/en/platform/figures/").content.decode()
    assert '<div class="fs-4" data-testid="fig-take-rate">10.0 %</div>' in html
    assert 'data-testid="fig-lost">1<' in html
    salons = client.get("/en/platform/salons/").content.decode()
    assert "Pro" in salons


# --- API ---------------------------------------------------------------------------------


def test_the_console_api_lists_approves_and_refuses_like_the_pages(api_client, pending):
    api_client.force_authenticate(staff(PlatformRole.SUPPORT))
    listed = api_client.get("/api/v1/platform/salons/?status=pending")
    assert listed.status_code == 200
    assert [row["name"] for row in listed.json()] == ["Salon en attente"]
    assert listed.json()[0]["health"]["bookings"] == 0
    # Support sees salons but cannot approve them, nor read the figures.
    assert api_client.post(f"/api/v1/platform/salons/{pending.pk}/approve/").status_code == 403
    assert api_client.get("/api/v1/platform/figures/").status_code == 403

    api_client.force_authenticate(staff(PlatformRole.OPERATOR))
    empty = api_client.post(
        f"/api/v1/platform/salons/{pending.pk}/reject/",
        {"note": "  "},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert empty.status_code == 400
    assert empty.json()["error"]["fields"]["note"] == ["Dites ce que le salon doit modifier."]
    approved = api_client.post(f"/api/v1/platform/salons/{pending.pk}/approve/")
    assert approved.status_code == 200
    assert (approved.json()["approval_status"], approved.json()["is_listed"]) == ("approved", True)
    again = api_client.post(f"/api/v1/platform/salons/{pending.pk}/approve/")
    assert again.status_code == 409
    assert api_client.get("/api/v1/platform/salons/999999999/").status_code == 404
    figures = api_client.get("/api/v1/platform/figures/?currency=EUR")
    assert figures.status_code == 200 and len(figures.json()["months"]) == 12


def test_the_console_api_is_closed_to_salons_and_clients(api_client, pending):
    api_client.force_authenticate(member(pending))
    for url in ("/api/v1/platform/salons/", "/api/v1/platform/figures/"):
        assert api_client.get(url).status_code == 403
    assert api_client.post(f"/api/v1/platform/salons/{pending.pk}/approve/").status_code == 403
    pending.refresh_from_db()
    assert pending.approval_status == Approval.PENDING


def test_the_promotion_inventory_sums_each_placements_days(client):
    from solibook.marketplace.models import Promotion, PromotionDay

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
    [row] = selectors.promotion_inventory(today=today)
    assert (row.impressions, row.clicks, row.bookings, row.spend, row.current) == (
        150,
        10,
        3,
        1500,
        True,
    )
    client.force_login(staff(PlatformRole.FINANCE))
    html = client.get("/en/platform/promotions/").content.decode()
    assert "Salon Boost" in html and "€15.00" in html
    client.force_login(staff(PlatformRole.MODERATOR))
    assert client.get("/en/platform/promotions/").status_code == 403


def test_the_demo_has_a_login_per_platform_role():
    from django.contrib.auth.hashers import make_password

    from solibook.demo.platform_staff import PLATFORM_STAFF, make_platform_staff

    made = make_platform_staff(password_hash=make_password("x"), now=timezone.now())
    roles = {PlatformRoleGrant.objects.get(user=u).role for u in made}
    assert roles == {PlatformRole.FINANCE, PlatformRole.SUPPORT, PlatformRole.MODERATOR}
    assert all(u.is_staff and not u.is_superuser for u in made)
    assert len(PLATFORM_STAFF) == 3


def test_the_salon_page_shows_its_invoices_to_finance_only(client):
    from solibook.billing.models import Invoice

    business = BusinessFactory(name="Salon Facture")
    now = timezone.now()
    with scopes_disabled():
        Invoice.objects.create(
            business=business,
            series="INV-2030",
            sequence=7,
            number="INV-2030-000007",
            period_start=now.date(),
            period_end=now.date(),
            issued_at=now,
            due_at=now,
            currency="EUR",
            total=3480,
            net_total=2900,
            tax_total=580,
        )
    client.force_login(staff(PlatformRole.FINANCE))
    assert "INV-2030-000007" in client.get(f"/en/platform/salons/{business.pk}/").content.decode()
    client.force_login(staff(PlatformRole.SUPPORT))
    assert (
        "INV-2030-000007" not in client.get(f"/en/platform/salons/{business.pk}/").content.decode()
    )
