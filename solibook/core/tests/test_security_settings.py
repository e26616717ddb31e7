"""Headers and production settings: CSP, HSTS, cookies, frame protection,
`check --deploy`."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from solibook.core.validators import clean_origin, validate_embed_origins
from solibook.testing.factories import BusinessFactory, UserFactory

ROOT = Path(__file__).resolve().parents[3]


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/en/accounts/login/")
    policy = _csp(response)
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_script():
    """Inline <script> code and on*= handlers would need 'unsafe-inline'."""
    offenders = []
    for template in ROOT.glob("solibook/**/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, flags=re.S | re.I):
            attrs, body = match.groups()
            if (
                body.strip()
                and "application/json" not in attrs
                and "application/ld+json" not in attrs
            ):
                offenders.append(f"{template.relative_to(ROOT)}: inline <script>")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text, flags=re.I):
            offenders.append(f"{template.relative_to(ROOT)}: on* attribute")
        if re.search(r"""(href|src)\s*=\s*["']\s*javascript:""", text, flags=re.I):
            offenders.append(f"{template.relative_to(ROOT)}: javascript: URL")
    assert not offenders, "move these into static files (CSP):\n" + "\n".join(offenders)


@pytest.mark.django_db
def test_api_docs_load_without_inline_script(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"<script>\s*\S", html)
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_session_cookie_is_httponly_and_lax(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/en/accounts/")
    assert response.status_code == 200
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def _prod_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="solibook.example",
        DATABASE_URL="sqlite:///:memory:",
        DEBUG="0",
        **extra,
    )
    return env


def test_check_deploy_with_production_settings_reports_nothing():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_prod_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_harden_transport_and_require_2fa():
    script = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.REQUIRE_2FA,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['upgrade-insecure-requests'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{script}"],
        cwd=ROOT,
        env=_prod_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    hsts, *flags = result.stdout.split()
    assert int(hsts) >= 31536000
    assert flags == ["True"] * 7


def test_production_without_stripe_keys_takes_no_fake_card_payments():
    """Test-mode cards confirm bookings in the demo; in production they must be
    asked for, never the fallback of a missing Stripe key."""
    script = "from django.conf import settings as s;print(s.PAYMENTS_TEST_MODE)"
    runs = {
        extra: subprocess.run(
            [sys.executable, "-c", f"import django;django.setup();{script}"],
            cwd=ROOT,
            env=_prod_env(STRIPE_SECRET_KEY="", **dict([extra] if extra else [])),
            capture_output=True,
            text=True,
            timeout=60,
        )
        for extra in (None, ("PAYMENTS_TEST_MODE", "1"))
    }
    assert [run.stdout.strip() for run in runs.values()] == ["False", "True"], [
        run.stderr for run in runs.values()
    ]


@pytest.mark.django_db
@pytest.mark.urls("solibook.core.tests.urls_embed")
def test_widget_is_framed_only_by_the_salons_declared_sites(client):
    business = BusinessFactory(
        embed_origins=["https://salon-a.example", "https://book.salon-a.example:8443"]
    )
    response = client.get(f"/widget/{business.slug}/")
    policy = _csp(response)
    assert policy["frame-ancestors"] == [
        "https://book.salon-a.example:8443",
        "https://salon-a.example",
    ]
    assert "X-Frame-Options" not in response
    assert policy["script-src"] == ["'self'"]
    # No declared site: not frameable at all; other pages never.
    bare = BusinessFactory(embed_origins=[])
    assert _csp(client.get(f"/widget/{bare.slug}/"))["frame-ancestors"] == ["'none'"]
    assert client.get("/page/")["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "origin",
    [
        "http://salon.example",
        "https://*.example",
        "https://salon.example/path",
        "javascript:alert(1)",
        "https://salon.example; script-src *",
        "salon.example",
        "https://user@salon.example",
        "https:// salon.example",
    ],
)
def test_embed_origins_refuse_anything_but_an_https_origin(origin):
    with pytest.raises(ValidationError):
        clean_origin(origin)
    with pytest.raises(ValidationError):
        validate_embed_origins([origin])


def test_embed_origins_normalise():
    assert clean_origin("https://Salon.Example/") == "https://salon.example"
    validate_embed_origins(["https://salon.example"])
    with pytest.raises(ValidationError):
        validate_embed_origins("https://salon.example")
