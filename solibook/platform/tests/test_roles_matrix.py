"""Every back-office page and API endpoint, for every role: allowed or 403,
as docs/roles.md documents (generated from accounts/roles.py and the views)."""

from pathlib import Path

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

from solibook.accounts.models import Membership
from solibook.accounts.roles import Role
from solibook.platform.roles_matrix import endpoints, render_markdown, roles_with
from solibook.platform.tests.test_isolation import _kwargs_for_b, _objects_of
from solibook.testing.factories import BusinessFactory, LocationFactory, member

pytestmark = pytest.mark.django_db


def test_docs_roles_md_is_current():
    path = Path(settings.BASE_DIR) / "docs" / "roles.md"
    assert path.read_text(encoding="utf-8") == render_markdown(), (
        "docs/roles.md is stale: run `python manage.py roles_doc`"
    )


def test_every_endpoint_declares_a_capability_or_is_public():
    unchecked = [e for e in endpoints() if e.capability is None]
    # Only the marketplace's public reads of a salon take a business id without a capability.
    assert all(e.route.startswith("api/v1/salons/") for e in unchecked), unchecked


def _path(route: str, kwargs: dict) -> str:
    path = route
    for key, value in kwargs.items():
        for converter in ("id", "int", "slug", "str", "date", "path"):
            path = path.replace(f"<{converter}:{key}>", str(value))
    path = "/" + path.lstrip("/")
    if not path.startswith("/api/"):
        path = "/en" + path if not path.startswith("/en/") else path
    return path


@pytest.mark.parametrize("role", list(Role))
def test_every_role_gets_the_documented_answer_everywhere(client, api_client, role):
    business = BusinessFactory()
    location = LocationFactory(business=business)
    user = member(business, role)
    with scopes_disabled():
        membership = Membership.objects.get(user=user)
    known = _objects_of(business, location, membership)  # objects of the member's own business
    client.force_login(user)
    api_client.force_authenticate(user)
    client.raise_request_exception = False
    api_client.raise_request_exception = False
    checked, wrong = 0, []
    for endpoint in endpoints():
        if endpoint.capability is None:
            continue
        path = _path(
            endpoint.route, _kwargs_for_b(set(_converters(endpoint.route)), known, endpoint.route)
        )
        allowed = role.value in roles_with(endpoint.needs)
        if endpoint.kind == "page":
            response = client.get(path)
            if response.status_code == 405:
                response = client.post(path, {})
        else:
            response = getattr(api_client, endpoint.method.lower())(path, {}, format="json")
        status = response.status_code
        if (allowed and status == 403) or (not allowed and status != 403):
            wrong.append(
                f"{endpoint.method} {path}: {status} (expected {'allowed' if allowed else '403'})"
            )
        checked += 1
    assert not wrong, "\n".join(wrong)
    assert checked > 50


def _converters(route: str) -> list[str]:
    import re

    return re.findall(r"<\w+:(\w+)>", route)
