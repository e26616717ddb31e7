"""Bookings made after a tracked link's click are attributed to it.

The click view sets a signed cookie with the visitor's click tokens. The
booking engine's `appointment_changed` carries no request, so the cookie
header of the request being served is kept in a context variable when the
request starts (`request_started` carries the WSGI environ) and read when a
booking is created in it. Nothing else of the request is kept.
"""

from contextvars import ContextVar

from django.core import signing
from django.core.signals import request_finished, request_started
from django.http.cookie import parse_cookie

from solibook.booking.models import Appointment
from solibook.booking.signals import appointment_changed
from solibook.social import services

COOKIE = "sb_clicks"
SALT = "solibook.social.clicks"
MAX_AGE = services.ATTRIBUTION_DAYS * 86400
_cookies: ContextVar[str] = ContextVar("social_request_cookies", default="")


def click_tokens(raw_cookie_header: str) -> list[str]:
    value = parse_cookie(raw_cookie_header or "").get(COOKIE, "")
    if not value:
        return []
    try:
        tokens = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    return [t for t in tokens if isinstance(t, str)][-20:] if isinstance(tokens, list) else []


def cookie_value(existing_header: str, token: str) -> str:
    tokens = [t for t in click_tokens(existing_header) if t != token][-9:]
    return signing.dumps([*tokens, token], salt=SALT)


def _started(sender, environ=None, **kwargs) -> None:
    _cookies.set((environ or {}).get("HTTP_COOKIE", ""))


def _finished(sender, **kwargs) -> None:
    _cookies.set("")


def on_appointment_changed(sender, appointment, kind, data, **kwargs) -> None:
    if kind != "created":
        return
    tokens = click_tokens(_cookies.get())
    if tokens:
        services.booking_attribute(appointment=appointment, click_tokens=tokens)


def connect() -> None:
    request_started.connect(_started, dispatch_uid="social-request-cookies")
    request_finished.connect(_finished, dispatch_uid="social-request-cookies-end")
    appointment_changed.connect(
        on_appointment_changed, sender=Appointment, dispatch_uid="social-attribution"
    )
