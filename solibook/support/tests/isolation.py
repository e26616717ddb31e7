"""Support objects for the cross-cutting isolation tests: business B's ticket
(platform/tests/test_isolation.py) and client B's ticket and attachment
(core/tests/test_user_isolation.py)."""

from django.utils import timezone

from solibook.support.models import Attachment, Author, Message, Source, Ticket


def _ticket(**fields) -> Ticket:
    now = timezone.now()
    return Ticket.objects.create(
        token=f"{Ticket.objects.count():032x}",
        subject="B's request",
        created_at=now,
        updated_at=now,
        first_response_due=now,
        resolution_due=now,
        **fields,
    )


def objects_of_b(b) -> dict:
    ticket = _ticket(business=b, requester_email="owner-b@example.test", source=Source.OFFICE)
    return {"ticket_id": ticket.pk}


def user_objects_of_b(user_b) -> dict:
    ticket = _ticket(requester_account=user_b, requester_email=user_b.email, source=Source.WEB)
    message = Message.objects.create(
        ticket=ticket,
        author_kind=Author.REQUESTER,
        body="B",
        via=Source.WEB,
        created_at=ticket.created_at,
    )
    # The file is never read: a refused request never opens it.
    attachment = Attachment.objects.create(
        message=message, file="support/b.png", name="b.png", content_type="image/png", size=1
    )
    return {"ticket_id": ticket.pk, "attachment_id": attachment.pk}
