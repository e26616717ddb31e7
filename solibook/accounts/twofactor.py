"""Two-factor authentication: TOTP (django-otp) with one-time recovery codes.

Owners and managers must have it to enter the back office and to obtain API
tokens when `settings.REQUIRE_2FA` is on (on in base and production; off in
the test settings and for `make run`'s demo). Pages verify the code at login
(django-otp marks the session); API tokens carry an `otp` claim
(`accounts.jwt`).
"""

import secrets
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from solibook.accounts.models import Membership
from solibook.accounts.roles import Role
from solibook.core.audit import audit_log
from solibook.core.errors import Forbidden, ValidationFailed

ROLES_REQUIRING_2FA = frozenset({Role.OWNER, Role.MANAGER})
RECOVERY_CODE_COUNT = 10


class TwoFactorRequired(Forbidden):
    code = "two_factor_required"


def code_missing_error() -> ValidationFailed:
    return ValidationFailed(
        _("Enter the code from your authenticator app."),
        code="otp_required",
        fields={"otp": [_("Enter the code from your authenticator app.")]},
    )


def code_invalid_error() -> ValidationFailed:
    return ValidationFailed(
        _("This code is not valid."),
        code="otp_invalid",
        fields={"otp": [_("This code is not valid.")]},
    )


def verify_first_error() -> TwoFactorRequired:
    """Changing the second factor needs the current one: a stolen password
    (or a session that has not passed the code) must not be enough."""
    return TwoFactorRequired(_("Log in with your authenticator code first."))


def required_for_role(role: str) -> bool:
    return bool(settings.REQUIRE_2FA) and role in ROLES_REQUIRING_2FA


def required_for_user(user) -> bool:
    """Whether this user must set up two-factor: platform staff and anyone
    with an owner or manager membership."""
    if not settings.REQUIRE_2FA or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    with scopes_disabled():
        return Membership.objects.filter(user=user, role__in=ROLES_REQUIRING_2FA).exists()


def is_verified(user) -> bool:
    """The session (django-otp) or token (`otp` claim) passed the second factor."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def has_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def check_code(*, user, code: str):
    """The device that accepts this code (TOTP, or a recovery code which is
    then used up), or None. django-otp throttles repeated failures."""
    code = "".join((code or "").split())
    if not code or len(code) > 16:
        return None
    return match_token(user, code)


def totp_enrol_start(*, user) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user to scan."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def pending_totp(*, user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


def totp_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG data URI (no external request)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def totp_enrol_confirm(*, user, code: str) -> list[str]:
    """Confirm the pending authenticator with a code from it; replace any
    earlier one; return fresh recovery codes (shown once)."""
    device = pending_totp(user=user)
    if device is None:
        raise ValidationFailed(_("Start the set-up again."), code="no_pending_device")
    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == device.digits) or not device.verify_token(code):
        raise ValidationFailed(
            _("This code is not valid. Check your phone's clock and try the current code."),
            fields={"code": [_("This code is not valid.")]},
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit_log(action="auth.2fa_enabled", actor=user, obj=user)
    return codes


def recovery_codes_regenerate(*, user) -> list[str]:
    if not has_totp(user):
        raise ValidationFailed(_("Set up two-factor authentication first."))
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit_log(action="auth.recovery_codes_regenerated", actor=user, obj=user)
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
