"""Writes of the notifications app: calendar feed tokens, salon choices,
salon message templates, a client's channel choices and push devices."""

import base64
import binascii
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.catalog.models import Business, Master
from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, ValidationFailed, refuse
from solibook.notifications import sandbox
from solibook.notifications.defaults import WITH_SUBJECT
from solibook.notifications.models import (
    CalendarFeedToken,
    Channel,
    ChannelPreference,
    Kind,
    MessageTemplate,
    PushSubscription,
    SalonNotificationSettings,
)


def calendar_feed_issue(*, business, master_id: int, actor=None) -> tuple[CalendarFeedToken, str]:
    """A new secret feed URL token for a master, revoking the previous ones.
    The raw token is returned once; only its digest is stored."""
    with transaction.atomic():
        # The master's row lock: two links made at once leave one working, not two.
        master = Master.objects.select_for_update().filter(business=business, pk=master_id).first()
        if master is None:
            raise NotFound(_("No such master."))
        CalendarFeedToken.objects.filter(master=master, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        secret = CalendarFeedToken.new_secret()
        token = CalendarFeedToken.objects.create(
            business=business, master=master, token_hash=CalendarFeedToken.digest(secret)
        )
        audit_log(actor=actor, business=business, action="calendar_feed.issued", obj=master)
    return token, secret


def calendar_feed_revoke(*, business, master_id: int, actor=None) -> int:
    with transaction.atomic():
        count = CalendarFeedToken.objects.filter(
            business=business, master_id=master_id, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        audit_log(
            actor=actor,
            business=business,
            action="calendar_feed.revoked",
            data={"master_id": master_id, "revoked": count},
        )
    return count


def notification_settings_update(
    *, business, reminder_minutes: list[int], channels: list[str], actor=None
) -> SalonNotificationSettings:
    minutes = sorted({int(m) for m in reminder_minutes}, reverse=True)
    if any(m <= 0 or m > 60 * 24 * 14 for m in minutes) or len(minutes) > 5:
        message = _("Reminders go out between 1 minute and 14 days before the visit, at most five.")
        raise ValidationFailed(message, fields={"reminder_minutes": [message]})
    if any(c not in Channel.values for c in channels):
        message = _("Unknown channel.")
        raise ValidationFailed(message, fields={"channels": [message]})
    with transaction.atomic():
        row = SalonNotificationSettings.objects.select_for_update().get(business=business)
        row.reminder_minutes, row.channels = minutes, list(channels)
        row.save(update_fields=["reminder_minutes", "channels"])
        audit_log(
            actor=actor,
            business=business,
            action="notifications.settings_changed",
            obj=row,
            data={"reminder_minutes": minutes, "channels": list(channels)},
        )
    return row


def check_template_key(*, kind: str, channel: str, language: str) -> None:
    if kind not in Kind.values:
        refuse(_("Unknown message kind."), "kind")
    if channel not in Channel.values:
        refuse(_("Unknown channel."), "channel")
    if language not in dict(settings.LANGUAGES):
        refuse(_("Unknown language."), "language")


def check_template_source(*, channel: str, subject: str, body: str) -> None:
    """ValidationFailed naming the field and the template error, if any."""
    fields = {}
    if not body.strip():
        fields["body"] = [_("The message cannot be empty.")]
    elif error := sandbox.check(body):
        fields["body"] = [_("The template has an error: %(error)s") % {"error": error}]
    if channel in WITH_SUBJECT:
        if error := sandbox.check(subject):
            fields["subject"] = [_("The template has an error: %(error)s") % {"error": error}]
        elif len(subject) > 300:
            fields["subject"] = [_("The subject is too long.")]
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)


def message_template_save(
    *, business, kind: str, channel: str, language: str, subject: str, body: str, actor=None
) -> MessageTemplate:
    """A salon's own wording of a message; a template that does not compile is refused."""
    check_template_key(kind=kind, channel=channel, language=language)
    subject = (subject or "").strip() if channel in WITH_SUBJECT else ""
    body = (body or "").replace("\r\n", "\n")
    check_template_source(channel=channel, subject=subject, body=body)
    with transaction.atomic():
        row, created = MessageTemplate.objects.update_or_create(
            business=business,
            kind=kind,
            channel=channel,
            language=language,
            defaults={
                "subject": subject,
                "body": body,
                "updated_by": actor if getattr(actor, "is_authenticated", False) else None,
                "last_error": "",
                "last_error_at": None,
            },
        )
        audit_log(
            actor=actor,
            business=business,
            action="notifications.template_saved",
            obj=row,
            data={"kind": kind, "channel": channel, "language": language, "created": created},
        )
    return row


def message_template_reset(*, business, kind: str, channel: str, language: str, actor=None) -> bool:
    """Back to the built-in default; True when a salon template existed."""
    check_template_key(kind=kind, channel=channel, language=language)
    with transaction.atomic():
        deleted, _rows = MessageTemplate.objects.filter(
            business=business, kind=kind, channel=channel, language=language
        ).delete()
        if deleted:
            audit_log(
                actor=actor,
                business=business,
                action="notifications.template_reset",
                data={"kind": kind, "channel": channel, "language": language},
            )
    return bool(deleted)


def _clean_channels(channels) -> list[str]:
    if not isinstance(channels, list | tuple) or any(c not in Channel.values for c in channels):
        refuse(_("Unknown channel."), "channels")
    return [c for c in Channel.values if c in set(channels)]


def _client_card(*, business, user):
    try:
        from solibook.clients.selectors import find_card
    except ImportError:
        return None
    return find_card(business=business, user=user)


def channel_preferences_set(
    *, user, channels: list[str], business_id: int | None = None
) -> list[str]:
    """A client chooses the channels they want, for one salon or for all.

    Stored in ChannelPreference (a salon's row overrides the "every salon"
    row); for a salon that has a client card for them, also recorded as the
    card's consents (clients.services.client_consent_record), so the salon
    sees it on the card and the consent history stays."""
    chosen = _clean_channels(channels)
    business = None
    if business_id is not None:
        business = Business.objects.filter(pk=business_id).first()
        if business is None:
            raise NotFound(_("No such salon."))
    with transaction.atomic():
        card = None
        if business is not None:
            from django_scopes import scope

            with scope(business=business):
                card = _client_card(business=business, user=user)
                if card is not None:
                    from solibook.clients.selectors import allowed_channels
                    from solibook.clients.services import client_consent_record

                    now_allowed = allowed_channels(business=business, user=user) or set()
                    for channel in Channel.values:
                        if (channel in chosen) != (channel in now_allowed):
                            client_consent_record(
                                business=business,
                                client=card,
                                kind=channel,
                                granted=channel in chosen,
                                actor=user,
                                source="client",
                            )
        # Our own row too: a choice for this salon overrides the one for every salon.
        ChannelPreference.objects.update_or_create(
            user=user, business=business, defaults={"channels": chosen}
        )
        audit_log(
            actor=user,
            business=business,
            action="notifications.preferences_changed",
            data={"channels": chosen, "on_card": card is not None},
        )
    return chosen


def _b64(value: str, size: int, field: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != size:
        refuse(_("This is not a valid push subscription key."), field)
    return value.rstrip("=")


def push_subscribe(
    *, user, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Remember a device's push subscription (the same endpoint again updates it)."""
    parts = urlsplit(endpoint or "")
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if (
        not parts.netloc
        or not (
            parts.scheme == "https"
            or (
                parts.scheme == "http"
                and local
                and getattr(settings, "NOTIFICATIONS_PUSH_ALLOW_LOCAL_HTTP", False)
            )
        )
        or len(endpoint) > 2000
    ):
        refuse(_("The push endpoint must be an https URL."), "endpoint")
    p256dh = _b64(p256dh or "", 65, "p256dh")
    auth = _b64(auth or "", 16, "auth")
    with transaction.atomic():
        row, _created = PushSubscription.objects.update_or_create(
            endpoint_hash=PushSubscription.digest(endpoint),
            defaults={
                "user": user,
                "endpoint": endpoint,
                "p256dh": p256dh,
                "auth": auth,
                "user_agent": (user_agent or "")[:300],
            },
        )
    return row


def push_unsubscribe(*, user, endpoint: str) -> int:
    deleted, _rows = PushSubscription.objects.filter(
        user=user, endpoint_hash=PushSubscription.digest(endpoint or "")
    ).delete()
    return deleted
