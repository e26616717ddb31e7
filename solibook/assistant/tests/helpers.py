from django_scopes import scopes_disabled

from solibook.assistant.models import Message


def messages(**filters) -> list[Message]:
    """Every salon's transcript lines matching `filters` (tests read across salons)."""
    with scopes_disabled():
        return list(Message.objects.filter(**filters).order_by("id"))
