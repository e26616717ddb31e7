"""This app's back-office pages and API answer 404 for another business
(the project-wide test in platform/tests/test_isolation.py covers them too; this
runs just ours, quickly)."""

import pytest
from django_scopes import scopes_disabled

from solibook.accounts.models import Membership
from solibook.accounts.roles import Role
from solibook.platform.tests.test_isolation import _kwargs_for_b, _objects_of, _tenant_routes
from solibook.testing.factories import member

pytestmark = pytest.mark.django_db


def test_our_tenant_urls_answer_404_for_another_business(client, api_client, two_salons):
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into

    load_into(Category)  # a transactional test before us may have flushed the taxonomy
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
        if "notification" not in route and "message-templates" not in route:
            continue
        path = route.replace("^", "").replace("$", "")
        for key, value in _kwargs_for_b(set(pattern.pattern.converters), known, route).items():
            for converter in ("id", "int", "slug", "str"):
                path = path.replace(f"<{converter}:{key}>", str(value))
        path = "/" + path.lstrip("/")
        if not path.startswith("/api/"):
            path = "/en" + path
        http = api_client if path.startswith("/api/") else client
        for method in ("get", "post", "put", "patch", "delete"):
            response = getattr(http, method)(path, {})
            assert response.status_code in (404, 405), (
                f"{method.upper()} {path} -> {response.status_code}"
            )
        checked += 1
    assert checked == 8
