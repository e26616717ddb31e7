"""The support pages and API by audience: the public form and chat, the
client's own tickets, the salon's tickets, the console; who sees what."""

import base64

import pytest
from django.core import mail
from django.utils import timezone

from solibook.accounts.roles import Role
from solibook.support import services
from solibook.support.models import Attachment, CannedReply, Source, StaffPresence, Status, Ticket
from solibook.support.tests.helpers import PNG, open_ticket
from solibook.support.uploads import MAX_BYTES
from solibook.testing.factories import BusinessFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def test_guest_opens_a_ticket_and_reads_it_by_its_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/fr/support/",
            {
                "name": "Léa",
                "email": "lea@example.test",
                "subject": "Mon rendez-vous",
                "body": "Je ne peux pas annuler.",
                "attachments": [_file("capture.png", PNG, "image/png")],
            },
        )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == f"/fr/support/t/{ticket.token}/"
    assert ticket.language == "fr" and ticket.source == Source.WEB
    page = client.get(response.url)
    assert "Je ne peux pas annuler." in page.content.decode()
    attachment = Attachment.objects.get()
    # The file: with the ticket's link, yes; without it (another visitor), 404.
    assert client.get(f"/fr/support/files/{attachment.pk}/?t={ticket.token}").status_code == 200
    assert client.get(f"/fr/support/files/{attachment.pk}/").status_code == 404
    assert mail.outbox[0].to == ["lea@example.test"]


def test_oversized_attachment_on_the_page_is_a_clear_error(client):
    response = client.post(
        "/en/support/",
        {
            "email": "lea@example.test",
            "subject": "Photos",
            "body": "See",
            "attachments": [_file("big.png", PNG + b"\x00" * MAX_BYTES, "image/png")],
        },
    )
    assert response.status_code == 400
    assert "too large: attachments may be at most 5.0" in response.content.decode()
    assert not Ticket.objects.exists()


def test_chat_only_when_staff_are_online(client, agent):
    assert b"Chat with us now" not in client.get("/en/support/").content
    client.post("/en/support/chat/", {"chat-email": "g@example.test", "chat-body": "Hello?"})
    assert not Ticket.objects.exists()  # nobody online: back to the form
    StaffPresence.objects.create(user=agent, last_seen_at=timezone.now())
    home = client.get("/en/support/").content.decode()
    assert "Chat with us now" in home
    assert home.count('id="id_body"') == 1  # the chat's own ids: labels reach their field
    response = client.post(
        "/en/support/chat/", {"chat-email": "g@example.test", "chat-body": "Hello?"}
    )
    ticket = Ticket.objects.get()
    assert ticket.source == Source.CHAT and response.url == f"/en/support/t/{ticket.token}/"
    services.ticket_reply(
        ticket_id=ticket.pk, body="Hi! How can I help?", author=agent, as_staff=True
    )
    part = client.get(f"/en/support/t/{ticket.token}/messages/")
    assert b"How can I help?" in part.content


def test_heartbeat_is_support_staff_only(client, agent, moderator):
    client.force_login(moderator)
    assert client.post("/en/platform/support/heartbeat/").status_code == 403
    client.force_login(agent)
    assert client.post("/en/platform/support/heartbeat/").status_code == 200
    assert StaffPresence.objects.filter(user=agent).exists()


def test_a_client_sees_only_their_tickets(client, api_client):
    alice, bob = UserFactory(), UserFactory()
    mine = open_ticket(requester_email=alice.email, requester_account=alice)
    theirs = open_ticket(requester_email=bob.email, requester_account=bob)
    client.force_login(alice)
    assert mine.subject.encode() in client.get("/en/me/support/").content
    assert client.get(f"/en/me/support/{mine.pk}/").status_code == 200
    assert client.get(f"/en/me/support/{theirs.pk}/").status_code == 404
    assert client.post(f"/en/me/support/{theirs.pk}/", {"body": "x"}).status_code == 404
    api_client.force_authenticate(alice)
    listed = api_client.get("/api/v1/support/tickets/").json()
    assert [t["id"] for t in listed["results"]] == [mine.pk]
    assert api_client.get(f"/api/v1/support/tickets/{theirs.pk}/").status_code == 404
    answer = api_client.post(f"/api/v1/support/tickets/{theirs.pk}/replies/", {"body": "x"})
    assert answer.status_code == 404
    assert theirs.messages.count() == 1


def test_a_salon_sees_only_its_tickets(client, api_client, two_salons):
    a, b, *_ = two_salons
    owner_a = member(a, Role.OWNER)
    member(b, Role.OWNER)
    ticket_b = open_ticket(business=b, source=Source.OFFICE)
    client.force_login(owner_a)
    response = client.post(
        f"/en/office/{a.slug}/support/new/", {"subject": "Payouts late", "body": "Since Monday"}
    )
    ticket_a = Ticket.objects.get(business=a)
    assert response.url == f"/en/office/{a.slug}/support/{ticket_a.pk}/"
    assert ticket_a.priority == "high" and ticket_a.requester_account == owner_a
    assert client.get(f"/en/office/{a.slug}/support/{ticket_b.pk}/").status_code == 404
    assert b"Payouts late" in client.get(f"/en/office/{a.slug}/support/").content
    assert ticket_b.subject.encode() not in client.get(f"/en/office/{a.slug}/support/").content
    api_client.force_authenticate(owner_a)
    base = f"/api/v1/businesses/{a.pk}/support/tickets/"
    assert [t["id"] for t in api_client.get(base).json()["results"]] == [ticket_a.pk]
    assert api_client.get(f"{base}{ticket_b.pk}/").status_code == 404
    assert api_client.post(f"{base}{ticket_b.pk}/replies/", {"body": "x"}).status_code == 404
    assert api_client.get(f"/api/v1/businesses/{b.pk}/support/tickets/").status_code == 404


def test_receptionist_cannot_use_the_salon_support_pages(client):
    business = BusinessFactory()
    client.force_login(member(business, Role.RECEPTIONIST))
    assert client.get(f"/en/office/{business.slug}/support/").status_code == 403


def test_console_answers_with_a_canned_reply_in_the_requester_language(
    client, agent, django_capture_on_commit_callbacks
):
    canned = CannedReply.objects.create(
        title="Reset password",
        body_en="Use 'Forgot password'.",
        body_fr="Utilisez « Mot de passe oublié ».",
        body_ru="Нажмите «Забыли пароль».",
        body_ar="استخدم «نسيت كلمة المرور».",
    )
    ticket = open_ticket(language="ru")
    client.force_login(agent)
    page = client.get(f"/en/platform/support/{ticket.pk}/?canned={canned.pk}")
    assert "Нажмите «Забыли пароль».".encode() in page.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/en/platform/support/{ticket.pk}/",
            {"body": "Нажмите «Забыли пароль».", "status": Status.RESOLVED},
        )
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.first_responded_at is not None
    assert "Нажмите «Забыли пароль»." in mail.outbox[-1].body
    queue = client.get("/en/platform/support/?status=all")
    assert ticket.subject.encode() in queue.content


def test_console_api_reply_with_canned_and_filters(api_client, agent):
    canned = CannedReply.objects.create(
        title="Hi", body_en="Hello", body_fr="Bonjour", body_ru="Здравствуйте", body_ar="مرحبا"
    )
    ticket = open_ticket(language="ar")
    api_client.force_authenticate(agent)
    answer = api_client.post(
        f"/api/v1/platform/support/tickets/{ticket.pk}/replies/",
        {"canned_reply_id": canned.pk},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["messages"][-1]["body"] == "مرحبا"
    assert answer.json()["status"] == "waiting"
    queue = api_client.get("/api/v1/platform/support/tickets/?assignee=me").json()
    assert [t["id"] for t in queue["results"]] == [ticket.pk]
    assert queue["results"][0]["first_response"]["running"] is False


def test_console_is_refused_to_other_platform_roles_and_clients(client, api_client, moderator):
    ticket = open_ticket()
    client.force_login(moderator)
    assert client.get("/en/platform/support/").status_code == 403
    assert client.get(f"/en/platform/support/{ticket.pk}/").status_code == 403
    api_client.force_authenticate(UserFactory())
    assert api_client.get("/api/v1/platform/support/tickets/").status_code == 403


def test_assignment_only_to_support_staff(api_client, agent, moderator):
    ticket = open_ticket()
    api_client.force_authenticate(agent)
    url = f"/api/v1/platform/support/tickets/{ticket.pk}/assign/"
    refused = api_client.post(
        url, {"assignee_id": moderator.pk, "expected_assignee_id": None}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "not_support"
    ok = api_client.post(
        url, {"assignee_id": agent.pk, "expected_assignee_id": None}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["assignee_id"] == agent.pk
    assert ok.json()["status"] == "open"


def test_api_attachments_and_rating_once(api_client, agent):
    alice = UserFactory()
    api_client.force_authenticate(alice)
    created = api_client.post(
        "/api/v1/support/tickets/",
        {
            "subject": "Receipt",
            "body": "Attached",
            "attachments": [
                {
                    "name": "r.png",
                    "content_type": "image/png",
                    "data_base64": base64.b64encode(PNG).decode(),
                }
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    ticket_id = created.json()["id"]
    url = created.json()["messages"][0]["attachments"][0]["url"]
    assert api_client.get(url).status_code == 404  # pages are session-signed: see below
    services.ticket_set_status(ticket_id=ticket_id, status=Status.RESOLVED, actor=agent)
    rate = f"/api/v1/support/tickets/{ticket_id}/rating/"
    assert api_client.post(rate, {"rating": 5}, format="json").status_code == 200
    again = api_client.post(rate, {"rating": 2}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "rated"


def test_rating_page_once(client, agent):
    ticket = open_ticket()
    services.ticket_set_status(ticket_id=ticket.pk, status=Status.RESOLVED, actor=agent)
    url = f"/fr/support/t/{ticket.token}/rate/"
    assert client.post(url, {"rating": "5", "comment": "Parfait"}).status_code == 302
    second = client.post(url, {"rating": "1"})
    assert second.status_code == 409
    ticket.refresh_from_db()
    assert (ticket.rating, ticket.rating_comment) == (5, "Parfait")


def _file(name, data, content_type):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)
