"""The messengers' side: checking their webhooks and sending replies.

- WhatsApp Cloud API: a webhook's body is signed with the app secret
  (`X-Hub-Signature-256: sha256=<hex HMAC-SHA256>`); subscribing answers a GET
  with `hub.challenge` when `hub.verify_token` is the salon's; replies are
  POSTed as JSON to `{base}/{phone_number_id}/messages` with the access token
  as a Bearer token.
- Telegram Bot API: the webhook carries the secret given at `setWebhook` in
  `X-Telegram-Bot-Api-Secret-Token`; replies go to `{base}/bot{token}/sendMessage`.

Base URLs come from settings (`ASSISTANT_API_BASES`), so production talks to
the real APIs and the tests to local servers that check every request. Calls
use the standard library with a timeout; a failure is logged, never raised
into the webhook (the messenger would retry an update already processed).
"""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

log = logging.getLogger("solibook.assistant")

DEFAULT_BASES = {
    "whatsapp": "https://graph.facebook.com/v19.0",
    "telegram": "https://api.telegram.org",
}
TIMEOUT = 10


def base_url(channel: str) -> str:
    bases = getattr(settings, "ASSISTANT_API_BASES", None) or {}
    return (bases.get(channel) or DEFAULT_BASES[channel]).rstrip("/")


def whatsapp_signature_ok(*, app_secret: str, body: bytes, header: str) -> bool:
    if not app_secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


def telegram_secret_ok(*, secret: str, header: str) -> bool:
    return bool(secret) and hmac.compare_digest(secret.encode(), (header or "").encode())


def _post_json(url: str, payload: dict, headers: dict[str, str] | None = None) -> int:
    if not url.startswith(("https://", "http://")):
        return 0
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        log.warning("messenger refused a reply: HTTP %s", exc.code)
        return exc.code
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        log.warning("messenger unreachable: %s", exc)
        return 0


def as_text(reply) -> str:
    """A reply with its choices as numbered lines and its link (messengers get text)."""
    lines = [reply.text]
    lines += [f"{i + 1}. {c['label']}" for i, c in enumerate(reply.choices)]
    if reply.link:
        lines.append(absolute(reply.link))
    return "\n".join(lines)


def absolute(path: str) -> str:
    if path.startswith("http"):
        return path
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def send(*, conversation, replies) -> None:
    """Send replies on the conversation's messenger (web: nothing to send)."""
    from solibook.assistant.models import AssistantSettings, Channel
    from solibook.core.tenancy import business_scope

    if conversation.channel == Channel.WEB or not replies:
        return
    with business_scope(conversation.business):
        found = AssistantSettings.objects.filter(business=conversation.business).first()
    if found is None:
        return
    for reply in replies:
        text = as_text(reply)[:4000]
        if conversation.channel == Channel.TELEGRAM and found.telegram_bot_token:
            payload: dict = {"chat_id": conversation.external_id, "text": text}
            if reply.choices:
                # Buttons that send the choice's label back as a message.
                payload["reply_markup"] = {
                    "keyboard": [[{"text": c["label"]}] for c in reply.choices],
                    "one_time_keyboard": True,
                    "resize_keyboard": True,
                }
            _post_json(f"{base_url('telegram')}/bot{found.telegram_bot_token}/sendMessage", payload)
        elif conversation.channel == Channel.WHATSAPP and found.whatsapp_access_token:
            _post_json(
                f"{base_url('whatsapp')}/{found.whatsapp_phone_number_id}/messages",
                {
                    "messaging_product": "whatsapp",
                    "recipient_type": "individual",
                    "to": conversation.external_id,
                    "type": "text",
                    "text": {"preview_url": False, "body": text},
                },
                headers={"Authorization": f"Bearer {found.whatsapp_access_token}"},
            )
