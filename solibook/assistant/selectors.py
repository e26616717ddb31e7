"""Reads of the assistant: transcripts, the back office's conversation list."""

from django.db.models import QuerySet

from solibook.assistant.models import AssistantSettings, Conversation, Message
from solibook.core.tenancy import business_scope


def enabled(business) -> bool:
    with business_scope(business):
        found = AssistantSettings.objects.filter(business=business).first()
    return found is None or found.enabled


def messages_after(*, conversation: Conversation, after: int = 0) -> list[Message]:
    with business_scope(conversation.business):
        return list(
            Message.objects.filter(conversation=conversation, pk__gt=after)
            .select_related("staff")
            .order_by("id")
        )


def last_message_id(*, conversation: Conversation) -> int:
    with business_scope(conversation.business):
        last = Message.objects.filter(conversation=conversation).order_by("-id").first()
    return last.pk if last else 0


def conversations(*, business, mode: str = "") -> QuerySet[Conversation]:
    """The salon's conversations, latest first (inside the business's scope)."""
    found = Conversation.objects.filter(business=business).select_related("account")
    if mode:
        found = found.filter(mode=mode)
    return found.order_by("-last_message_at", "-id")
