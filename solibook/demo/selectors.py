"""Reads of the demo app."""

import re

from django.db.models import Q, QuerySet

from solibook.demo.models import InboxMessage

_PHONE_LIKE = re.compile(r"[+\d\s().-]+")


def inbox_messages(*, to: str = "") -> QuerySet[InboxMessage]:
    """The inbox, newest first; `to` narrows it to a recipient: an e-mail
    address (any case) or a phone number however it is spaced."""
    messages = InboxMessage.objects.order_by("-created_at", "-id")
    to = to.strip()
    if not to:
        return messages
    match = Q(to__iexact=to) | Q(to__icontains=to)
    if _PHONE_LIKE.fullmatch(to):
        compact = re.sub(r"[^\d+]", "", to)
        if compact.strip("+"):
            match |= Q(to__icontains=compact)
    return messages.filter(match)
