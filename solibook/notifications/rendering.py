"""A notification as a message: subject, text and HTML bodies from templates,
in the recipient's language (the caller activates it), with the salon's name
and, for confirmations, changes and cancellations, an `.ics` attachment."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solibook.notifications import ics
from solibook.notifications.models import Channel, Kind, Notification
from solibook.notifications.providers import OutgoingMessage

SUBJECTS = {
    Kind.CONFIRMATION: gettext_lazy("Your visit to %(salon)s on %(when)s is booked"),
    Kind.REMINDER: gettext_lazy("Reminder: your visit to %(salon)s on %(when)s"),
    Kind.CHANGE: gettext_lazy("Your visit to %(salon)s has moved to %(when)s"),
    Kind.CANCELLATION: gettext_lazy("Your visit to %(salon)s on %(when)s is cancelled"),
    Kind.REVIEW_REQUEST: gettext_lazy("How was your visit to %(salon)s?"),
    Kind.WAITLIST_OFFER: gettext_lazy("A time is free at %(salon)s: %(when)s"),
    Kind.NO_SHOW: gettext_lazy("We missed you at %(salon)s"),
}
LEADS = {
    Kind.CONFIRMATION: gettext_lazy("Your visit to %(salon)s is booked."),
    Kind.REMINDER: gettext_lazy("This is a reminder of your visit to %(salon)s."),
    Kind.CHANGE: gettext_lazy("Your visit to %(salon)s has been moved."),
    Kind.CANCELLATION: gettext_lazy("Your visit to %(salon)s has been cancelled."),
    Kind.REVIEW_REQUEST: gettext_lazy("Thank you for visiting %(salon)s. Would you tell us how it went?"),
    Kind.WAITLIST_OFFER: gettext_lazy("A time you were waiting for at %(salon)s is free, and it is held for you."),
    Kind.NO_SHOW: gettext_lazy("We missed you at %(salon)s. If something came up, you are welcome to book another time."),
}
WITH_CALENDAR = {Kind.CONFIRMATION: "REQUEST", Kind.CHANGE: "REQUEST", Kind.CANCELLATION: "CANCEL"}


def local_when(moment: datetime, zone: str) -> str:
    return formats.date_format(moment.astimezone(ZoneInfo(zone)), "DATETIME_FORMAT")


def build_message(notification: Notification) -> OutgoingMessage:
    """Render in the active language (the dispatcher overrides it)."""
    appointment = notification.appointment
    business = notification.business
    salon = business.name
    context = {"notification": notification, "kind": notification.kind, "salon": salon, "recipient_name": notification.recipient_name}
    subject_values = {"salon": salon, "when": ""}
    attachments = []
    if appointment is not None:
        location = appointment.location
        items = list(appointment.items.select_related("service", "master").order_by("position"))
        when = local_when(appointment.starts_at, location.time_zone)
        subject_values["when"] = when
        context.update(
            appointment=appointment,
            when=when,
            where=ics._location_text(location),
            services=", ".join(item.service.name for item in items),
            masters=", ".join(dict.fromkeys(item.master.display_name for item in items)),
        )
        expires = notification.context.get("expires_at")
        if notification.kind == Kind.WAITLIST_OFFER and expires:
            context["offer_expires"] = local_when(datetime.fromisoformat(expires), location.time_zone)
        method = WITH_CALENDAR.get(notification.kind)
        if method and notification.channel == Channel.EMAIL:
            summary = _("%(services)s at %(salon)s") % {"services": context["services"], "salon": salon}
            content = ics.appointment_invitation(appointment, summary=summary, method=method, sequence=int(notification.context.get("sequence", 0)))
            attachments.append(("invite.ics", content, f"text/calendar; charset=utf-8; method={method}"))
            context["ics"] = True
    context["lead"] = LEADS[notification.kind] % {"salon": salon}
    subject = " ".join((SUBJECTS[notification.kind] % subject_values).split())
    if notification.channel == Channel.EMAIL:
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
        to = notification.email
    else:
        text = render_to_string("notifications/sms/message.txt", context).strip()
        html = ""
        to = notification.phone
    return OutgoingMessage(
        channel=notification.channel, to=to, subject=subject, text=text, html=html, from_name=salon,
        language=notification.language, attachments=attachments,
    )
