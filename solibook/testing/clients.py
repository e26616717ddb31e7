"""Signed-in clients for tests (registered as fixtures in solibook/conftest.py).

Each is a fresh client of its own, so a test may also use the anonymous
`client` / `api_client` beside it."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from solibook.accounts.roles import Role
from solibook.testing.factories import member


def api_as(business, role: str = Role.OWNER) -> APIClient:
    """An API client authenticated as a new member of `business` with `role`."""
    api = APIClient()
    api.force_authenticate(member(business, role))
    return api


def pages_as(business, role: str = Role.OWNER) -> Client:
    """A page client signed in as a new member of `business` with `role`."""
    pages = Client()
    pages.force_login(member(business, role))
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
