"""The signed link that lets a client manage one booking without an account.

The token is the appointment id signed with the site's secret
(`django.core.signing`, HMAC-SHA256, its own salt), not a random value stored
on the appointment:
- nothing to store or migrate, and every confirmation, reminder, done page and
  account list can print the same link without a write;
- a token that was altered or made up is refused before any database read;
- it reaches that one appointment only: the id is inside the signature.

It expires when the visit ends: the end is read from the appointment when the
link is used, so a moved visit keeps its link valid until its new end, and no
date inside the token can be out of date. A leaked link is as good as the
confirmation e-mail it came in until then; the manage page is rate-limited
per address and per token (`clientarea.views.manage`).
"""

from datetime import datetime

from django.core import signing
from django.urls import reverse
from django.utils import timezone

SALT = "solibook.booking.manage-link"
_signer = signing.Signer(salt=SALT, sep=".", algorithm="sha256")


class BadManageLink(Exception):
    """The token was altered, made up or cut short."""


def manage_token(appointment_id: int) -> str:
    return _signer.sign(str(int(appointment_id)))


def manage_appointment_id(token: str) -> int:
    """The appointment a token reaches; BadManageLink when its signature fails."""
    if not token or len(token) > 120:
        raise BadManageLink
    try:
        value = _signer.unsign(token)
    except signing.BadSignature as exc:
        raise BadManageLink from exc
    if not value.isdigit():
        raise BadManageLink
    return int(value)


def manage_link_expired(appointment, now: datetime | None = None) -> bool:
    """The link works until the visit ends."""
    return appointment.ends_at <= (now or timezone.now())


def manage_path(appointment_id: int) -> str:
    """The manage page's path in the active language."""
    return reverse("clientarea:manage", args=[manage_token(appointment_id)])
