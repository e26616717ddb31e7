"""Bad and hostile input: unicode tricks in names, HTML in user text,
uploaded photos, malformed requests. Always a clear 4xx, never a 500,
nothing written."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from rest_framework.throttling import SimpleRateThrottle

from solibook.accounts.models import User
from solibook.core.errors import ValidationFailed
from solibook.core.images import photo_sanitize
from solibook.core.text import plain_text, sanitize_html
from solibook.core.validators import name_problem, normalise_name, validate_name
from solibook.testing.factories import UserFactory

# --- names --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Anna\u202eevil",  # right-to-left override ("Trojan Source")
        "Anna\u2066x\u2069",  # isolates
        "An\u200bna",  # zero-width space
        "Anna\ufeff",  # BOM
        "Anna\x00",
        "Anna\x1b[31m",  # terminal escape
        "Anna\u2028Bob",  # line separator
        "Anna\ue000",  # private use
    ],
)
def test_names_with_unicode_tricks_are_refused(name):
    with pytest.raises(ValidationError):
        validate_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "Анна Петрова",
        "محمد بن سلمان",
        "Zoë O'Neil-Łukasz",
        "王小明",
        "می\u200cخواهم",
        "👩\u200d🔬 Léa",
    ],
)
def test_real_names_in_every_script_pass(name):
    validate_name(name)
    assert normalise_name(f"  {name}  ") == name


def test_names_are_nfc_normalised():
    assert normalise_name("Zoe\u0308") == "Zoë"


@given(st.text(max_size=40))
def test_name_check_never_crashes(text):
    problem = name_problem(text)
    assert problem in (None, "bidi", "control", "invisible", "unassigned")


@pytest.mark.django_db
def test_sign_up_with_a_bidi_override_is_refused_in_page_and_api(client, api_client):
    response = api_client.post(
        "/api/v1/auth/register/",
        {
            "email": "rlo@example.test",
            "password": "a-long-enough-pass-42",
            "full_name": "Ann\u202ea",
        },
    )
    assert response.status_code == 400
    assert "full_name" in response.json()["error"]["fields"]
    page = client.post(
        "/en/accounts/signup/",
        {
            "email": "rlo@example.test",
            "password": "a-long-enough-pass-42",
            "full_name": "Ann\u202ea",
            "language": "en",
            "time_zone": "Europe/Paris",
        },
    )
    assert page.status_code == 200
    assert b"text-direction" in page.content
    assert not User.objects.exists()


@pytest.mark.django_db
def test_profile_update_refuses_zero_width_names(api_client):
    user = UserFactory(full_name="Anna")
    api_client.force_authenticate(user)
    response = api_client.patch("/api/v1/me/", {"full_name": "An\u200bna"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.full_name == "Anna"


# --- rich text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "dirty, forbidden",
    [
        ("<script>alert(1)</script>Nice", "<script"),
        ('<img src=x onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ("<style>body{display:none}</style>", "<style"),
        ('<p style="position:fixed">x</p>', "style="),
        ("<iframe src=//evil></iframe>", "<iframe"),
        ("<svg><script>alert(1)</script></svg>", "<script"),
        ('<a href="https://ok.example" onclick="x()">ok</a>', "onclick"),
    ],
)
def test_sanitize_html_removes_active_content(dirty, forbidden):
    assert forbidden not in sanitize_html(dirty).lower()


def test_sanitize_html_keeps_formatting_and_hardens_links():
    clean = sanitize_html(
        '<p><strong>Great</strong> cut, <a href="https://salon.example">book</a></p>'
    )
    assert "<strong>Great</strong>" in clean
    assert 'rel="noopener noreferrer nofollow"' in clean
    assert plain_text("<b>bold</b> & <i>it</i>") == "bold &amp; it"


def test_rich_text_filter_renders_sanitised_html():
    from django.template import Context, Template

    html = Template("{% load solibook %}{{ text|rich_text }}|{{ text }}").render(
        Context({"text": "<em>a</em><script>x</script>"})
    )
    rich, escaped = html.split("|")
    assert rich == "<em>a</em>"
    assert "&lt;script&gt;" in escaped


# --- photos ---------------------------------------------------------------------------


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # orientation: rotate 90°
    gps = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, comment=b"secret comment")
    return buffer.getvalue()


def test_photo_metadata_and_gps_are_stripped():
    raw = _jpeg_with_gps()
    with Image.open(io.BytesIO(raw)) as original:
        assert original.getexif().get_ifd(0x8825)  # the fixture really carries GPS
    clean = photo_sanitize(SimpleUploadedFile("me.jpg", raw, content_type="image/jpeg"))
    data = clean.read()
    with Image.open(io.BytesIO(data)) as result:
        assert result.format == "JPEG"
        assert not result.getexif()  # no EXIF at all: no GPS, no camera
        assert "comment" not in result.info and "exif" not in result.info
        assert result.size == (48, 64)  # orientation applied before dropping EXIF
    assert b"PhoneMaker" not in data and b"secret comment" not in data
    assert clean.name.endswith(".jpg")


@pytest.mark.parametrize(
    "payload, name",
    [
        (b"<?php system($_GET['c']); ?>", "shell.jpg"),
        (b"GIF89a" + b"\x00" * 20, "x.gif"),
        (b"%PDF-1.4 not an image", "doc.png"),
        (b"", "empty.jpg"),
    ],
)
def test_non_photos_are_refused(payload, name):
    with pytest.raises(ValidationFailed) as error:
        photo_sanitize(SimpleUploadedFile(name, payload, content_type="image/jpeg"))
    assert error.value.fields == {"image": [error.value.message]}


def test_oversized_photos_are_refused_before_decoding(settings):
    settings.PHOTO_MAX_BYTES = 1024
    with pytest.raises(ValidationFailed, match="too large"):
        photo_sanitize(SimpleUploadedFile("big.jpg", b"\xff" * 2048))


def test_decompression_bombs_are_refused(settings):
    settings.PHOTO_MAX_PIXELS = 10_000
    buffer = io.BytesIO()
    Image.new("L", (1000, 1000)).save(buffer, format="PNG")  # tiny file, a million pixels
    with pytest.raises(ValidationFailed):
        photo_sanitize(SimpleUploadedFile("bomb.png", buffer.getvalue()))


def test_png_with_transparency_stays_png():
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buffer, format="PNG", pnginfo=None)
    clean = photo_sanitize(SimpleUploadedFile("logo.png", buffer.getvalue()), name="logo")
    with Image.open(clean) as result:
        assert result.format == "PNG" and result.mode == "RGBA"


# --- malformed requests ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, content_type, status",
    [
        ("{not json", "application/json", 400),
        ('{"email": "x@example.test", "password": ', "application/json", 400),
        ("email=x@example.test", "application/x-www-form-urlencoded", 415),
        ("<xml/>", "application/xml", 415),
        ('["a", "list"]', "application/json", 400),
        ('{"email": {"$ne": null}, "password": ["x"], "full_name": 5}', "application/json", 400),
        (
            '{"email": "a@example.test", "password": "p", "full_name": "' + "x" * 100_000 + '"}',
            "application/json",
            400,
        ),
    ],
)
def test_malformed_bodies_get_a_clear_4xx_and_write_nothing(api_client, body, content_type, status):
    response = api_client.generic("POST", "/api/v1/auth/register/", body, content_type=content_type)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["message"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_an_oversized_body_is_refused_not_a_500(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = (
        '{"email": "big@example.test", "password": "a-long-enough-pass-42", "full_name": "'
        + "x" * 4096
        + '"}'
    )
    response = api_client.generic(
        "POST", "/api/v1/auth/register/", body, content_type="application/json"
    )
    assert response.status_code in (400, 413)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_huge_or_silly_page_sizes_are_bounded(api_client):
    api_client.force_authenticate(UserFactory())
    for query in (
        "page_size=100000000",
        "page_size=-5",
        "page_size=abc",
        "page=99999999999999999999",
        "page=abc",
    ):
        response = api_client.get(f"/api/v1/appointments/?{query}")
        assert response.status_code in (200, 404), (query, response.status_code)
        if response.status_code == 200:
            assert len(response.json()["results"]) <= 200


@pytest.mark.django_db
def test_null_bytes_and_bidi_in_query_strings_do_not_crash(api_client, client):
    api_client.force_authenticate(UserFactory())
    assert api_client.get("/api/v1/appointments/?page=%00").status_code in (200, 404)
    assert client.get("/en/?q=%E2%80%AEevil%00").status_code in (200, 302, 400)


# --- rate limits ----------------------------------------------------------------------


@pytest.mark.django_db
def test_public_availability_is_rate_limited(api_client, monkeypatch, salon):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "availability", "3/min")
    path = f"/api/v1/locations/{salon.location.pk}/availability/?service_ids={salon.cut.pk}&date=2030-01-07"
    statuses = [api_client.get(path).status_code for _ in range(4)]
    assert statuses[:3] != [429, 429, 429] and statuses[3] == 429
    error = api_client.get(path).json()["error"]
    assert error["code"] == "throttled" and "seconds" in error["message"]
    cache.clear()


@pytest.mark.django_db
def test_the_public_scopes_exist_with_sane_defaults():
    from config.settings import base

    rates = base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    for scope in ("public_search", "availability", "booking", "auth", "privacy"):
        count, period = rates[scope].split("/")
        assert int(count) > 0 and period in ("min", "hour", "day")
