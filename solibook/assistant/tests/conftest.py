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
