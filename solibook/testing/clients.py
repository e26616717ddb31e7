"""Signed-in clients for tests (registered as fixtures in solibook/conftest.py).

Each is a fresh client of its own, so a test may also use the anonymous
`client` / `api_client` beside it."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from solibook.accounts.roles import Role
from solibook.testing.factories import member


def sign_in(client: Client | APIClient, business, role: str = Role.OWNER):
    """Sign `client` (pages or API) in as a new member of `business` with `role`; the member."""
    user = member(business, role)
    if isinstance(client, APIClient):
        client.force_authenticate(user)
    else:
        client.force_login(user)
    return user


def api_as(business, role: str = Role.OWNER) -> APIClient:
    """A new API client authenticated as a new member of `business` with `role`."""
    api = APIClient()
    sign_in(api, business, role)
    return api


def pages_as(business, role: str = Role.OWNER) -> Client:
    """A new page client signed in as a new member of `business` with `role`."""
    pages = Client()
    sign_in(pages, business, role)
    return pages


@pytest.fixture
def owner_api(salon) -> APIClient:
    """The API, as an owner of the `salon` fixture's business."""
    return api_as(salon.business, Role.OWNER)


@pytest.fixture
def desk_api(salon) -> APIClient:
    """The API, as a receptionist of the `salon` fixture's business."""
    return api_as(salon.business, Role.RECEPTIONIST)


@pytest.fixture
def owner_pages(salon) -> Client:
    """The back-office pages, signed in as an owner of the `salon` fixture's business."""
    return pages_as(salon.business, Role.OWNER)
