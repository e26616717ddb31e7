"""Reads of the notifications app: the salon's template catalogue and
previews, its delivery problems, a client's channel choices."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.template import TemplateSyntaxError
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scope, scopes_disabled

from solibook.booking.models import Appointment
from solibook.catalog.models import Business, Location
from solibook.notifications import ics
from solibook.notifications.defaults import WITH_SUBJECT, default_template
from solibook.notifications.models import (
    Channel,
    ChannelPreference,
    Kind,
    MessageTemplate,
    Notification,
    NotificationStatus,
    SalonNotificationSettings,
)
from solibook.notifications.rendering import (
    branding,
    email_html,
    local_when,
    render_texts,
    site_url,
)

SAMPLE_START = datetime(2030, 6, 3, 8, 0, tzinfo=UTC)


def template_catalog(*, business, channel: str, language: str) -> list[dict]:
    """Every message kind on one channel in one language: the salon's text or the default."""
    own = {
        t.kind: t
        for t in MessageTemplate.objects.filter(
            business=business, channel=channel, language=language
        )
    }
    rows = []
    # The list shows each message as the client reads it (sample data filled in), not its
    # template source: the source, with its {{ client_name }}, is for the edit page.
    values = sample_values(business=business, language=language)
    for kind, label in Kind.choices:
        template = own.get(kind)
        subject, body = (
            (template.subject, template.body)
            if template
            else default_template(kind, channel, language)
        )
        try:
            with override(language):
                sample_subject, sample_text = render_texts(
                    subject=subject if channel in WITH_SUBJECT else "", body=body, values=values
                )
        except TemplateSyntaxError:
            sample_subject, sample_text = "", ""
        rows.append(
            {
                "kind": kind,
                "kind_label": label,
                "channel": channel,
                "language": language,
                "custom": template is not None,
                "subject": subject,
                "body": body,
                "sample_subject": sample_subject,
                "sample_text": sample_text,
                "has_subject": channel in WITH_SUBJECT,
                "last_error": template.last_error if template else "",
                "last_error_at": template.last_error_at if template else None,
                "updated_at": template.updated_at if template else None,
            }
        )
    return rows


def template_for_editing(*, business, kind: str, channel: str, language: str) -> dict:
    template = MessageTemplate.objects.filter(
        business=business, kind=kind, channel=channel, language=language
    ).first()
    default_subject, default_body = default_template(kind, channel, language)
    return {
        "kind": kind,
        "channel": channel,
        "language": language,
        "custom": template is not None,
        "subject": template.subject if template else default_subject,
        "body": template.body if template else default_body,
        "default_subject": default_subject,
        "default_body": default_body,
        "has_subject": channel in WITH_SUBJECT,
        "last_error": template.last_error if template else "",
        "last_error_at": template.last_error_at if template else None,
    }


def sample_values(*, business, language: str) -> dict:
    """Made-up visit data for previews, in the salon's first location's zone."""
    location = Location.objects.filter(business=business).order_by("pk").first()
    zone = location.time_zone if location else settings.TIME_ZONE
    with override(language):
        return {
            "client_name": _("Amélie Martin"),
            "salon": business.name,
            "when": local_when(SAMPLE_START, zone),
            "where": ics._location_text(location) if location else "",
            "services": _("Haircut"),
            "masters": _("Léa"),
            "offer_expires": local_when(SAMPLE_START - timedelta(hours=20), zone),
            "link": site_url(f"/{language}/salons/{business.slug}/"),
        }


def message_preview(
    *, business, kind: str, channel: str, language: str, subject: str, body: str
) -> dict:
    """The message as the client would get it, with sample data; or the template's error."""
    values = sample_values(business=business, language=language)
    try:
        with override(language):
            rendered_subject, text = render_texts(
                subject=subject if channel in WITH_SUBJECT else "", body=body, values=values
            )
    except TemplateSyntaxError as exc:
        return {"ok": False, "error": str(exc), "subject": "", "text": "", "html": ""}
    html = (
        email_html(body=text, business=business, language=language, subject=rendered_subject)
        if channel == Channel.EMAIL
        else ""
    )
    return {
        "ok": True,
        "error": "",
        "subject": rendered_subject,
        "text": text,
        "html": html,
        "brand": branding(business),
    }


def delivery_problems(*, business, limit: int = 50):
    """Messages that failed for good, or are failing and will be retried."""
    return (
        Notification.objects.filter(business=business)
        .filter(
            Q(status=NotificationStatus.FAILED)
            | Q(status=NotificationStatus.PENDING, attempts__gt=0)
        )
        .select_related("appointment")
        .order_by("-created_at", "-id")[:limit]
    )


def template_problems(*, business):
    return (
        MessageTemplate.objects.filter(business=business, last_error_at__isnull=False)
        .exclude(last_error="")
        .order_by("-last_error_at")
    )


def client_salons(*, user) -> list[Business]:
    """Salons the client has booked with (a deliberate cross-tenant read of their own visits)."""
    with scopes_disabled():
        ids = set(
            Appointment.objects.filter(account=user)
            .values_list("business_id", flat=True)
            .distinct()
        )
        try:
            from solibook.clients.models import Client

            ids |= set(
                Client.objects.filter(user=user, erased_at__isnull=True).values_list(
                    "business_id", flat=True
                )
            )
        except ImportError:
            pass
        return list(Business.objects.filter(pk__in=ids).order_by("name"))


def client_preferences(*, user) -> dict:
    """{"all": [channels] or None, "salons": [{business, channels, on_card}]}."""
    from solibook.notifications import preferences

    rows = {row.business_id: row.channels for row in ChannelPreference.objects.filter(user=user)}
    everything = list(Channel.values)
    salons = []
    for business in client_salons(user=user):
        with scope(business=business):
            consent = preferences._clients_allowed(business=business, user=user, email="", phone="")
        if consent is not None:
            channels, on_card = [c for c in everything if c in consent], True
        else:
            channels, on_card = rows.get(business.pk), False
        salons.append({"business": business, "channels": channels, "on_card": on_card})
    return {"all": rows.get(None), "salons": salons}


def current_settings(business) -> tuple[list[int], list[str]]:
    """The salon's reminder delays (minutes) and channels, or the defaults."""
    row = SalonNotificationSettings.objects.get(business=business)
    minutes = row.reminder_minutes or settings.NOTIFICATIONS_REMINDER_MINUTES
    channels = row.channels or settings.NOTIFICATIONS_CHANNELS
    return list(minutes), list(channels)
