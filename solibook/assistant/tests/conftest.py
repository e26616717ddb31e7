import pytest

from solibook.assistant import services
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW


@pytest.fixture
def account(db):
    return UserFactory(full_name="Amira Haddad")


@pytest.fixture
def chat(salon):
    """Talk to the salon's assistant on the site, as a guest or an account."""

    class Chat:
        def __init__(self, account=None, language="en"):
            self.account = account
            self.conversation = services.conversation_start(
                business=salon.business, channel="web", language=language, account=account
            )
            self.replies = []

        def say(self, text, now=NOW):
            self.replies = services.assistant_reply(
                conversation=self.conversation, text=text, account=self.account, now=now
            )
            self.conversation.refresh_from_db()
            return self.replies

        @property
        def text(self):
            return "\n".join(r.text for r in self.replies)

        def choice(self, index=0):
            return self.say(self.replies[-1].choices[index]["value"])

    return Chat


@pytest.fixture
def net(settings):
    """The messengers' APIs and a chat-completions server on a local server."""
    from solibook.assistant.tests import fakenet

    fake, server = fakenet.start()
    settings.ASSISTANT_API_BASES = {
        "telegram": f"{fake.url}/telegram",
        "whatsapp": f"{fake.url}/whatsapp",
    }
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def sms_code(monkeypatch):
    """Every one-time code the wizard's service draws is 123456 (it draws it
    with `secrets.randbelow`); the SMS itself goes to the test's provider."""
    import secrets

    monkeypatch.setattr(secrets, "randbelow", lambda n: 123456)
    return "123456"
