"""Business B's assistant conversation, for platform/tests/test_isolation.py
(every URL taking one must 404 for A)."""

from django_scopes import scopes_disabled


def objects_of_b(b) -> dict:
    from solibook.assistant.models import Conversation, Message

    with scopes_disabled():
        conversation = Conversation.objects.create(
            business=b, channel="web", external_id="b-conversation-secret", mode="handover"
        )
        Message.objects.create(
            business=b, conversation=conversation, author="client", text="B's question"
        )
    return {"conversation_id": conversation.pk}
