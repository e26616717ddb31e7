"""Web push for the installable app: VAPID keys, subscriptions, the provider.

The browser subscribes with our VAPID public key (`application_server_key`)
and gives us an endpoint at its push service plus two keys; a message is
encrypted for those keys (RFC 8291, aes128gcm) and POSTed to the endpoint
with a VAPID JWT signed by our private key (RFC 8292), through pywebpush.

The private key comes from NOTIFICATIONS_VAPID_PRIVATE_KEY (PEM or
base64url); without it one is generated once into var/vapid_private.pem
(fine for one machine; set the setting when several run the worker).
"""

import base64
import hashlib
import json
import logging
import threading
import uuid
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils import timezone
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from solibook.notifications.models import PushSubscription
from solibook.notifications.providers import OutgoingMessage, PermanentFailure, Provider

log = logging.getLogger("solibook.notifications")
_lock = threading.Lock()
_cached: dict[str, Vapid] = {}


def _key_file() -> Path:
    return Path(settings.VAR_DIR) / "vapid_private.pem"


def vapid() -> Vapid:
    """Our VAPID key pair (from settings, else var/, generated on first use)."""
    configured = settings.NOTIFICATIONS_VAPID_PRIVATE_KEY.strip()
    cache_key = configured or str(_key_file())
    with _lock:
        if cache_key not in _cached:
            if configured.startswith("-----BEGIN"):
                key = Vapid.from_pem(configured.encode())
            elif configured:
                key = Vapid.from_string(configured)
            else:
                path = _key_file()
                if not path.exists():
                    path.parent.mkdir(parents=True, exist_ok=True)
                    key = Vapid()
                    key.generate_keys()
                    key.save_key(str(path))
                    path.chmod(0o600)
                key = Vapid.from_file(str(path))
            _cached[cache_key] = key
        return _cached[cache_key]


def application_server_key() -> str:
    """The public key as the browser's `applicationServerKey` (base64url, uncompressed point)."""
    raw = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def topic(key: str) -> str:
    """RFC 8030 Topic (at most 32 base64url characters) for a message key: the
    push service replaces a still undelivered message of the same topic, so a
    repeat after a crash reaches a device once."""
    digest = hashlib.sha256(key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]


def payload(message: OutgoingMessage) -> str:
    """What the service worker shows (static/sw.js reads these keys)."""
    return json.dumps(
        {
            "title": message.subject or message.from_name,
            "body": message.text.strip(),
            "url": message.link,
            "lang": message.language,
            # One tag per message: a repeat after a crash replaces the shown
            # notification on the device instead of adding a second one.
            "tag": message.key or message.from_name,
        },
        ensure_ascii=False,
    )


class WebPushProvider(Provider):
    """Sends to every device the client subscribed. The message counts as
    sent when one device accepted it (retrying would repeat it there);
    subscriptions the push service calls gone (404/410) are deleted."""

    channel = "push"

    def __init__(self, *, timeout: float | None = None) -> None:
        self.timeout = timeout if timeout is not None else settings.NOTIFICATIONS_HTTP_TIMEOUT
        self.session: requests.Session | None = None

    def open(self) -> None:
        self.session = requests.Session()

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    def send(self, message: OutgoingMessage) -> str:
        user_id = int(message.to) if message.to.isdigit() else None
        subscriptions = (
            list(PushSubscription.objects.filter(user_id=user_id).order_by("id")) if user_id else []
        )
        if not subscriptions:
            raise PermanentFailure("no push subscription for this recipient")
        data = payload(message)
        accepted: list[str] = []
        retryable: list[str] = []
        refused: list[str] = []
        for subscription in subscriptions:
            try:
                response = webpush(
                    subscription_info={
                        "endpoint": subscription.endpoint,
                        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                    },
                    data=data,
                    vapid_private_key=vapid(),
                    vapid_claims={"sub": settings.NOTIFICATIONS_VAPID_SUBJECT},
                    ttl=settings.NOTIFICATIONS_PUSH_TTL,
                    timeout=self.timeout,
                    requests_session=self.session,
                    headers={
                        "Urgency": "normal",
                        **({"Topic": topic(message.key)} if message.key else {}),
                    },
                )
            except WebPushException as exc:
                status = exc.response.status_code if exc.response is not None else None
                if status in (404, 410):
                    log.info(
                        "push subscription gone, deleted",
                        extra={"subscription_id": subscription.pk},
                    )
                    PushSubscription.objects.filter(pk=subscription.pk).delete()
                    refused.append(f"HTTP {status} (subscription expired)")
                elif status is not None and 400 <= status < 500 and status not in (408, 429):
                    refused.append(f"HTTP {status}")
                else:
                    retryable.append(f"HTTP {status}" if status else str(exc)[:200])
            except requests.RequestException as exc:  # timeouts, refused connections
                retryable.append(f"{type(exc).__name__}: {exc}"[:200])
            else:
                accepted.append(response.headers.get("Location") or f"push-{uuid.uuid4()}")
                PushSubscription.objects.filter(pk=subscription.pk).update(
                    last_success_at=timezone.now()
                )
        if accepted:
            return accepted[0]
        if retryable:
            raise RuntimeError(f"push service error: {'; '.join(retryable)}")
        raise PermanentFailure(f"push refused: {'; '.join(refused)}")
