"""The demo's conversations are written through the real dialogue (solibook/demo/assistant.py)."""

from types import SimpleNamespace

import pytest
from django_scopes import scopes_disabled

from solibook.assistant.models import Author, Conversation, Mode
from solibook.demo.assistant import CONVERSATIONS, seed_assistant
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db


def test_demo_conversations_in_four_languages_one_taken_over(salon):
    owner = UserFactory()
    names = {name for name, *_ in CONVERSATIONS}
    catalogues = {name: SimpleNamespace(business=salon.business) for name in names}
    written = seed_assistant(catalogues, owners=dict.fromkeys(names, owner), now=NOW)
    assert written == len(CONVERSATIONS)
    with scopes_disabled():
        conversations = list(Conversation.objects.prefetch_related("messages"))
        assert {c.language for c in conversations} == {"en", "fr", "ru", "ar"}
        assert [c.mode for c in conversations].count(Mode.STAFF) == 1
        for conversation in conversations:
            authors = [m.author for m in conversation.messages.all()]
            assert Author.ASSISTANT in authors  # the dialogue answered
