"""The default message of every kind and channel, as sandbox template source
in the active language: what a salon gets until it edits a template, what
its editor starts from, and what is sent when its own template fails.

Sentences are translated one by one; the `{{ variables }}` inside them are
kept as they are by the translators.
"""

from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import override

from solibook.notifications.models import Channel, Kind

WITH_SUBJECT = (Channel.EMAIL, Channel.PUSH)


def _subject(kind: str) -> str:
    return {
        Kind.CONFIRMATION: _("Your visit to {{ salon }} on {{ when }} is booked"),
        Kind.REMINDER: _("Reminder: your visit to {{ salon }} on {{ when }}"),
        Kind.CHANGE: _("Your visit to {{ salon }} has moved to {{ when }}"),
        Kind.CANCELLATION: _("Your visit to {{ salon }} on {{ when }} is cancelled"),
        Kind.REVIEW_REQUEST: _("How was your visit to {{ salon }}?"),
        Kind.WAITLIST_OFFER: _("A time is free at {{ salon }}: {{ when }}"),
        Kind.NO_SHOW: _("We missed you at {{ salon }}"),
        Kind.DEPOSIT_KEPT: _("Your payment reached {{ salon }} late: your visit is kept"),
        Kind.DEPOSIT_RELEASED: _("Your payment reached {{ salon }} late: nothing is charged"),
    }[kind]


def _lead(kind: str) -> str:
    return {
        Kind.CONFIRMATION: _("Your visit to {{ salon }} is booked."),
        Kind.REMINDER: _("This is a reminder of your visit to {{ salon }}."),
        Kind.CHANGE: _("Your visit to {{ salon }} has been moved."),
        Kind.CANCELLATION: _("Your visit to {{ salon }} has been cancelled."),
        Kind.REVIEW_REQUEST: _(
            "Thank you for visiting {{ salon }}. Would you tell us how it went?"
        ),
        Kind.WAITLIST_OFFER: _(
            "A time you were waiting for at {{ salon }} is free, and it is held for you."
        ),
        Kind.NO_SHOW: _(
            "We missed you at {{ salon }}. If something came up, you are welcome to book another time."
        ),
        Kind.DEPOSIT_KEPT: _(
            "Your payment arrived after the time {{ salon }} held for you ran out. The time "
            "was still free, so your visit is booked and the payment is kept."
        ),
        Kind.DEPOSIT_RELEASED: _(
            "Your payment arrived after the time {{ salon }} held for you ran out, and "
            "someone else booked that time meanwhile. The payment was cancelled: nothing is "
            "charged."
        ),
    }[kind]


def _extra(kind: str, channel: str) -> list[str]:
    lines = []
    if kind == Kind.WAITLIST_OFFER:
        lines.append(
            "{% if offer_expires %}"
            + _("The time is held for you until {{ offer_expires }}.")
            + "{% endif %}"
        )
    if kind in (Kind.CONFIRMATION, Kind.CHANGE, Kind.CANCELLATION) and channel == Channel.EMAIL:
        lines.append(_("The attached calendar file updates the visit in your calendar."))
    if kind in (Kind.CONFIRMATION, Kind.CHANGE, Kind.REMINDER, Kind.DEPOSIT_KEPT):
        lines.append(
            "{% if manage_link %}"
            + _("Move, cancel or add it to your calendar: {{ manage_link }}")
            + "{% endif %}"
        )
    if kind == Kind.REVIEW_REQUEST:
        lines.append(_("Leave a review: {{ link }}"))
    elif kind in (Kind.WAITLIST_OFFER, Kind.NO_SHOW, Kind.CANCELLATION, Kind.DEPOSIT_RELEASED):
        lines.append(_("Book or confirm online: {{ link }}"))
    return lines


def _details() -> str:
    return "\n".join(
        (
            "{% if when %}" + _("When: {{ when }}") + "{% endif %}",
            "{% if where %}" + _("Where: {{ where }}") + "{% endif %}",
            "{% if services %}" + _("Services: {{ services }}") + "{% endif %}",
            "{% if masters %}" + _("With: {{ masters }}") + "{% endif %}",
        )
    )


def _email_body(kind: str) -> str:
    greeting = (
        "{% if client_name %}"
        + _("Hello {{ client_name }},")
        + "{% else %}"
        + _("Hello,")
        + "{% endif %}"
    )
    parts = [greeting, _lead(kind)]
    if kind != Kind.NO_SHOW and kind != Kind.REVIEW_REQUEST:
        parts.append(_details())
    parts += _extra(kind, Channel.EMAIL)
    parts.append(_("See you soon,") + "\n{{ salon }}")
    return "\n\n".join(parts) + "\n"


def _short_body(kind: str, channel: str) -> str:
    text = "{{ salon }}: " + _lead(kind)
    if kind not in (Kind.NO_SHOW, Kind.REVIEW_REQUEST):
        text += "{% if when %} {{ when }}{% endif %}{% if where %}, {{ where }}{% endif %}"
    extra = _extra(kind, channel)
    if extra:
        text += " " + " ".join(extra)
    return text


@lru_cache(maxsize=256)
def default_template(kind: str, channel: str, language: str) -> tuple[str, str]:
    """(subject, body) template source of the built-in message. Built once per kind,
    channel and language and process: the dispatcher asks it for every message, and
    looking up its translated sentences cost more than rendering the texts from them."""
    with override(language):
        subject = _subject(kind) if channel in WITH_SUBJECT else ""
        body = _email_body(kind) if channel == Channel.EMAIL else _short_body(kind, channel)
    return subject, body
