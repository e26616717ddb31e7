"""Authentication hardening: two-factor, lockout, session rotation, log out
everywhere, JWT attacks. The features are on here (settings fixture); the
test settings keep them off for the rest of the suite."""

import time

import jwt
import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from solibook.accounts import twofactor
from solibook.accounts.roles import Role
from solibook.core.models import AuditEvent
from solibook.testing.factories import TEST_PASSWORD, BusinessFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict(settings):
    settings.REQUIRE_2FA = True
    settings.AXES_ENABLED = True
    # django-otp's back-off after a wrong code (1 s, 2 s, 4 s...) is tested on
    # its own below; here a wrong code may be followed at once by a right one.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    return settings


def _code(device: TOTPDevice, drift: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + drift * device.step
    return f"{totp.token():0{device.digits}d}"


def _enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = twofactor.totp_enrol_start(user=user)
    codes = twofactor.totp_enrol_confirm(user=user, code=_code(device))
    device.refresh_from_db()
    return device, codes


def _login_page(client, email, password=TEST_PASSWORD, **extra):
    return client.post("/en/accounts/login/", {"username": email, "password": password}, **extra)


# --- two-factor: pages ------------------------------------------------------------
def test_owner_without_2fa_is_sent_to_set_it_up_before_the_back_office(client, strict):
    business = BusinessFactory()
    owner = member(business, Role.OWNER)
    assert _login_page(client, owner.email).status_code == 302
    response = client.get(f"/en/office/{business.slug}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/security/two-factor/")

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"data:image/svg+xml" in page.content  # the QR code, no external request
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    bad = client.post(
        response["Location"], {"code": "000000" if _code(device) != "000000" else "111111"}
    )
    assert bad.status_code == 200 and b"not valid" in bad.content
    done = client.post(response["Location"], {"code": _code(device)})
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10  # recovery codes shown once
    assert client.get(f"/en/office/{business.slug}/").status_code == 200


def test_receptionists_do_not_need_2fa(client, strict):
    business = BusinessFactory()
    receptionist = member(business, Role.RECEPTIONIST)
    _login_page(client, receptionist.email)
    assert client.get(f"/en/office/{business.slug}/").status_code == 200


def test_2fa_off_lets_owners_in_as_before(client, settings):
    settings.REQUIRE_2FA = False
    business = BusinessFactory()
    client.force_login(member(business, Role.OWNER))
    assert client.get(f"/en/office/{business.slug}/").status_code == 200


def test_login_with_an_authenticator_asks_for_the_code_and_rotates_the_session(client, strict):
    business = BusinessFactory()
    owner = member(business, Role.MANAGER)
    device, _codes = _enrol(owner)
    session = client.session
    session["probe"] = 1
    session.save()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = session.session_key
    anonymous_key = session.session_key
    response = _login_page(client, owner.email)
    assert response["Location"] == "/en/accounts/login/verify/"
    assert "_auth_user_id" not in client.session  # not logged in by the password alone
    assert client.get(f"/en/office/{business.slug}/").status_code == 302
    assert client.post("/en/accounts/login/verify/", {"code": "12345"}).status_code == 200
    # The code of the current step was used to enrol (no replay): the next one.
    response = client.post("/en/accounts/login/verify/", {"code": _code(device, drift=1)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert client.session.session_key != anonymous_key
    assert client.get(f"/en/office/{business.slug}/").status_code == 200
    with scopes_disabled():
        login = AuditEvent.objects.get(action="auth.login", business=business)
    assert login.data["two_factor"] is True and login.actor == owner


def test_a_recovery_code_works_once(client, strict):
    user = UserFactory()
    _device, codes = _enrol(user)
    _login_page(client, user.email)
    assert client.post("/en/accounts/login/verify/", {"code": codes[0]}).status_code == 302
    client.logout()
    _login_page(client, user.email)
    assert client.post("/en/accounts/login/verify/", {"code": codes[0]}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_login_rotates_the_session_key(client):
    user = UserFactory()
    session = client.session  # an anonymous session an attacker could have planted
    session["probe"] = 1
    session.save()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key
    assert _login_page(client, user.email).status_code == 302
    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert before != after
    assert not Session.objects.filter(session_key=before).exists()


def test_stolen_session_cannot_replace_the_authenticator(client, strict):
    """Password-only access (2FA pending on this session) may not re-enrol."""
    user = UserFactory()
    _enrol(user)
    client.force_login(user)  # logged in, second factor not passed
    response = client.get("/en/accounts/security/two-factor/")
    assert response.status_code == 302 and "/login/verify/" in response["Location"]
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_wrong_codes_slow_down_guessing(client, strict):
    strict.OTP_TOTP_THROTTLE_FACTOR = 1
    user = UserFactory()
    device, _codes = _enrol(user)
    _login_page(client, user.email)
    wrong = "000000" if _code(device) != "000000" else "111111"
    client.post("/en/accounts/login/verify/", {"code": wrong})
    # Right after a failure even the right code is refused (exponential back-off).
    assert client.post("/en/accounts/login/verify/", {"code": _code(device)}).status_code == 200
    assert "_auth_user_id" not in client.session


# --- lockout ----------------------------------------------------------------------
def test_five_failed_logins_lock_the_account_for_that_address(client, strict):
    user = UserFactory()
    for _ in range(5):
        assert _login_page(client, user.email, "wrong-password").status_code in (200, 429)
    locked = _login_page(client, user.email)  # the right password, now refused
    assert locked.status_code == 429
    assert b"Too many failed" in locked.content
    assert "_auth_user_id" not in client.session
    # Another address is not locked (no denial of service by lock-out).
    assert _login_page(client, user.email, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_the_jwt_endpoint_locks_out_too(api_client, strict):
    user = UserFactory()
    for _ in range(5):
        assert api_client.post(
            "/api/v1/auth/token/", {"email": user.email, "password": "nope"}
        ).status_code in (401, 429)
    response = api_client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert response.json()["error"]["message"].startswith("Too many failed")


# --- two-factor: API --------------------------------------------------------------
def test_api_tokens_need_the_code_once_enrolled_and_back_office_needs_a_verified_token(
    api_client, strict
):
    business = BusinessFactory()
    owner = member(business, Role.OWNER)
    plain = api_client.post(
        "/api/v1/auth/token/", {"email": owner.email, "password": TEST_PASSWORD}
    ).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain['access']}")
    refused = api_client.get(f"/api/v1/businesses/{business.pk}/")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "two_factor_required"

    # Enrol through the API with that (unverified) token.
    setup = api_client.post("/api/v1/me/two-factor/totp/")
    assert setup.status_code == 201 and setup.json()["otpauth_uri"].startswith("otpauth://totp/")
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    confirmed = api_client.post("/api/v1/me/two-factor/totp/confirm/", {"code": _code(device)})
    assert confirmed.status_code == 200 and len(confirmed.json()["recovery_codes"]) == 10

    api_client.credentials()
    missing = api_client.post(
        "/api/v1/auth/token/", {"email": owner.email, "password": TEST_PASSWORD}
    )
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "otp_required"
    wrong = api_client.post(
        "/api/v1/auth/token/", {"email": owner.email, "password": TEST_PASSWORD, "otp": "000001"}
    )
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "otp_invalid"
    good = api_client.post(
        "/api/v1/auth/token/",
        {"email": owner.email, "password": TEST_PASSWORD, "otp": _code(device, drift=1)},
    )
    assert good.status_code == 200, good.content
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {good.json()['access']}")
    assert api_client.get(f"/api/v1/businesses/{business.pk}/").status_code == 200
    # A refreshed access token keeps the second factor.
    api_client.credentials()
    refreshed = api_client.post(
        "/api/v1/auth/token/refresh/", {"refresh": good.json()["refresh"]}
    ).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {refreshed['access']}")
    assert api_client.get(f"/api/v1/businesses/{business.pk}/").status_code == 200
    assert api_client.get("/api/v1/me/two-factor/").json() == {
        "enrolled": True,
        "verified": True,
        "required": True,
        "recovery_codes_left": 10,
    }


def test_unverified_token_cannot_replace_the_authenticator(api_client, strict):
    user = UserFactory()
    _enrol(user)
    from solibook.accounts.jwt import token_for

    api_client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {token_for(user, otp_verified=False).access_token}"
    )
    assert api_client.post("/api/v1/me/two-factor/totp/").status_code == 403
    assert api_client.post("/api/v1/me/two-factor/recovery-codes/").status_code == 403


# --- log out everywhere -----------------------------------------------------------
def test_log_out_everywhere_ends_sessions_and_revokes_tokens(client, api_client, django_user_model):
    from django.test import Client

    user = UserFactory()
    other_device = Client()
    other_device.force_login(user)
    client.force_login(user)
    pair = api_client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": TEST_PASSWORD}
    ).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert api_client.get("/api/v1/me/").status_code == 200

    response = client.post("/en/accounts/security/logout-everywhere/")
    assert response.status_code == 302
    assert other_device.get("/en/accounts/").status_code == 302  # sent to log in
    assert api_client.get("/api/v1/me/").status_code == 401  # the access token too
    api_client.credentials()
    assert (
        api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}).status_code
        == 401
    )
    assert (
        BlacklistedToken.objects.filter(token__user=user).count()
        == OutstandingToken.objects.filter(user=user).count()
    )
    # Logging in again works at once.
    fresh = api_client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": TEST_PASSWORD}
    ).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {fresh['access']}")
    assert api_client.get("/api/v1/me/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.logout_everywhere", actor=user).exists()


def test_log_out_everywhere_through_the_api(api_client):
    user = UserFactory()
    pair = api_client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": TEST_PASSWORD}
    ).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert api_client.post("/api/v1/auth/logout-everywhere/").status_code == 204
    assert api_client.get("/api/v1/me/").status_code == 401


# --- JWT --------------------------------------------------------------------------
def _claims(user, **extra):
    now = int(time.time())
    return {
        "token_type": "access",
        "user_id": str(user.pk),
        "jti": "x" * 32,
        "iat": now,
        "exp": now + 60,
        "aud": "solibook-api",
        "iss": "solibook",
        **extra,
    }


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda c: jwt.encode(c, key=None, algorithm="none"), id="alg-none"),
        pytest.param(
            lambda c: jwt.encode(c, django_settings.SECRET_KEY, algorithm="HS512"),
            id="alg-not-allowed",
        ),
        pytest.param(
            lambda c: jwt.encode(
                {**c, "aud": "other-app"}, django_settings.SECRET_KEY, algorithm="HS256"
            ),
            id="wrong-audience",
        ),
        pytest.param(
            lambda c: jwt.encode(
                {**c, "iss": "someone-else"}, django_settings.SECRET_KEY, algorithm="HS256"
            ),
            id="wrong-issuer",
        ),
        pytest.param(
            lambda c: jwt.encode(
                {**c, "exp": c["iat"] - 1}, django_settings.SECRET_KEY, algorithm="HS256"
            ),
            id="expired",
        ),
        pytest.param(
            lambda c: jwt.encode(c, "not-the-secret-" * 4, algorithm="HS256"), id="wrong-key"
        ),
        pytest.param(
            lambda c: jwt.encode(
                {**c, "token_type": "refresh"}, django_settings.SECRET_KEY, algorithm="HS256"
            ),
            id="refresh-as-access",
        ),
    ],
)
def test_forged_or_stale_tokens_are_refused(api_client, make):
    user = UserFactory()
    good = jwt.encode(_claims(user), django_settings.SECRET_KEY, algorithm="HS256")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {good}")
    assert (
        api_client.get("/api/v1/me/").status_code == 200
    )  # the control: a well-formed token works
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {make(_claims(user))}")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] in ("token_not_valid", "authentication_failed")


def test_access_tokens_are_short_lived_and_refresh_tokens_rotate():
    jwt_settings = django_settings.SIMPLE_JWT
    assert jwt_settings["ACCESS_TOKEN_LIFETIME"].total_seconds() <= 15 * 60
    assert jwt_settings["ROTATE_REFRESH_TOKENS"] and jwt_settings["BLACKLIST_AFTER_ROTATION"]
    assert jwt_settings["ALGORITHM"] == "HS256"


# --- passwords --------------------------------------------------------------------
@pytest.mark.parametrize("password", ["password123", "1234567890", "short", "qwertyuiop"])
def test_weak_passwords_are_refused(api_client, password):
    response = api_client.post(
        "/api/v1/auth/register/",
        {"email": "weak@example.test", "password": password, "full_name": "Weak Password"},
    )
    assert response.status_code == 400
    assert "password" in response.json()["error"]["fields"]


def test_roles_requiring_2fa():
    assert {Role.OWNER, Role.MANAGER} == twofactor.ROLES_REQUIRING_2FA


def test_security_page_is_translated(client):
    client.force_login(UserFactory())
    assert "Sécurité et confidentialité" in client.get("/fr/accounts/security/").content.decode()
    assert "الأمان والخصوصية" in client.get("/ar/accounts/security/").content.decode()
