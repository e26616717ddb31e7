"""Every finance URL taking a business answers 404 for another business (the
platform isolation test's walk, limited to this app's routes)."""

import pytest
from django_scopes import scopes_disabled

from solibook.accounts.models import Membership
from solibook.accounts.roles import Role
from solibook.platform.tests.test_isolation import _kwargs_for_b, _objects_of, _tenant_routes
from solibook.testing.factories import member

pytestmark = pytest.mark.django_db


def test_finance_urls_are_404_for_another_business(client, api_client, two_salons):
    a, b, _location_a, location_b = two_salons
    owner_a = member(a, Role.OWNER)
    member(b, Role.OWNER)
    with scopes_disabled():
        membership_b = Membership.objects.filter(business=b).first()
    client.force_login(owner_a)
    api_client.force_authenticate(owner_a)
    known = _objects_of(b, location_b, membership_b)
    checked = 0
    for route, pattern in _tenant_routes():
        if "finance" not in route:
            continue
        kwargs = _kwargs_for_b(set(pattern.pattern.converters), known, route)
        path = route.replace("^", "").replace("$", "")
        for key, value in kwargs.items():
            for converter in ("id", "int", "slug", "str"):
                path = path.replace(f"<{converter}:{key}>", str(value))
        path = "/" + path.lstrip("/")
        if not path.startswith("/api/"):
            path = "/en" + path if not path.startswith("/en/") else path
        http = api_client if path.startswith("/api/") else client
        for method in ("get", "post", "patch"):
            response = getattr(http, method)(path, {})
            assert response.status_code in (404, 405), (
                f"{method.upper()} {path} -> {response.status_code}"
            )
        checked += 1
    assert checked >= 30


def test_own_business_url_with_another_business_ids_is_404(client, api_client, two_salons):
    a, b, _location_a, location_b = two_salons
    owner_a = member(a, Role.OWNER)
    member(b, Role.OWNER)
    with scopes_disabled():
        membership_b = Membership.objects.filter(business=b).first()
    known = _objects_of(b, location_b, membership_b)
    api_client.force_authenticate(owner_a)
    client.force_login(owner_a)
    api = f"/api/v1/businesses/{a.pk}/finance/"
    assert api_client.get(f"{api}checkouts/{known['checkout_id']}/").status_code == 404
    assert (
        api_client.post(
            f"{api}payments/{known['payment_id']}/refunds/",
            {"amount": 1, "reason": "goodwill"},
            format="json",
        ).status_code
        == 404
    )
    assert api_client.post(f"{api}memberships/{known['membership_id']}/cancel/").status_code == 404
    assert (
        api_client.post(
            f"{api}appointments/{known['appointment_id']}/deposit/",
            {"tender": "cash"},
            format="json",
        ).status_code
        == 404
    )
    pages = f"/en/office/{a.slug}/finance/"
    assert client.get(f"{pages}checkouts/{known['checkout_id']}/").status_code == 404
    assert client.get(f"{pages}checkouts/{known['checkout_id']}/receipt.pdf").status_code == 404
    assert (
        client.post(
            f"{pages}checkouts/{known['checkout_id']}/refund/",
            {"reason": "goodwill"},
        ).status_code
        == 404
    )
    assert client.get(f"{pages}checkout/?appointment={known['appointment_id']}").status_code == 404
