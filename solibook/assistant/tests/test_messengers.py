"""WhatsApp Cloud API and Telegram Bot API webhooks against a local server
that checks every request: signatures, the verify handshake, replies sent
through each API, a replayed update processed once, staff answers."""

import hashlib
import hmac
import json

import pytest
from django.urls import reverse

from solibook.assistant import services
from solibook.assistant.models import Author, Channel, Conversation, Mode
from solibook.assistant.tests import fakenet
from solibook.assistant.tests.helpers import messages
from solibook.core.tenancy import business_scope
from solibook.testing.factories import BusinessFactory

pytestmark = pytest.mark.django_db

APP_SECRET = "wa-app-secret-for-tests"


@pytest.fixture
def hooks(salon):
    services.assistant_settings_update(
        business=salon.business,
        actor=None,
        telegram_bot_token=fakenet.TELEGRAM_TOKEN,
        whatsapp_phone_number_id=fakenet.WHATSAPP_PHONE_ID,
        whatsapp_access_token=fakenet.WHATSAPP_TOKEN,
        whatsapp_app_secret=APP_SECRET,
    )
    return services.settings_for(business=salon.business)


def telegram_update(update_id=1, text="hello", chat_id=4242, language="en"):
    return {
        "update_id": update_id,
        "message": {
            "message_id": 10,
            "from": {
                "id": chat_id,
                "is_bot": False,
                "first_name": "Ana",
                "language_code": language,
            },
            "chat": {"id": chat_id, "type": "private"},
            "date": 1_900_000_000,
            "text": text,
        },
    }


def post_telegram(client, hooks, update, secret=None):
    return client.post(
        reverse("assistant_api:telegram_hook", args=[hooks.webhook_key]),
        data=json.dumps(update),
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": secret or hooks.telegram_secret_token},
    )


def whatsapp_payload(message_id="wamid.IN1", text="hello", sender="33612345678"):
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "WABA",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"phone_number_id": fakenet.WHATSAPP_PHONE_ID},
                            "messages": [
                                {
                                    "from": sender,
                                    "id": message_id,
                                    "timestamp": "1900000000",
                                    "type": "text",
                                    "text": {"body": text},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


def post_whatsapp(client, hooks, payload, secret=APP_SECRET):
    raw = json.dumps(payload).encode()
    signature = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return client.post(
        reverse("assistant_api:whatsapp_hook", args=[hooks.webhook_key]),
        data=raw,
        content_type="application/json",
        headers={"X-Hub-Signature-256": f"sha256={signature}"},
    )


def test_telegram_answers_through_send_message_and_a_replay_is_processed_once(client, hooks, net):
    update = telegram_update(text="How much is a haircut?")
    assert post_telegram(client, hooks, update).status_code == 200
    (sent,) = net.calls("sendMessage")
    assert sent.body["chat_id"] == "4242"
    assert "Cut" in sent.body["text"] and "45" in sent.body["text"]
    assert post_telegram(client, hooks, update).status_code == 200  # Telegram retried
    assert len(net.calls("sendMessage")) == 1
    assert len(messages(author=Author.CLIENT)) == 1


def test_telegram_refuses_a_wrong_secret(client, hooks, net):
    response = post_telegram(client, hooks, telegram_update(), secret="not-the-secret")
    assert response.status_code == 401
    assert net.seen == [] and not messages()


def test_whatsapp_verify_handshake(client, hooks):
    url = reverse("assistant_api:whatsapp_hook", args=[hooks.webhook_key])
    ok = client.get(
        url,
        {
            "hub.mode": "subscribe",
            "hub.verify_token": hooks.whatsapp_verify_token,
            "hub.challenge": "1158201444",
        },
    )
    assert ok.status_code == 200 and ok.content == b"1158201444"
    wrong = client.get(
        url, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}
    )
    assert wrong.status_code == 403


def test_whatsapp_checks_the_signature_and_replies_through_the_graph_api(client, hooks, net):
    assert post_whatsapp(client, hooks, whatsapp_payload(), secret="forged").status_code == 401
    assert net.seen == [] and not messages()
    assert post_whatsapp(client, hooks, whatsapp_payload()).status_code == 200
    (sent,) = net.calls("/messages")
    assert sent.headers["authorization"] == f"Bearer {fakenet.WHATSAPP_TOKEN}"
    assert sent.body["to"] == "33612345678" and sent.body["text"]["body"]
    assert post_whatsapp(client, hooks, whatsapp_payload()).status_code == 200  # replayed
    assert len(net.calls("/messages")) == 1


def test_staff_answer_goes_out_on_the_same_channel(
    client, hooks, net, salon, django_capture_on_commit_callbacks
):
    post_telegram(client, hooks, telegram_update(text="I want to talk to a person"))
    with business_scope(salon.business):
        conversation = Conversation.objects.get(channel=Channel.TELEGRAM)
    with django_capture_on_commit_callbacks(execute=True):
        services.staff_reply(
            business=salon.business,
            conversation_id=conversation.pk,
            actor=None,
            text="Hello Ana, Léa here: what can I do for you?",
        )
    assert net.calls("sendMessage")[-1].body["text"].startswith("Hello Ana, Léa here")
    conversation.refresh_from_db()
    assert conversation.mode == Mode.STAFF
    before = len(net.calls("sendMessage"))
    post_telegram(client, hooks, telegram_update(update_id=2, text="How much is a cut?"))
    assert len(net.calls("sendMessage")) == before  # the assistant is silent now


def test_a_salons_webhook_key_reaches_only_that_salon(client, hooks, net, salon):
    other = BusinessFactory()
    other_settings = services.settings_for(business=other)
    # Another salon's key with this salon's secret: refused (its bot is not connected).
    response = client.post(
        reverse("assistant_api:telegram_hook", args=[other_settings.webhook_key]),
        data=json.dumps(telegram_update()),
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": hooks.telegram_secret_token},
    )
    assert response.status_code == 401
    unknown = client.post(
        reverse("assistant_api:telegram_hook", args=["x" * 32]),
        data="{}",
        content_type="application/json",
    )
    assert unknown.status_code == 404
