import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from rest_framework.test import APIClient

from solibook.testing.factories import BusinessFactory, LocationFactory

# The live server accepts as many waiting connections as a race test opens
# at once (socketserver's default backlog of 5 resets the rest).
ThreadedWSGIServer.request_queue_size = 128


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def two_salons(db):
    """Two tenants, each with one location: the isolation tests' world."""
    a, b = BusinessFactory(name="Salon A"), BusinessFactory(name="Salon B")
    return a, b, LocationFactory(business=a), LocationFactory(business=b)


from solibook.testing.salon import salon  # noqa: E402, F401 - a fixture for every app's tests
