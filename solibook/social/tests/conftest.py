import pytest

from solibook.social.tests import fakenet


@pytest.fixture
def net(settings):
    """The networks' APIs on a local server; the sandbox off, as in production."""
    fake, server = fakenet.start()
    settings.SOCIAL_SANDBOX = False
    settings.SOCIAL_API_BASES = {
        "telegram": f"{fake.url}/telegram",
        "facebook": f"{fake.url}/facebook",
        "instagram": f"{fake.url}/instagram",
        "vk": f"{fake.url}/vk",
    }
    settings.NOTIFICATIONS_SITE_URL = "https://solibook.example"
    yield fake
    server.shutdown()
    server.server_close()
