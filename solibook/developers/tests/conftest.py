import pytest
from django.core.cache import cache

from solibook.developers.tests import subscriber


@pytest.fixture
def partner(settings):
    """A partner's receiver on this machine; loopback allowed, as in tests and
    the demo (the SSRF tests turn it off)."""
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOKS_TIMEOUT_SECONDS = 2
    settings.NOTIFICATIONS_SITE_URL = "https://solibook.example"
    cache.delete("developers:subscribed-businesses")
    sub, server = subscriber.start()
    yield sub
    server.shutdown()
    server.server_close()
