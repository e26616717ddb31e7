"""API tokens: simplejwt, plus two things it does not know.

- A token obtained with a TOTP code carries `otp: true`; the user it
  authenticates then counts as verified for two-factor checks
  (`accounts.twofactor.is_verified`), as a page session does after django-otp's
  verify step. Refreshing keeps the claim (simplejwt copies claims).
- "Log out everywhere" (`User.sessions_revoked_at`) refuses every token issued
  before it, access tokens included, not only the blacklisted refresh tokens:
  tokens carry the user's revocation mark (`rev`) and must match it.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication as SimpleJWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed
from rest_framework_simplejwt.tokens import RefreshToken

REVOKED_MESSAGE = _("This token was revoked. Log in again.")
OTP_CLAIM = "otp"
REVOCATION_CLAIM = "rev"


def revocation_mark(user) -> str:
    return user.sessions_revoked_at.isoformat() if user.sessions_revoked_at else ""


def token_for(user, *, otp_verified: bool):
    """A refresh token (its `.access_token` is the access token) with our claims."""
    token = RefreshToken.for_user(user)
    token[OTP_CLAIM] = otp_verified
    token[REVOCATION_CLAIM] = revocation_mark(user)
    return token


def issued_before_revocation(user, token) -> bool:
    return token.get(REVOCATION_CLAIM, "") != revocation_mark(user)


class JWTAuthentication(SimpleJWTAuthentication):
    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        if issued_before_revocation(user, validated_token):
            raise AuthenticationFailed(REVOKED_MESSAGE, code="token_revoked")
        verified = bool(validated_token.get(OTP_CLAIM))
        user.is_verified = lambda: verified
        return user


class JWTScheme(SimpleJWTScheme):
    """OpenAPI: the same bearer scheme drf-spectacular gives simplejwt's class."""

    target_class = "solibook.accounts.jwt.JWTAuthentication"
    name = "jwtAuth"
