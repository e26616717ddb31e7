"""Writes of the notifications app: calendar feed tokens, salon choices."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.catalog.models import Master
from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, ValidationFailed
from solibook.notifications.models import CalendarFeedToken, Channel, SalonNotificationSettings


def calendar_feed_issue(*, business, master_id: int, actor=None) -> tuple[CalendarFeedToken, str]:
    """A new secret feed URL token for a master, revoking the previous ones.
    The raw token is returned once; only its digest is stored."""
    with transaction.atomic():
        master = Master.objects.filter(business=business, pk=master_id).first()
        if master is None:
            raise NotFound(_("No such master."))
        CalendarFeedToken.objects.filter(master=master, revoked_at__isnull=True).update(revoked_at=timezone.now())
        secret = CalendarFeedToken.new_secret()
        token = CalendarFeedToken.objects.create(business=business, master=master, token_hash=CalendarFeedToken.digest(secret))
        audit_log(actor=actor, business=business, action="calendar_feed.issued", obj=master)
    return token, secret


def calendar_feed_revoke(*, business, master_id: int, actor=None) -> int:
    with transaction.atomic():
        count = CalendarFeedToken.objects.filter(business=business, master_id=master_id, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit_log(actor=actor, business=business, action="calendar_feed.revoked", data={"master_id": master_id, "revoked": count})
    return count


def notification_settings_update(*, business, reminder_minutes: list[int], channels: list[str], actor=None) -> SalonNotificationSettings:
    minutes = sorted({int(m) for m in reminder_minutes}, reverse=True)
    if any(m <= 0 or m > 60 * 24 * 14 for m in minutes) or len(minutes) > 5:
        message = _("Reminders go out between 1 minute and 14 days before the visit, at most five.")
        raise ValidationFailed(message, fields={"reminder_minutes": [message]})
    if any(c not in Channel.values for c in channels):
        message = _("Unknown channel.")
        raise ValidationFailed(message, fields={"channels": [message]})
    with transaction.atomic():
        row, _created = SalonNotificationSettings.objects.update_or_create(business=business, defaults={"reminder_minutes": minutes, "channels": list(channels)})
        audit_log(actor=actor, business=business, action="notifications.settings_changed", obj=row, data={"reminder_minutes": minutes, "channels": list(channels)})
    return row
