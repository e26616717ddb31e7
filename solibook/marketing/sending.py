"""Queueing marketing messages into the notifications' channel layer, once.

A recipient row (campaign or journey) in the sent group is claimed and queued in
one transaction: the rows are locked (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so
two runners share the work), each gets its channel (asked again now: consent,
the client's choice), its code, its words in its language and its send time;
`Notification` rows are written and the recipient rows marked `queued_at` before
the commit. A crash before the commit leaves neither; a rerun queues only rows
not yet queued. The dispatcher then sends each notification once (its lease and
its delivery key), and records SMS for billing (`core.signals.sms_sent`).

Send times honour the salon's per-channel throttle (messages a minute: each
message of a channel one gap after the previous one) and its quiet hours in the
location's zone (a time that falls inside them moves to their end).
"""

from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import override

from solibook.catalog.models import Location
from solibook.marketing import audience, templating
from solibook.marketing.models import MarketingSettings, Recipient
from solibook.notifications.models import Notification
from solibook.notifications.rendering import site_url
from solibook.offers.models import PromoCode
from solibook.offers.services import promo_codes_issue

KIND = "marketing"  # Notification.kind of a prepared message (no salon template)


def zone_of(business) -> ZoneInfo:
    location = Location.objects.filter(business=business).order_by("id").first()
    return ZoneInfo(location.time_zone if location else "UTC")


def in_quiet_hours(moment: datetime, prefs: MarketingSettings, zone: ZoneInfo) -> datetime | None:
    """The end of the quiet hours `moment` falls in, else None."""
    start, end = prefs.quiet_start, prefs.quiet_end
    if start == end:
        return None
    local = moment.astimezone(zone)
    clock = local.time()
    overnight = start > end
    inside = (clock >= start or clock < end) if overnight else (start <= clock < end)
    if not inside:
        return None
    day = local.date()
    if overnight and clock >= start:
        day += timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone).astimezone(ZoneInfo("UTC"))


class Clock:
    """The next send time per channel: a gap of 60 / rate seconds after the previous
    message of the channel, never before `start`, never in quiet hours."""

    def __init__(self, *, prefs: MarketingSettings, zone: ZoneInfo, start: datetime, last: dict):
        self.prefs, self.zone, self.start = prefs, zone, start
        self.last: dict[str, datetime | None] = dict(last)

    def next(self, channel: str) -> datetime:
        previous = self.last.get(channel)
        gap = timedelta(seconds=60 / self.prefs.rate(channel))
        moment = max(self.start, previous + gap) if previous else self.start
        moved = in_quiet_hours(moment, self.prefs, self.zone)
        moment = moved or moment
        self.last[channel] = moment
        return moment


def last_due(rows) -> dict[str, datetime]:
    """Per channel, the latest send time already given (a rerun goes on from there)."""
    return {
        row["channel"]: row["last"]
        for row in rows.filter(queued_at__isnull=False)
        .exclude(channel="")
        .values("channel")
        .annotate(last=Max("due_at"))
    }


_LINKS: dict[str, dict[str, str]] = {}


def tracked_links(token: str, language: str) -> dict[str, str]:
    """The recipient's click, unsubscribe and open addresses (the URL patterns are
    reversed once per language, then the token put in)."""
    if language not in _LINKS:
        with override(language):
            _LINKS[language] = {
                "link": site_url(reverse("marketing:click", args=["TOKEN"])),
                "unsubscribe_link": site_url(reverse("marketing:unsubscribe", args=["TOKEN"])),
                "pixel": site_url(reverse("marketing:open", args=["TOKEN"])),
            }
    return {name: url.replace("TOKEN", token) for name, url in _LINKS[language].items()}


def _locked_batch(rows, batch: int) -> list[Recipient]:
    query = rows.filter(group=Recipient.Group.SENT, queued_at__isnull=True).order_by("id")
    if connection.vendor == "postgresql":
        query = query.select_for_update(skip_locked=True, of=("self",))
    return list(query.select_related("client", "client__user")[:batch])


def queue_batch(
    *,
    business,
    rows,
    channels: list[str],
    compose,
    now: datetime,
    start: datetime,
    batch: int = 1000,
    offer: dict | None = None,
    languages: list[str] | None = None,
) -> int:
    """Queue up to `batch` unqueued recipients of `rows`; the number handled (0: done).

    `compose(recipient, values) -> (subject, text)` renders one message in the
    active language; `offer` (discount_percent, valid_until, prefix, issued_by, service_id)
    gives each recipient a code of their own; `languages` are those `compose`
    has words in (the card's language, else the salon's, else the first)."""
    prefs = settings_of(business)
    zone = zone_of(business)
    fallback = audience.salon_language(business)
    with transaction.atomic():
        claimed = _locked_batch(rows, batch)
        if not claimed:
            return 0
        reach = audience.reach(
            business=business, cards=[r.client for r in claimed], channels=channels
        )
        clock = Clock(prefs=prefs, zone=zone, start=max(start, now), last=last_due(rows))
        reachable = [r for r in claimed if reach.channels.get(r.client_id)]
        codes: list[PromoCode] = []
        if offer:
            codes = promo_codes_issue(
                business=business,
                count=sum(1 for r in reachable if r.promo_id is None),
                prefix=offer["prefix"],
                issued_by=offer["issued_by"],
                discount_percent=offer["discount_percent"],
                valid_until=offer["valid_until"],
                description=offer.get("description", ""),
                service_id=offer.get("service_id"),
            )
        codes_left = iter(codes)
        notifications, queued = [], []
        for row in claimed:
            row.queued_at = now
            found = reach.channels.get(row.client_id)
            if not found:
                row.skipped = (
                    "no marketing consent"
                    if row.client_id not in reach.channels
                    else "no channel the client accepts"
                )
                continue
            card = row.client
            row.channel = found[0]
            row.language = audience.language_of(card, fallback)
            if languages and row.language not in languages:
                row.language = fallback if fallback in languages else languages[0]
            if offer and row.promo_id is None:
                row.promo = next(codes_left)
            row.due_at = clock.next(row.channel)
            links = tracked_links(row.token, row.language)
            values = {
                "client_name": card.full_name,
                "first_name": card.first_name,
                "salon": business.name,
                "link": links["link"],
                "unsubscribe_link": links["unsubscribe_link"],
            }
            with override(row.language):
                if row.promo is not None:
                    values["code"] = row.promo.code
                    values["discount"] = f"{row.promo.discount_percent} %"
                    if row.promo.service is not None:
                        values["service"] = row.promo.service.name
                    if row.promo.valid_until:
                        values["valid_until"] = formats.date_format(
                            row.promo.valid_until.astimezone(zone), "SHORT_DATE_FORMAT"
                        )
                subject, text = compose(row, values)
            prepared = {"subject": subject, "text": text, "link": links["link"]}
            if row.channel == "email":
                prepared["pixel"] = links["pixel"]
                prepared["headers"] = {
                    # RFC 8058: one POST to this address unsubscribes, no page to click through.
                    "List-Unsubscribe": f"<{links['unsubscribe_link']}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                }
            notifications.append(
                Notification(
                    business=business,
                    recipient_id=card.user_id,
                    recipient_name=card.full_name[:150],
                    email=card.email if row.channel == "email" else "",
                    phone=str(card.phone) if row.channel in ("sms", "whatsapp") else "",
                    channel=row.channel,
                    kind=KIND,
                    slot=f"marketing:{row.token}",
                    language=row.language,
                    context={"prepared": prepared},
                    due_at=row.due_at,
                )
            )
            queued.append(row)
        Notification.objects.bulk_create(notifications, batch_size=1000)
        for row, notification in zip(queued, notifications, strict=True):
            row.notification = notification
        # One statement per row, pipelined (bulk_update's CASE per column is far slower).
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE marketing_recipient SET queued_at = %s, skipped = %s, "
                "channel = %s, language = %s, promo_id = %s, due_at = %s, notification_id = %s "
                "WHERE id = %s",
                [
                    (
                        r.queued_at,
                        r.skipped,
                        r.channel,
                        r.language,
                        r.promo_id,
                        r.due_at,
                        r.notification_id,
                        r.pk,
                    )
                    for r in claimed
                ],
            )
    return len(claimed)


def settings_of(business) -> MarketingSettings:
    prefs = MarketingSettings.objects.filter(business=business).first()
    if prefs is None:
        prefs, _created = MarketingSettings.objects.get_or_create(business=business)
    return prefs


def channel_counts(rows) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for channel in rows.exclude(channel="").values_list("channel", flat=True):
        counts[channel] += 1
    return dict(counts)


def compose_with(templates: dict, compiled: dict):
    """A composer rendering a campaign's templates (language → (subject, body))."""

    def compose(row: Recipient, values: dict) -> tuple[str, str]:
        subject, body = templates[row.language]
        text = templating.render(body, values, compiled).strip() + "\n"
        title = " ".join(templating.render(subject, values, compiled).split())
        return title, text

    return compose


def local_now(business) -> datetime:
    return timezone.now().astimezone(zone_of(business))
