"""Every write of the developers area: API keys and webhook endpoints.

Pages and the API call these same functions. A key or an endpoint secret is
returned once, by the call that makes it; afterwards only a hint is shown.
"""

import base64
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, ValidationFailed, refuse
from solibook.developers import delivery
from solibook.developers.models import (
    ApiKey,
    DeliveryState,
    EventType,
    Scope,
    WebhookDelivery,
    WebhookEndpoint,
)
from solibook.developers.transport import AddressRefused, check_url

KEY_PREFIX = "sbk_"
MAX_KEYS = 50
MAX_ENDPOINTS = 20


@dataclass(frozen=True)
class Issued:
    """A key or an endpoint together with the secret shown this once."""

    obj: ApiKey | WebhookEndpoint
    secret: str


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def _new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _name(value: str) -> str:
    name = (value or "").strip()
    if not name:
        refuse(_("Give it a name."), "name")
    if len(name) > 80:
        refuse(_("Keep the name under 80 characters."), "name")
    return name


def _scopes(values) -> list[str]:
    chosen = sorted({str(v) for v in values or []})
    if not chosen:
        refuse(_("Choose at least one scope."), "scopes")
    unknown = [v for v in chosen if v not in Scope.values]
    if unknown:
        refuse(_("Unknown scope: %(scope)s.") % {"scope": unknown[0]}, "scopes")
    return chosen


def _rate(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 6000:
        refuse(_("Choose between 1 and 6000 requests a minute."), "rate_per_minute")
    return value


def _key(business, key_id) -> ApiKey:
    key = ApiKey.objects.filter(business=business, pk=key_id).first()
    if key is None:
        raise NotFound(_("No such API key."))
    return key


def api_key_create(*, business, actor, name: str, scopes, rate_per_minute: int = 120) -> Issued:
    values = {"name": _name(name), "scopes": _scopes(scopes), "rate": _rate(rate_per_minute)}
    if ApiKey.objects.filter(business=business, revoked_at__isnull=True).count() >= MAX_KEYS:
        refuse(_("A salon can have at most %(n)d active keys.") % {"n": MAX_KEYS})
    raw = _new_key()
    with transaction.atomic():
        key = ApiKey.objects.create(
            business=business,
            name=values["name"],
            prefix=raw[:12],
            key_hash=key_hash(raw),
            scopes=values["scopes"],
            rate_per_minute=values["rate"],
            created_by=actor,
            created_at=timezone.now(),
        )
        audit_log(
            action="developers.key_created",
            actor=actor,
            business=business,
            obj=key,
            data={"scopes": key.scopes},
        )
    return Issued(key, raw)


def api_key_rotate(*, business, actor, key_id) -> Issued:
    """A new secret for the same key (name, scopes, limit): the old one stops at once."""
    raw = _new_key()
    with transaction.atomic():
        key = _key(business, key_id)
        if key.revoked_at is not None:
            refuse(_("This key is revoked; create a new one."), code="revoked")
        key.prefix, key.key_hash = raw[:12], key_hash(raw)
        key.save(update_fields=["prefix", "key_hash"])
        audit_log(action="developers.key_rotated", actor=actor, business=business, obj=key)
    return Issued(key, raw)


def api_key_revoke(*, business, actor, key_id) -> ApiKey:
    with transaction.atomic():
        key = _key(business, key_id)
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            audit_log(action="developers.key_revoked", actor=actor, business=business, obj=key)
    return key


def _url(value: str) -> str:
    url = (value or "").strip()
    if len(url) > 500:
        refuse(_("Keep the address under 500 characters."), "url")
    try:
        check_url(url)
    except AddressRefused as exc:
        raise ValidationFailed(
            str(exc), code="address_refused", fields={"url": [str(exc)]}
        ) from exc
    return url


def _events(values) -> list[str]:
    chosen = sorted({str(v) for v in values or []})
    if not chosen:
        refuse(_("Choose at least one event."), "events")
    unknown = [v for v in chosen if v not in EventType.values]
    if unknown:
        refuse(_("Unknown event: %(event)s.") % {"event": unknown[0]}, "events")
    return chosen


def _description(value: str) -> str:
    text = (value or "").strip()
    if len(text) > 120:
        refuse(_("Keep the description under 120 characters."), "description")
    return text


def _endpoint(business, endpoint_id, *, lock: bool = False) -> WebhookEndpoint:
    rows = WebhookEndpoint.objects.filter(business=business, pk=endpoint_id)
    endpoint = (rows.select_for_update() if lock else rows).first()
    if endpoint is None:
        raise NotFound(_("No such webhook."))
    return endpoint


def endpoint_create(*, business, actor, url: str, events, description: str = "") -> Issued:
    values = {"url": _url(url), "events": _events(events), "description": _description(description)}
    if WebhookEndpoint.objects.filter(business=business).count() >= MAX_ENDPOINTS:
        refuse(_("A salon can have at most %(n)d webhooks.") % {"n": MAX_ENDPOINTS})
    secret = _new_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            business=business, secret=secret, created_by=actor, created_at=timezone.now(), **values
        )
        audit_log(
            action="developers.webhook_created",
            actor=actor,
            business=business,
            obj=endpoint,
            data={"url": endpoint.url, "events": endpoint.events},
        )
        delivery.forget_subscribed()
        transaction.on_commit(delivery.forget_subscribed)
    return Issued(endpoint, secret)


def endpoint_update(
    *, business, actor, endpoint_id, url=None, events=None, description=None
) -> WebhookEndpoint:
    values: dict = {}
    if url is not None:
        values["url"] = _url(url)
    if events is not None:
        values["events"] = _events(events)
    if description is not None:
        values["description"] = _description(description)
    with transaction.atomic():
        endpoint = _endpoint(business, endpoint_id, lock=True)
        for field, value in values.items():
            setattr(endpoint, field, value)
        endpoint.save(update_fields=list(values) or None)
        audit_log(
            action="developers.webhook_updated",
            actor=actor,
            business=business,
            obj=endpoint,
            data={"fields": sorted(values)},
        )
    return endpoint


def endpoint_delete(*, business, actor, endpoint_id) -> None:
    with transaction.atomic():
        endpoint = _endpoint(business, endpoint_id, lock=True)
        audit_log(
            action="developers.webhook_deleted",
            actor=actor,
            business=business,
            obj=endpoint,
            data={"url": endpoint.url},
        )
        endpoint.delete()
        delivery.forget_subscribed()
        transaction.on_commit(delivery.forget_subscribed)


def endpoint_rotate_secret(*, business, actor, endpoint_id) -> Issued:
    """A new signing secret; messages sent from now on carry its signature."""
    secret = _new_secret()
    with transaction.atomic():
        endpoint = _endpoint(business, endpoint_id, lock=True)
        endpoint.secret = secret
        endpoint.save(update_fields=["secret"])
        audit_log(
            action="developers.webhook_secret_rotated", actor=actor, business=business, obj=endpoint
        )
    return Issued(endpoint, secret)


def endpoint_resume(*, business, actor, endpoint_id) -> WebhookEndpoint:
    """Unpause: the failure count starts again and waiting messages go out now."""
    now = timezone.now()
    with transaction.atomic():
        endpoint = _endpoint(business, endpoint_id, lock=True)
        endpoint.paused_at, endpoint.pause_reason = None, ""
        endpoint.consecutive_failures, endpoint.failing_since = 0, None
        endpoint.save(
            update_fields=["paused_at", "pause_reason", "consecutive_failures", "failing_since"]
        )
        WebhookDelivery.objects.filter(endpoint=endpoint, state=DeliveryState.PENDING).update(
            next_attempt_at=now
        )
        audit_log(action="developers.webhook_resumed", actor=actor, business=business, obj=endpoint)
        transaction.on_commit(delivery.kick)
    return endpoint


def delivery_replay(*, business, actor, endpoint_id, delivery_id) -> WebhookDelivery:
    """Send a message again, as it was (same id and body, a fresh signature)."""
    with transaction.atomic():
        endpoint = _endpoint(business, endpoint_id)
        row = (
            WebhookDelivery.objects.select_for_update()
            .filter(business=business, endpoint=endpoint, pk=delivery_id)
            .first()
        )
        if row is None:
            raise NotFound(_("No such delivery."))
        if endpoint.paused_at is not None:
            refuse(_("This webhook is paused; resume it first."), code="paused")
        row.state, row.attempts, row.next_attempt_at = DeliveryState.PENDING, 0, timezone.now()
        row.save(update_fields=["state", "attempts", "next_attempt_at"])
        audit_log(
            action="developers.webhook_replayed",
            actor=actor,
            business=business,
            obj=row,
            data={"message_id": row.message_id},
        )
        transaction.on_commit(delivery.kick)
    return row


def endpoint_ping(*, business, actor, endpoint_id) -> WebhookDelivery:
    """A test message (`webhook.test`) to check the subscriber's verification."""
    with transaction.atomic():
        endpoint = _endpoint(business, endpoint_id)
        row = delivery.message_create(
            endpoint=endpoint,
            event_type="webhook.test",
            event_id=None,
            data={"business_id": business.pk, "message": "Solibook test message"},
            now=timezone.now(),
        )
        audit_log(action="developers.webhook_pinged", actor=actor, business=business, obj=endpoint)
        transaction.on_commit(delivery.kick)
    return row
