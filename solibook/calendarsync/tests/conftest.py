from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from solibook.calendarsync.tests import fakegoogle, radicale_server

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(scope="session")
def radicale():
    """A real CalDAV server for the session; each test makes its own calendar."""
    server = radicale_server.start({"anna": "secret", "bob": "other"})
    yield server
    server.stop()


@pytest.fixture
def calendar_url(radicale, request, settings):
    settings.CALENDARSYNC_ALLOW_PRIVATE_URLS = True  # the server runs on 127.0.0.1
    name = "c" + str(abs(hash(request.node.nodeid)))[:12]
    return radicale.make_calendar("anna", name)


@pytest.fixture
def phone(radicale, calendar_url):
    """Anna's own phone, writing to her calendar."""
    return radicale.phone("anna", calendar_url)


@pytest.fixture
def google(settings):
    fake, server = fakegoogle.start()
    settings.GOOGLE_OAUTH_CLIENT_ID = fakegoogle.CLIENT_ID
    settings.GOOGLE_OAUTH_CLIENT_SECRET = fakegoogle.CLIENT_SECRET
    settings.GOOGLE_OAUTH_AUTH_URI = f"{fake.url}/auth"
    settings.GOOGLE_OAUTH_TOKEN_URI = f"{fake.url}/token"
    settings.GOOGLE_CALENDAR_API_ENDPOINT = f"{fake.url}/calendar/v3"
    yield fake
    server.shutdown()
    server.server_close()


def day_ahead(days: int = 3):
    return (datetime.now(tz=PARIS) + timedelta(days=days)).date()


def at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)
