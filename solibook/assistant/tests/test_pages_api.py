"""The widget's fragments, the back office's inbox and settings, and their API:
the same services, tenant isolation, secrets never shown back."""

import pytest
from django.urls import reverse

from solibook.accounts.roles import Role
from solibook.assistant import services
from solibook.assistant.models import Author, Conversation, Mode
from solibook.assistant.tests.helpers import messages
from solibook.core.tenancy import business_scope
from solibook.testing.clients import api_as, pages_as
from solibook.testing.factories import BusinessFactory

pytestmark = pytest.mark.django_db


def test_the_widget_talks_and_keeps_its_conversation(client, salon):
    slug = salon.business.slug
    panel = client.get(reverse("assistant:panel", args=[slug]))
    assert panel.status_code == 200 and b'id="assistant-log"' in panel.content
    sent = client.post(reverse("assistant:send", args=[slug]), {"text": "How much is a haircut?"})
    assert sent.status_code == 200
    assert b"Cut" in sent.content and b"assistant-line-client" in sent.content
    client.post(reverse("assistant:send", args=[slug]), {"text": "hello"})
    with business_scope(salon.business):
        (conversation,) = Conversation.objects.all()
        assert conversation.messages.filter(author=Author.CLIENT).count() == 2
        # Staff answer after a take-over reaches the widget by polling.
        last = conversation.messages.order_by("-id").first().pk
    services.staff_reply(
        business=salon.business, conversation_id=conversation.pk, actor=None, text="Hi, Léa here"
    )
    polled = client.get(reverse("assistant:poll", args=[slug]), {"after": last})
    assert "Léa here" in polled.content.decode()
    assert client.get(reverse("assistant:poll", args=[slug]), {"after": "x"}).status_code == 204


def test_the_widget_is_on_the_salons_page(client, salon):
    page = client.get(reverse("marketplace:salon", args=[salon.business.slug]))
    assert b"assistant/widget.js" in page.content and b"data-assistant-toggle" in page.content


def test_inbox_take_over_and_reply_pages(salon, chat):
    c = chat()
    c.say("I want to talk to a person")
    pages = pages_as(salon.business, Role.RECEPTIONIST)
    slug = salon.business.slug
    listing = pages.get(reverse("assistant:conversation_list", args=[slug]))
    assert listing.status_code == 200 and f"#{c.conversation.pk}".encode() in listing.content
    detail = reverse("assistant:conversation_detail", args=[slug, c.conversation.pk])
    assert "talk to a person" in pages.get(detail).content.decode()
    pages.post(reverse("assistant:conversation_take_over", args=[slug, c.conversation.pk]))
    c.conversation.refresh_from_db()
    assert c.conversation.mode == Mode.STAFF
    assert pages.post(detail, {"text": ""}).status_code == 400
    assert pages.post(detail, {"text": "We'll call you back"}).status_code == 302
    assert bool(messages(author=Author.STAFF, text="We'll call you back"))
    assert c.say("thanks") == []
    pages.post(reverse("assistant:conversation_release", args=[slug, c.conversation.pk]))
    assert c.say("thanks")


def test_settings_page_never_shows_a_secret(salon):
    pages = pages_as(salon.business, Role.OWNER)
    url = reverse("assistant:settings", args=[salon.business.slug])
    response = pages.post(
        url,
        {
            "enabled": "",
            "telegram_bot_token": "123:SECRET-BOT-TOKEN",
            "whatsapp_app_secret": "APPSECRET",
        },
    )
    assert response.status_code == 302
    page = pages.get(url).content.decode()
    assert "SECRET-BOT-TOKEN" not in page and "APPSECRET" not in page
    found = services.settings_for(business=salon.business)
    assert not found.enabled and found.telegram_bot_token == "123:SECRET-BOT-TOKEN"
    # Saved again with the secret fields empty: the secrets stay.
    pages.post(url, {"enabled": "on"})
    found.refresh_from_db()
    assert found.enabled and found.whatsapp_app_secret == "APPSECRET"
    # A receptionist reads the inbox but not the settings.
    assert pages_as(salon.business, Role.RECEPTIONIST).get(url).status_code == 403


def test_api_chat_and_inbox(api_client, salon):
    start = api_client.post(
        reverse("assistant_api:chat_start", args=[salon.business.slug]),
        {"language": "en"},
        format="json",
    )
    assert start.status_code == 201
    token = start.json()["token"]
    url = reverse("assistant_api:chat_messages", args=[token])
    said = api_client.post(url, {"text": "How much is a haircut?"}, format="json")
    assert said.status_code == 200 and "Cut" in said.json()[0]["text"]
    assert [m["author"] for m in api_client.get(url).json()] == ["client", "assistant"]
    assert api_client.post(url, {"text": ""}, format="json").status_code == 400
    owner = api_as(salon.business)
    base = f"/api/v1/businesses/{salon.business.pk}/assistant/"
    (row,) = owner.get(f"{base}conversations/").json()["results"]
    taken = owner.post(f"{base}conversations/{row['id']}/take-over/")
    assert taken.json()["mode"] == "staff"
    answered = owner.post(f"{base}conversations/{row['id']}/reply/", {"text": "Hi!"}, format="json")
    assert answered.status_code == 201
    assert owner.get(f"{base}conversations/{row['id']}/").json()["messages"][-1]["text"] == "Hi!"
    put = owner.put(f"{base}settings/", {"telegram_bot_token": "1:TOKEN"}, format="json")
    assert put.status_code == 200 and "1:TOKEN" not in put.content.decode()
    assert put.json()["telegram_connected"] is True


def test_another_salons_conversation_is_404(salon, chat):
    c = chat()
    c.say("hello")
    other = BusinessFactory()
    outsider = api_as(other)
    base = f"/api/v1/businesses/{other.pk}/assistant/conversations/{c.conversation.pk}/"
    assert outsider.get(base).status_code == 404
    assert outsider.post(f"{base}take-over/").status_code == 404
    assert outsider.post(f"{base}reply/", {"text": "x"}, format="json").status_code == 404
    pages = pages_as(other)
    detail = reverse("assistant:conversation_detail", args=[other.slug, c.conversation.pk])
    assert pages.get(detail).status_code == 404
    # A stranger's API client cannot read the conversation by guessing.
    assert outsider.get(reverse("assistant_api:chat_messages", args=["x" * 32])).status_code == 404
