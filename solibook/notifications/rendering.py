"""A notification as a message: subject and body from the salon's template
(or the built-in default) in the recipient's language (the caller activates
it), an HTML e-mail in the salon's colours with its logo, and, for
confirmations, changes and cancellations, an `.ics` attachment.

A salon template that fails to render is replaced by the default for that
message, and the failure is written on the template (shown on the salon's
templates page) and in the audit log: the client still gets the message.
"""

import logging
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import override

from solibook.booking.manage_link import manage_path
from solibook.core.audit import audit_log
from solibook.notifications import ics, sandbox
from solibook.notifications.defaults import default_template
from solibook.notifications.models import Channel, Kind, MessageTemplate, Notification
from solibook.notifications.providers import OutgoingMessage

log = logging.getLogger("solibook.notifications")

WITH_CALENDAR = {Kind.CONFIRMATION: "REQUEST", Kind.CHANGE: "REQUEST", Kind.CANCELLATION: "CANCEL"}
DEFAULT_COLOUR = "#7a2e5a"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def local_when(moment: datetime, zone: str) -> str:
    return formats.date_format(moment.astimezone(ZoneInfo(zone)), "DATETIME_FORMAT")


def site_url(path: str = "") -> str:
    return settings.NOTIFICATIONS_SITE_URL.rstrip("/") + path


def _brand_colour(business) -> str:
    try:
        from solibook.catalog.selectors import brand_colour
    except ImportError:  # the back office's branding is optional here
        return ""
    return brand_colour(business)


def _luminance(colour: str) -> float:
    """WCAG relative luminance of `#rrggbb`."""
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def readable_on(colour: str) -> str:
    """White or near-black, whichever reads better on the salon's colour: a salon may
    choose a light colour, and white on it would not reach WCAG's contrast."""
    lum = _luminance(colour)
    on_white = 1.05 / (lum + 0.05)
    on_dark = (lum + 0.05) / (_luminance("#1a1a1a") + 0.05)
    return "#ffffff" if on_white >= on_dark else "#1a1a1a"


def branding(business, cache: dict | None = None) -> dict:
    """The salon's colour (catalog Branding) and logo for the HTML e-mail (defaults when unset)."""
    key = ("brand", business.pk)
    if cache is not None and key in cache:
        return cache[key]
    colour = _brand_colour(business)
    logo = ""
    if getattr(business, "logo", None):
        try:
            logo = business.logo.url
        except ValueError:
            logo = ""
        if logo and not logo.startswith(("http://", "https://")):
            logo = site_url(logo)
    colour = colour if _COLOUR.match(colour or "") else DEFAULT_COLOUR
    brand = {"colour": colour, "on_colour": readable_on(colour), "logo": logo}
    if cache is not None:
        cache[key] = brand
    return brand


def message_values(notification: Notification) -> dict:
    """The template variables (plain strings) of one notification."""
    business = notification.business
    with override(notification.language):
        link = (
            site_url(reverse("marketplace:salon", args=[business.slug]))
            if business.slug
            else site_url("/")
        )
    entry_id = notification.context.get("entry_id")
    if notification.kind == Kind.WAITLIST_OFFER and entry_id:
        # The offer's own page, with its Confirm button (the client area's).
        with override(notification.language):
            link = site_url(reverse("clientarea:waitlist_offer", args=[entry_id]))
    values = {"client_name": notification.recipient_name, "salon": business.name, "link": link}
    appointment = notification.appointment
    if appointment is not None:
        location = appointment.location
        items = sorted(
            appointment.items.all(), key=lambda item: item.position
        )  # prefetched by the dispatcher
        with override(notification.language):
            values["manage_link"] = site_url(manage_path(appointment.pk))
        values.update(
            when=local_when(appointment.starts_at, location.time_zone),
            where=ics._location_text(location),
            services=", ".join(item.service.name for item in items),
            masters=", ".join(dict.fromkeys(item.master.display_name for item in items)),
        )
        expires = notification.context.get("expires_at")
        if notification.kind == Kind.WAITLIST_OFFER and expires:
            values["offer_expires"] = local_when(
                datetime.fromisoformat(expires), location.time_zone
            )
    return values


def salon_template(
    *, business_id: int, kind: str, channel: str, language: str, cache: dict | None = None
) -> MessageTemplate | None:
    """The salon's template; `cache` (one per dispatch batch) reads each salon's templates once."""
    if cache is None:
        return MessageTemplate.objects.filter(
            business_id=business_id, kind=kind, channel=channel, language=language
        ).first()
    if business_id not in cache:
        cache[business_id] = {
            (t.kind, t.channel, t.language): t
            for t in MessageTemplate.objects.filter(business_id=business_id)
        }
    return cache[business_id].get((kind, channel, language))


def render_texts(*, subject: str, body: str, values: dict) -> tuple[str, str]:
    """Render (subject, body); raises django.template.TemplateSyntaxError on a bad template."""
    return " ".join(sandbox.render(subject, values).split()), sandbox.render(
        body, values
    ).strip() + "\n"


def _report_failure(template: MessageTemplate, error: str, notification: Notification) -> None:
    log.warning(
        "salon template failed, default sent",
        extra={"template_id": template.pk, "notification_id": notification.pk, "error": error},
    )
    MessageTemplate.objects.filter(pk=template.pk).update(
        last_error=error[:2000], last_error_at=timezone.now()
    )
    audit_log(
        business=notification.business,
        action="notifications.template_failed",
        obj=template,
        data={"error": error[:500], "notification_id": notification.pk},
    )


def texts_for(
    notification: Notification, values: dict, cache: dict | None = None
) -> tuple[str, str, bool]:
    """(subject, body, fell_back): the salon's template, else the default."""
    kind, channel, language = notification.kind, notification.channel, notification.language
    template = salon_template(
        business_id=notification.business_id,
        kind=kind,
        channel=channel,
        language=language,
        cache=cache,
    )
    if template is not None:
        try:
            subject, body = render_texts(
                subject=template.subject, body=template.body, values=values
            )
        except Exception as exc:  # a salon's text failing in any way falls back to ours
            _report_failure(template, f"{type(exc).__name__}: {exc}", notification)
        else:
            if not subject and channel in (Channel.EMAIL, Channel.PUSH):
                subject = render_texts(
                    subject=default_template(kind, channel, language)[0], body="", values=values
                )[0]
            return subject, body, False
    subject, body = default_template(kind, channel, language)
    return (*render_texts(subject=subject, body=body, values=values), template is not None)


EMAIL_TEMPLATE = "notifications/email/message.html"


def email_html(
    *, body: str, business, language: str, subject: str, cache: dict | None = None
) -> str:
    if cache is None:
        template = get_template(EMAIL_TEMPLATE)
    elif (template := cache.get(EMAIL_TEMPLATE)) is None:
        # Looked up once per batch: finding it among the engines and loaders each time
        # cost a third as much as rendering it.
        template = cache[EMAIL_TEMPLATE] = get_template(EMAIL_TEMPLATE)
    return template.render(
        {
            "body": body,
            "salon": business.name,
            "brand": branding(business, cache),
            "subject": subject,
            "language": language,
        },
    )


def prepared_message(notification: Notification, prepared: dict, cache: dict | None = None):
    """A message another area wrote whole (a marketing campaign or journey, see
    docs/marketing.md): its subject, text, link and e-mail headers as given; the
    e-mail in the salon's colours, with the open-tracking image when there is one."""
    text, subject = prepared.get("text", ""), prepared.get("subject", "")
    html = ""
    if notification.channel == Channel.EMAIL:
        html = email_html(
            body=text,
            business=notification.business,
            language=notification.language,
            subject=subject,
            cache=cache,
        )
        if prepared.get("pixel"):
            image = f'<img src="{escape(prepared["pixel"])}" width="1" height="1" alt="">'
            html = html.replace("</body>", image + "</body>", 1)
    to = {Channel.EMAIL: notification.email, Channel.PUSH: str(notification.recipient_id or "")}
    return OutgoingMessage(
        channel=notification.channel,
        to=to.get(notification.channel, notification.phone),
        subject=subject,
        text=text,
        html=html,
        from_name=notification.business.name,
        language=notification.language,
        link=prepared.get("link", ""),
        headers=dict(prepared.get("headers") or {}),
    )


def build_message(notification: Notification, *, templates: dict | None = None) -> OutgoingMessage:
    """Render in the active language (the dispatcher overrides it)."""
    prepared = notification.context.get("prepared")
    if prepared:
        return prepared_message(notification, prepared, templates)
    appointment = notification.appointment
    business = notification.business
    values = message_values(notification)
    subject, text, _fell_back = texts_for(notification, values, templates)
    attachments = []
    method = WITH_CALENDAR.get(notification.kind)
    if appointment is not None and method and notification.channel == Channel.EMAIL:
        summary = _("%(services)s at %(salon)s") % {
            "services": values.get("services", ""),
            "salon": business.name,
        }
        content = ics.appointment_invitation(
            appointment,
            summary=summary,
            method=method,
            sequence=int(notification.context.get("sequence", 0)),
        )
        attachments.append(
            ("invite.ics", content, f"text/calendar; charset=utf-8; method={method}")
        )
    html = ""
    if notification.channel == Channel.EMAIL:
        html = email_html(
            body=text,
            business=business,
            language=notification.language,
            subject=subject,
            cache=templates,
        )
        to = notification.email
    elif notification.channel == Channel.PUSH:
        to = str(notification.recipient_id or "")
    else:
        to = notification.phone
    return OutgoingMessage(
        channel=notification.channel,
        to=to,
        subject=subject,
        text=text,
        html=html,
        from_name=business.name,
        language=notification.language,
        attachments=attachments,
        link=values.get("link", ""),
    )
