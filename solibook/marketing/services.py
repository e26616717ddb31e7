"""Every write of marketing: settings, campaigns (save, send, cancel, run),
journeys (switch, run), and what recipients do (open, click, unsubscribe).

A campaign's audience is drawn when it is sent: the segment's cards that agreed
to marketing and can be reached on one of its channels; a random hold-out of
them (the campaign's percentage, drawn with the system's random source) is
stored with the rest before anything is queued, and never gets the message.
Queueing runs from the task worker (enqueued on commit) and from the periodic
runner (`run_marketing`), in batches, each safe to run again (see `sending`).
"""

import logging
import random
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled
from django_tasks import task

from solibook.booking.client_visits import segment_clients as saved_segment_clients
from solibook.catalog.models import Service
from solibook.clients.models import Client, ConsentKind, Segment
from solibook.clients.services import client_consent_record
from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, refuse, refuse_fields
from solibook.marketing import audience, sending, templating
from solibook.marketing.models import (
    CHANNELS,
    Campaign,
    CampaignTemplate,
    Journey,
    JourneyKind,
    MarketingSettings,
    Recipient,
)
from solibook.notifications.models import Notification, NotificationStatus

try:  # the retention area (RFM segments, churn risk) may be absent from an install
    from solibook.retention import selectors as retention
except ImportError:  # pragma: no cover
    retention = None  # type: ignore[assignment]

log = logging.getLogger("solibook.marketing")
CHANNEL_CODES = [code for code, _label in CHANNELS]
_random = random.SystemRandom()


# ---------------------------------------------------------------- settings


def settings_update(
    *,
    business,
    actor,
    quiet_start,
    quiet_end,
    holdout_percent: int,
    window_days: int,
    throttle: dict[str, int],
) -> MarketingSettings:
    errors: dict[str, list[str]] = {}
    if not 0 <= holdout_percent <= 50:
        errors["holdout_percent"] = [_("A hold-out is from 0 to 50 percent.")]
    if not 1 <= window_days <= 90:
        errors["window_days"] = [_("Measure the effect over 1 to 90 days.")]
    for channel, rate in throttle.items():
        if channel not in CHANNEL_CODES or not 1 <= int(rate) <= 100_000:
            errors[f"throttle_{channel}"] = [_("From 1 to 100,000 messages a minute.")]
    if errors:
        refuse_fields(errors)
    with transaction.atomic():
        prefs = sending.settings_of(business)
        prefs.quiet_start, prefs.quiet_end = quiet_start, quiet_end
        prefs.holdout_percent, prefs.window_days = holdout_percent, window_days
        prefs.throttle = {c: int(r) for c, r in throttle.items()}
        prefs.save()
        audit_log(action="marketing.settings", actor=actor, business=business, obj=prefs)
    return prefs


# ---------------------------------------------------------------- campaigns


def _check_templates(templates: dict[str, dict], errors: dict[str, list[str]]) -> dict:
    clean = {}
    for language, words in templates.items():
        if language not in audience.LANGUAGE_CODES:
            errors["templates"] = [_("Choose a language of the site.")]
            continue
        subject = (words.get("subject") or "").strip()[:300]
        body = (words.get("body") or "").strip()
        if not body and not subject:
            continue
        if not body:
            errors[f"body_{language}"] = [_("Write the message.")]
            continue
        for field, source in ((f"subject_{language}", subject), (f"body_{language}", body)):
            problem = templating.problem(source)
            if problem is not None:
                errors[field] = [str(problem)]
        clean[language] = (subject, body)
    if not clean and "templates" not in errors and not any(k.startswith("body_") for k in errors):
        errors["templates"] = [_("Write the message in at least one language.")]
    return clean


def campaign_save(
    *,
    business,
    actor,
    name: str,
    channels: list[str],
    templates: dict[str, dict],
    audience_kind: str = Campaign.Audience.SEGMENT,
    segment_id: int | None = None,
    rfm_code: str = "",
    offer: str = "",
    discount_percent: int | None = None,
    service_id: int | None = None,
    offer_days: int = 30,
    holdout_percent: int | None = None,
    window_days: int | None = None,
    scheduled_at: datetime | None = None,
    campaign: Campaign | None = None,
) -> Campaign:
    """Create or change a draft. A template with an error is refused with its line."""
    prefs = sending.settings_of(business)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()[:120]
    if not name:
        errors["name"] = [_("Enter a name.")]
    channels = [c for c in dict.fromkeys(channels or []) if c in CHANNEL_CODES]
    if not channels:
        errors["channels"] = [_("Choose at least one channel.")]
    segment = None
    if audience_kind == Campaign.Audience.SEGMENT:
        segment = Segment.objects.filter(business=business, pk=segment_id or 0).first()
        if segment is None:
            errors["segment_id"] = [_("Choose a segment.")]
        rfm_code = ""
    elif audience_kind == Campaign.Audience.RFM:
        if retention is None or rfm_code not in retention.SEGMENTS:
            errors["rfm_code"] = [_("Choose a retention segment.")]
    else:
        errors["audience"] = [_("Choose an audience.")]
    if offer not in Campaign.Offer.values:
        errors["offer"] = [_("Choose an offer.")]
    if offer and not (discount_percent and 1 <= discount_percent <= 100):
        errors["discount_percent"] = [_("A discount is from 1 to 100 percent.")]
    service = None
    if offer == Campaign.Offer.SERVICE:
        # A code of the recipient's own that discounts this service only.
        service = Service.objects.filter(business=business, pk=service_id or 0).first()
        if service is None:
            errors["service_id"] = [_("Choose the service the discount is for.")]
    if not 1 <= (offer_days or 0) <= 365:
        errors["offer_days"] = [_("An offer is valid for 1 to 365 days.")]
    holdout = prefs.holdout_percent if holdout_percent is None else holdout_percent
    if not 0 <= holdout <= 50:
        errors["holdout_percent"] = [_("A hold-out is from 0 to 50 percent.")]
    window = prefs.window_days if window_days is None else window_days
    if not 1 <= window <= 90:
        errors["window_days"] = [_("Measure the effect over 1 to 90 days.")]
    if scheduled_at is not None and scheduled_at.tzinfo is None:
        errors["scheduled_at"] = [_("The time needs a time zone.")]
    clean = _check_templates(templates or {}, errors)
    if campaign is not None and campaign.status != Campaign.Status.DRAFT:
        errors["__all__"] = [_("Only a draft can be changed.")]
    if errors:
        refuse_fields(errors)
    with transaction.atomic():
        campaign = campaign or Campaign(business=business, created_by=actor)
        campaign.name, campaign.channels = name, channels
        campaign.audience, campaign.segment, campaign.rfm_code = audience_kind, segment, rfm_code
        campaign.offer = offer
        campaign.discount_percent = discount_percent if offer else None
        campaign.service = service
        campaign.offer_days = offer_days
        campaign.holdout_percent, campaign.window_days = holdout, window
        campaign.scheduled_at = scheduled_at
        campaign.save()
        CampaignTemplate.objects.filter(campaign=campaign).exclude(language__in=clean).delete()
        for language, (subject, body) in clean.items():
            CampaignTemplate.objects.update_or_create(
                business=business,
                campaign=campaign,
                language=language,
                defaults={"subject": subject, "body": body},
            )
        audit_log(action="marketing.campaign_saved", actor=actor, business=business, obj=campaign)
    return campaign


def audience_cards(*, business, campaign: Campaign, now: datetime) -> QuerySet[Client]:
    if campaign.audience == Campaign.Audience.RFM:
        if retention is None:
            return Client.objects.none()
        return retention.segment_clients(business=business, code=campaign.rfm_code, now=now)
    return saved_segment_clients(business=business, segment=campaign.segment)


def audience_estimate(*, business, campaign: Campaign, now: datetime | None = None) -> dict:
    """What sending now would do: members, who agreed, who can be reached, the hold-out."""
    now = now or timezone.now()
    cards = audience_cards(business=business, campaign=campaign, now=now).select_related("user")
    found = audience.reach(business=business, cards=cards, channels=campaign.channels)
    eligible = found.reachable
    holdout = holdout_size(eligible, campaign.holdout_percent)
    return {
        "members": found.members,
        "consenting": found.consenting,
        "reachable": eligible,
        "holdout": holdout,
        "to_send": eligible - holdout,
    }


def holdout_size(eligible: int, percent: int) -> int:
    """Round half up; a campaign with a hold-out and two or more recipients keeps at least one."""
    size = (eligible * percent + 50) // 100
    if percent and eligible >= 2:
        size = max(size, 1)
    return min(size, eligible)


def _locked(business, campaign_id: int) -> Campaign:
    campaign = (
        Campaign.objects.select_for_update().filter(business=business, pk=campaign_id).first()
    )
    if campaign is None:
        raise NotFound(_("No such campaign."))
    return campaign


def _nobody_message(estimate: dict) -> str:
    if not estimate["members"]:
        return _("This segment has no members: nothing was queued.")
    if not estimate["consenting"]:
        return ngettext(
            "The segment's %(count)d member has not agreed to marketing messages: "
            "nothing was queued.",
            "None of the segment's %(count)d members has agreed to marketing messages: "
            "nothing was queued.",
            estimate["members"],
        ) % {"count": estimate["members"]}
    return _(
        "No one who agreed to marketing messages can be reached on these channels: "
        "nothing was queued."
    )


def campaign_send(*, business, actor, campaign_id: int, now: datetime | None = None) -> Campaign:
    """Draw the audience and its hold-out, store them, and start (or schedule) sending."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = _locked(business, campaign_id)
        if campaign.status != Campaign.Status.DRAFT:
            refuse(_("This campaign has already been sent."), code="already_sent")
        cards = list(
            audience_cards(business=business, campaign=campaign, now=now).select_related("user")
        )
        found = audience.reach(business=business, cards=cards, channels=campaign.channels)
        eligible = [card.pk for card in cards if found.channels.get(card.pk)]
        if not eligible:
            refuse(
                _nobody_message(
                    {"members": found.members, "consenting": found.consenting, "reachable": 0}
                ),
                code="no_recipients",
            )
        _random.shuffle(eligible)
        held = set(eligible[: holdout_size(len(eligible), campaign.holdout_percent)])
        starts = (
            campaign.scheduled_at if campaign.scheduled_at and campaign.scheduled_at > now else now
        )
        Recipient.objects.bulk_create(
            [
                Recipient(
                    business=business,
                    campaign=campaign,
                    client_id=card_id,
                    group=Recipient.Group.HOLDOUT if card_id in held else Recipient.Group.SENT,
                    base_at=starts,
                )
                for card_id in sorted(eligible)
            ],
            batch_size=2000,
        )
        campaign.prepared_at = now
        if starts > now:
            campaign.status = Campaign.Status.SCHEDULED
        else:
            campaign.status, campaign.started_at = Campaign.Status.SENDING, now
        campaign.save(update_fields=["prepared_at", "status", "started_at"])
        audit_log(
            action="marketing.campaign_sent",
            actor=actor,
            business=business,
            obj=campaign,
            data={"recipients": len(eligible) - len(held), "holdout": len(held)},
        )
        if campaign.status == Campaign.Status.SENDING:
            transaction.on_commit(lambda: _enqueue(campaign.pk))
    return campaign


def _enqueue(campaign_id: int) -> None:
    try:
        campaign_queue_task.enqueue(campaign_id=campaign_id)
    except Exception:  # the periodic runner (run_marketing) queues it within a minute anyway
        log.exception("campaign not handed to the task worker", extra={"campaign": campaign_id})


def campaign_cancel(*, business, actor, campaign_id: int) -> Campaign:
    with transaction.atomic():
        campaign = _locked(business, campaign_id)
        if campaign.status not in (Campaign.Status.SCHEDULED, Campaign.Status.SENDING):
            refuse(_("Only a scheduled or sending campaign can be stopped."), code="not_running")
        campaign.status = Campaign.Status.CANCELLED
        campaign.finished_at = timezone.now()
        campaign.save(update_fields=["status", "finished_at"])
        Notification.objects.filter(
            pk__in=Recipient.objects.filter(campaign=campaign, notification__isnull=False).values(
                "notification_id"
            ),
            status=NotificationStatus.PENDING,
        ).update(status=NotificationStatus.CANCELLED, last_error="campaign stopped")
        audit_log(
            action="marketing.campaign_cancelled", actor=actor, business=business, obj=campaign
        )
    return campaign


def _campaign_offer(campaign: Campaign, start: datetime) -> dict | None:
    if campaign.offer not in (Campaign.Offer.CODE, Campaign.Offer.SERVICE):
        return None
    if not campaign.discount_percent:
        return None
    if campaign.offer == Campaign.Offer.SERVICE and campaign.service_id is None:
        return None  # its service was deleted since: no code rather than a whole-visit one
    return {
        "service_id": campaign.service_id,
        "prefix": campaign.name.split()[0] if campaign.name.split() else "OFFER",
        "issued_by": f"campaign:{campaign.pk}",
        "discount_percent": campaign.discount_percent,
        "valid_until": start + timedelta(days=campaign.offer_days),
        "description": campaign.name,
    }


def campaign_run(*, business, campaign_id: int, now: datetime | None = None, batch: int = 1000):
    """Start a scheduled campaign whose time has come and queue what is left; safe
    to run again and beside another runner. Returns how many rows it handled."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = _locked(business, campaign_id)
        due_at = campaign.scheduled_at or now
        if campaign.status == Campaign.Status.SCHEDULED and due_at <= now:
            campaign.status, campaign.started_at = Campaign.Status.SENDING, now
            campaign.save(update_fields=["status", "started_at"])
            Recipient.objects.filter(campaign=campaign).update(base_at=now)
    if campaign.status != Campaign.Status.SENDING:
        return 0
    templates = {
        t.language: (t.subject, t.body) for t in CampaignTemplate.objects.filter(campaign=campaign)
    }
    compose = sending.compose_with(templates, {})
    rows = Recipient.objects.filter(campaign=campaign)
    handled = 0
    while True:
        done = sending.queue_batch(
            business=business,
            rows=rows,
            channels=campaign.channels,
            compose=compose,
            now=now,
            start=campaign.started_at or now,
            batch=batch,
            offer=_campaign_offer(campaign, campaign.started_at or now),
            languages=sorted(templates),
        )
        handled += done
        if not done:
            break
    with transaction.atomic():
        campaign = _locked(business, campaign_id)
        if (
            campaign.status == Campaign.Status.SENDING
            and not rows.filter(group=Recipient.Group.SENT, queued_at__isnull=True).exists()
        ):
            campaign.status, campaign.finished_at = Campaign.Status.SENT, timezone.now()
            campaign.save(update_fields=["status", "finished_at"])
    return handled


@task()
def campaign_queue_task(*, campaign_id: int) -> int:
    """Queue one campaign's messages now (enqueued on commit when it is sent)."""
    with scopes_disabled():
        campaign = Campaign.objects.select_related("business").filter(pk=campaign_id).first()
        if campaign is None:
            return 0
        return campaign_run(business=campaign.business, campaign_id=campaign_id)


def campaigns_run(*, now: datetime | None = None) -> int:
    """Every salon's due campaigns (the periodic runner and the task worker)."""
    now = now or timezone.now()
    handled = 0
    with scopes_disabled():
        due = list(
            Campaign.objects.filter(
                status__in=(Campaign.Status.SCHEDULED, Campaign.Status.SENDING)
            ).select_related("business")
        )
    for campaign in due:
        if campaign.status == Campaign.Status.SCHEDULED and (campaign.scheduled_at or now) > now:
            continue
        with scopes_disabled():
            handled += campaign_run(business=campaign.business, campaign_id=campaign.pk, now=now)
    return handled


# ---------------------------------------------------------------- journeys


def journey_update(
    *,
    business,
    actor,
    kind: str,
    enabled: bool,
    channels: list[str] | None = None,
    holdout_percent: int | None = None,
    discount_percent: int | None = None,
    days: int | None = None,
) -> Journey:
    errors: dict[str, list[str]] = {}
    if kind not in JourneyKind.values:
        raise NotFound(_("No such journey."))
    if channels is not None:
        channels = [c for c in dict.fromkeys(channels) if c in CHANNEL_CODES]
        if not channels:
            errors["channels"] = [_("Choose at least one channel.")]
    if holdout_percent is not None and not 0 <= holdout_percent <= 50:
        errors["holdout_percent"] = [_("A hold-out is from 0 to 50 percent.")]
    if discount_percent is not None and not 1 <= discount_percent <= 100:
        errors["discount_percent"] = [_("A discount is from 1 to 100 percent.")]
    if days is not None and not 14 <= days <= 730:
        errors["days"] = [_("From 14 to 730 days.")]
    if errors:
        refuse_fields(errors)
    with transaction.atomic():
        journey = journey_of(business, kind, lock=True)
        journey.enabled = bool(enabled)
        if channels is not None:
            journey.channels = channels
        if holdout_percent is not None:
            journey.holdout_percent = holdout_percent
        if discount_percent is not None or kind == JourneyKind.CHURN_RISK:
            journey.discount_percent = discount_percent
        if days is not None:
            journey.days = days
        journey.save()
        audit_log(
            action="marketing.journey_on" if journey.enabled else "marketing.journey_off",
            actor=actor,
            business=business,
            obj=journey,
        )
    return journey


def journey_of(business, kind: str, *, lock: bool = False) -> Journey:
    rows = Journey.objects.filter(business=business, kind=kind)
    journey = (rows.select_for_update() if lock else rows).first()
    if journey is None:
        journey, _created = Journey.objects.get_or_create(
            business=business,
            kind=kind,
            defaults={
                "channels": ["email", "sms"],
                "discount_percent": 15 if kind == JourneyKind.CHURN_RISK else None,
            },
        )
    return journey


# ---------------------------------------------------------------- what recipients do


def _recipient(token: str) -> Recipient | None:
    with scopes_disabled():
        return (
            Recipient.objects.filter(token=token)
            .select_related("business", "client", "campaign")
            .first()
        )


def recipient_for_page(*, token: str) -> Recipient | None:
    return _recipient(token)


def message_opened(*, token: str, now: datetime | None = None) -> bool:
    """The e-mail's image was loaded (opens are a floor: many clients block images)."""
    with scopes_disabled():
        return bool(
            Recipient.objects.filter(token=token, opened_at__isnull=True).update(
                opened_at=now or timezone.now()
            )
        )


def message_clicked(*, token: str, now: datetime | None = None) -> Recipient | None:
    """A click on the tracked link; an open too (the message was read)."""
    from django.db.models import F
    from django.db.models.functions import Coalesce

    now = now or timezone.now()
    with scopes_disabled():
        found = Recipient.objects.filter(token=token).update(
            clicks=F("clicks") + 1,
            clicked_at=Coalesce(F("clicked_at"), now),
            opened_at=Coalesce(F("opened_at"), now),
        )
    return _recipient(token) if found else None


def unsubscribe(*, token: str, source: str = "unsubscribe_link", now: datetime | None = None):
    """Stop marketing from this salon to this card: its consent recorded as a no
    (history kept), its unsent marketing messages cancelled. Safe to repeat."""
    now = now or timezone.now()
    row = _recipient(token)
    if row is None:
        raise NotFound(_("This link is not valid."))
    marketing_consent_set(
        business=row.business, client=row.client, granted=False, source=source, now=now
    )
    with scopes_disabled():
        Recipient.objects.filter(pk=row.pk, unsubscribed_at__isnull=True).update(
            unsubscribed_at=now
        )
    return row


def marketing_consent_set(
    *, business, client: Client, granted: bool, source: str, actor=None, now=None
) -> None:
    with transaction.atomic(), scopes_disabled():
        client_consent_record(
            business=business,
            client=client,
            kind=ConsentKind.MARKETING,
            granted=granted,
            actor=actor,
            source=source,
            at=now,
        )
        if not granted:
            Notification.objects.filter(
                pk__in=Recipient.objects.filter(
                    business=business, client=client, notification__isnull=False
                ).values("notification_id"),
                status__in=(NotificationStatus.PENDING, NotificationStatus.FAILED),
            ).update(
                status=NotificationStatus.CANCELLED,
                next_attempt_at=None,
                last_error="the client unsubscribed",
            )


def subscriptions_set(*, user, business_id: int, granted: bool) -> None:
    """The signed-in client's own choice for one salon (their card's consent)."""
    with scopes_disabled():
        card = (
            Client.objects.filter(user=user, business_id=business_id, erased_at__isnull=True)
            .select_related("business")
            .first()
        )
    if card is None:
        raise NotFound(_("No such salon."))
    marketing_consent_set(
        business=card.business, client=card, granted=granted, source="client_area", actor=user
    )
