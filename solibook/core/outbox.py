"""The outbox: events written in the same transaction as the change they
describe, consumed later (notifications, free-time summaries, analytics).
A consumer marks what it has handled; nothing is lost if it crashes."""

from solibook.core.models import OutboxEvent


def outbox_emit(*, topic: str, business=None, payload: dict) -> OutboxEvent:
    return OutboxEvent.objects.create(topic=topic, business=business, payload=payload)
