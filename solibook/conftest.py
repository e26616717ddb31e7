import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.utils import translation
from rest_framework.test import APIClient

from solibook.booking.selectors import catalog_snapshot_cache_clear
from solibook.testing.factories import BusinessFactory, LocationFactory

# The live server accepts as many waiting connections as a race test opens
# at once (socketserver's default backlog of 5 resets the rest).
ThreadedWSGIServer.request_queue_size = 128


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A page rendered in Arabic activates Arabic for the thread; without this
    the next test would silently run in that language."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_catalogue_snapshots():
    """The per-process catalogue snapshot cache is keyed on (location id, catalogue
    version); rolled-back tests reuse both, so each test starts with it empty."""
    catalog_snapshot_cache_clear()
    yield
    catalog_snapshot_cache_clear()


@pytest.fixture(autouse=True)
def _taxonomy_loaded(request):
    """The service taxonomy comes from a data migration; a transactional test's
    flush removes it for whichever test runs next in that process (the order
    differs from run to run under xdist). Tests that use the database find it
    there, as a migrated database has it."""
    uses_db = bool(request.node.get_closest_marker("django_db"))
    for name in ("transactional_db", "db"):  # asked for by argument: open it first
        if not uses_db and name in request.fixturenames:
            request.getfixturevalue(name)
            uses_db = True
    if uses_db:
        from solibook.catalog.models import Category
        from solibook.catalog.taxonomy import load_into

        if not Category.objects.exists():
            load_into(Category)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def two_salons(db):
    """Two tenants, each with one location: the isolation tests' world."""
    a, b = BusinessFactory(name="Salon A"), BusinessFactory(name="Salon B")
    return a, b, LocationFactory(business=a), LocationFactory(business=b)


from solibook.testing.clients import desk_api, owner_api, owner_pages  # noqa: E402, F401
from solibook.testing.salon import salon  # noqa: E402, F401 - a fixture for every app's tests
