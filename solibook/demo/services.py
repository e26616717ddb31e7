"""Writes of the demo app: a message kept in the demo inbox."""

from solibook.demo.models import InboxMessage

# The inbox keeps the newest messages only: a demo left running for weeks stays small.
INBOX_KEEP = 2000


def inbox_message_store(
    *,
    channel: str,
    to: str,
    text: str,
    subject: str = "",
    sender: str = "",
    link: str = "",
    language: str = "",
) -> InboxMessage:
    message = InboxMessage.objects.create(
        channel=channel,
        to=to[:254],
        text=text,
        subject=subject[:500],
        sender=sender[:254],
        link=link[:2000],
        language=language[:16],
    )
    if message.pk % 100 == 0:
        InboxMessage.objects.filter(pk__lte=message.pk - INBOX_KEEP).delete()
    return message
