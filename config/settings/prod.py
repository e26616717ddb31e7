"""Production: the base settings with the hardening that needs TLS in front.

`DJANGO_SETTINGS_MODULE=config.settings.prod python manage.py check --deploy`
reports nothing (solibook/core/tests/test_security_settings.py runs it).
"""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import CONTENT_SECURITY_POLICY, DEMO_INBOX, env

if DEMO_INBOX:
    raise ImproperlyConfigured("SOLIBOOK_DEMO=1 (the demo inbox) is refused in production.")
# Fake cards never confirm a real booking here: without Stripe keys a salon takes
# payment at the venue, unless the operator turns test payments on knowingly.
PAYMENTS_TEST_MODE = env.bool("PAYMENTS_TEST_MODE", default=False)

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Owners and managers always need two-factor authentication in production.
REQUIRE_2FA = True
CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,
    "DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True},
}
# `check --deploy` checks the deployment; drf-spectacular would also generate
# the whole schema there and report naming warnings, which the test suite
# (schema and fuzz tests) covers instead.
SPECTACULAR_SETTINGS = {**SPECTACULAR_SETTINGS, "ENABLE_DJANGO_DEPLOY_CHECK": False}  # noqa: F405
