"""Salon-editable templates: the sandbox, saving (refused with the error),
previews (page with htmx and API), sending with the salon's text, a broken
template at send time (default sent, salon told), all four languages, branding."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.core.errors import ValidationFailed
from solibook.core.models import AuditEvent
from solibook.core.tenancy import business_scope
from solibook.notifications import sandbox
from solibook.notifications.consumer import consume_outbox
from solibook.notifications.defaults import default_template
from solibook.notifications.dispatcher import dispatch_due
from solibook.notifications.models import Channel, Kind, MessageTemplate, Notification
from solibook.notifications.rendering import readable_on
from solibook.notifications.services import message_template_save
from solibook.testing.booking import book
from solibook.testing.factories import BusinessFactory, UserFactory, member
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "ru", "ar")


@pytest.mark.parametrize(
    "source, error",
    [
        ("{% load static %}", "load"),
        ("{% include 'base.html' %}", "include"),
        ("{% extends 'base.html' %}", "extends"),
        ("{{ settings.SECRET_KEY }}", "Unknown variable"),
        ("{{ salon.__class__ }}", "underscore"),
        ("{% if client_name %}Hello", "Unclosed tag"),
        ("{{ when|date:'Y' }}", "Invalid filter"),
        ("{% debug %}", "debug"),
        ("{{ salon|default:secret }}", "Unknown variable"),
        ("x" * (sandbox.MAX_LENGTH + 1), "at most"),
    ],
)
def test_the_sandbox_refuses_what_is_not_allowed(source, error):
    assert error in sandbox.check(source)


def test_the_sandbox_renders_only_the_fixed_context():
    text = sandbox.render(
        "{% if client_name %}Hi {{ client_name|upper }}{% else %}Hi{% endif %} · {{ link|default:'-' }}",
        {"client_name": "Zoé <b>", "secret": "x"},
    )
    assert text == "Hi ZOÉ <B> · -"


def test_every_default_renders_in_four_languages_without_english_left(salon):
    for kind in Kind.values:
        for channel in Channel.values:
            english = default_template(kind, channel, "en")
            for language in LANGUAGES:
                subject, body = default_template(kind, channel, language)
                assert not sandbox.check(subject) and not sandbox.check(body), (
                    kind,
                    channel,
                    language,
                )
                if language != "en":
                    assert body != english[1], f"untranslated {kind}/{channel} in {language}"
                    if channel in (Channel.EMAIL, Channel.PUSH):
                        assert subject != english[0], f"untranslated subject {kind} in {language}"


def test_saving_a_broken_template_is_refused_with_the_error(salon):
    with business_scope(salon.business), pytest.raises(ValidationFailed) as refused:
        message_template_save(
            business=salon.business,
            kind=Kind.REMINDER,
            channel=Channel.SMS,
            language="fr",
            subject="",
            body="{% if when %}Demain",
        )
    assert "body" in refused.value.fields and "Unclosed tag" in refused.value.fields["body"][0]
    with scopes_disabled():
        assert not MessageTemplate.objects.exists()


def test_salon_template_is_sent_in_the_clients_language(salon, smtp):
    with business_scope(salon.business):
        message_template_save(
            business=salon.business,
            kind=Kind.CONFIRMATION,
            channel=Channel.EMAIL,
            language="fr",
            subject="C'est noté, {{ client_name }} !",
            body="Coucou {{ client_name }}, à {{ when }} chez {{ salon }}.\nLien : {{ link }}",
        )
    book(
        salon,
        paris(10),
        account=UserFactory(language="fr", email="zoe@example.test", full_name="Zoé"),
    )
    book(salon, paris(12), account=UserFactory(language="en", email="bob@example.test"))
    consume_outbox(now=NOW)
    assert dispatch_due(now=NOW).sent == 2
    [fr] = smtp.to("zoe@example.test")
    assert fr["Subject"] == "C'est noté, Zoé !"
    text = fr.get_body(preferencelist=("plain",)).get_content()
    assert (
        text.lower().startswith("coucou zoé, à 3 juin 2030 10:00 chez")
        and f"/fr/salons/{salon.business.slug}/" in text
    )
    html = fr.get_body(preferencelist=("html",)).get_content()
    assert (
        "Coucou Zoé" in html
        and f'href="http://127.0.0.1:8000/fr/salons/{salon.business.slug}/"' in html
    )
    [en] = smtp.to("bob@example.test")
    assert en["Subject"].startswith("Your visit to")  # no English template: the default


def test_a_template_failing_at_send_time_falls_back_and_is_reported(salon, smtp, client):
    # Saved before a rule changed, or written around the service: it no longer compiles.
    with scopes_disabled():
        broken = MessageTemplate.objects.create(
            business=salon.business,
            kind=Kind.CONFIRMATION,
            channel=Channel.EMAIL,
            language="en",
            subject="Hi",
            body="{% if when %}oops",
        )
    book(salon, paris(10), account=UserFactory(language="en", email="amy@example.test"))
    book(salon, paris(12), account=UserFactory(language="en", email="ben@example.test"))
    consume_outbox(now=NOW)
    assert dispatch_due(now=NOW).sent == 2  # both still get their confirmation
    assert all(m["Subject"].startswith("Your visit to") for m in smtp.messages)
    broken.refresh_from_db()
    assert "Unclosed tag" in broken.last_error and broken.last_error_at
    with scopes_disabled():
        assert (
            AuditEvent.objects.filter(
                business=salon.business, action="notifications.template_failed"
            ).count()
            == 2
        )
    owner = member(salon.business, Role.OWNER)
    client.force_login(owner)
    page = client.get(reverse("notifications:settings", args=[salon.business.slug]))
    assert page.status_code == 200 and b"Unclosed tag" in page.content
    # Saving it corrected clears the report.
    with business_scope(salon.business):
        message_template_save(
            business=salon.business,
            kind=Kind.CONFIRMATION,
            channel=Channel.EMAIL,
            language="en",
            subject="Hi",
            body="ok {{ salon }}",
        )
    broken.refresh_from_db()
    assert broken.last_error == "" and broken.last_error_at is None


def test_branding_colour_and_logo_in_the_html(salon, smtp, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from solibook.catalog.models import Branding

    settings.MEDIA_ROOT = str(tmp_path)
    business = salon.business
    business.logo = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    business.save()
    with scopes_disabled():
        Branding.objects.filter(business=business).update(colour="#123abc")
    book(salon, paris(10), account=UserFactory(email="brand@example.test"))
    book(salon, paris(12), account=UserFactory(email="brand2@example.test"))
    consume_outbox(now=NOW)
    dispatch_due(now=NOW)
    for address in ("brand@example.test", "brand2@example.test"):
        html = smtp.to(address)[0].get_body(preferencelist=("html",)).get_content()
        assert (
            'src="http://127.0.0.1:8000/' in html
            and "logo" in html
            and "background:#123abc" in html
        )


def test_the_back_office_pages_list_edit_preview_and_reset(salon, client):
    owner = member(salon.business, Role.OWNER)
    client.force_login(owner)
    slug = salon.business.slug
    listing = client.get(
        reverse("notifications:templates", args=[slug]) + "?channel=sms&language=ru"
    )
    assert listing.status_code == 200
    # Each message reads as the client gets it (sample visit filled in), not as template source.
    assert "Напоминаем".encode() in listing.content
    assert b"{{" not in listing.content and b"{%" not in listing.content
    assert b"client_name" not in listing.content

    edit = reverse("notifications:template_edit", args=[slug])
    key = {"kind": "reminder", "channel": "sms", "language": "ar"}
    page = client.get(edit, key)
    assert page.status_code == 200 and b'hx-post="' in page.content and b'dir="rtl"' in page.content

    preview = client.post(
        reverse("notifications:template_preview", args=[slug]),
        {**key, "body": "{{ salon }} — {{ when }}"},
        HTTP_HX_REQUEST="true",
    )
    assert (
        preview.status_code == 200
        and salon.business.name.encode() in preview.content
        and b"2030" in preview.content
    )
    wrong = client.post(
        reverse("notifications:template_preview", args=[slug]),
        {**key, "body": "{% include 'x' %}"},
        HTTP_HX_REQUEST="true",
    )
    assert (
        wrong.status_code == 200
        and b"alert-danger" in wrong.content
        and b"include" in wrong.content
    )

    refused = client.post(
        edit + "?kind=reminder&channel=sms&language=ar",
        {**key, "body": "{% if %}", "action": "save"},
    )
    assert refused.status_code == 200 and b"is-invalid" in refused.content
    saved = client.post(
        edit + "?kind=reminder&channel=sms&language=ar",
        {**key, "body": "تذكير: {{ salon }} {{ when }}", "action": "save"},
    )
    assert saved.status_code == 302
    with scopes_disabled():
        assert MessageTemplate.objects.get(
            business=salon.business, kind="reminder", channel="sms", language="ar"
        ).body.startswith("تذكير")
    client.post(edit + "?kind=reminder&channel=sms&language=ar", {**key, "action": "reset"})
    with scopes_disabled():
        assert not MessageTemplate.objects.exists()
    assert client.get(edit, {"kind": "nope", "channel": "sms", "language": "ar"}).status_code == 404


def test_pages_and_api_need_manage_business_and_stay_in_their_salon(salon, client, api_client):
    receptionist = member(salon.business, Role.RECEPTIONIST)
    client.force_login(receptionist)
    assert (
        client.get(reverse("notifications:templates", args=[salon.business.slug])).status_code
        == 403
    )
    other = BusinessFactory()
    stranger = member(other, Role.OWNER)
    client.force_login(stranger)
    assert (
        client.get(reverse("notifications:settings", args=[salon.business.slug])).status_code == 404
    )
    api_client.force_authenticate(stranger)
    assert (
        api_client.get(f"/api/v1/businesses/{salon.business.pk}/message-templates/").status_code
        == 404
    )
    api_client.force_authenticate(receptionist)
    assert (
        api_client.get(f"/api/v1/businesses/{salon.business.pk}/message-templates/").status_code
        == 403
    )


def test_template_api(salon, api_client):
    owner = member(salon.business, Role.OWNER)
    api_client.force_authenticate(owner)
    base = f"/api/v1/businesses/{salon.business.pk}/message-templates/"
    listed = api_client.get(base, {"channel": "email", "language": "fr"}).json()
    assert [row["kind"] for row in listed] == Kind.values and not any(
        row["custom"] for row in listed
    )
    assert "{{ salon }}" in listed[0]["body"] and "Bonjour" in listed[0]["body"]

    bad = api_client.put(
        base,
        {
            "kind": "no_show",
            "channel": "email",
            "language": "ru",
            "subject": "{% if %}",
            "body": "x",
        },
        format="json",
    )
    assert bad.status_code == 400 and "subject" in bad.json()["error"]["fields"]
    good = api_client.put(
        base,
        {
            "kind": "no_show",
            "channel": "email",
            "language": "ru",
            "subject": "Мы скучали, {{ client_name }}",
            "body": "Ждём вас в {{ salon }}.",
        },
        format="json",
    )
    assert good.status_code == 200 and good.json()["custom"] is True

    preview = api_client.post(
        base + "preview/",
        {
            "kind": "no_show",
            "channel": "email",
            "language": "ru",
            "subject": "Привет {{ client_name }}",
            "body": "{{ salon }}",
        },
        format="json",
    ).json()
    assert (
        preview["ok"]
        and preview["subject"].startswith("Привет ")
        and salon.business.name in preview["html"]
        and 'lang="ru"' in preview["html"]
    )
    broken = api_client.post(
        base + "preview/",
        {"kind": "no_show", "channel": "sms", "language": "ru", "body": "{% now %}"},
        format="json",
    ).json()
    assert broken["ok"] is False and broken["error"]

    assert api_client.delete(base + "?kind=no_show&channel=email&language=ru").status_code == 204
    assert not api_client.get(base, {"channel": "email", "language": "ru"}).json()[
        Kind.values.index("no_show")
    ]["custom"]

    settings_url = f"/api/v1/businesses/{salon.business.pk}/notification-settings/"
    assert api_client.get(settings_url).json() == {
        "reminder_minutes": [1440, 120],
        "channels": ["email"],
    }
    changed = api_client.put(
        settings_url, {"reminder_minutes": [60, 2880], "channels": ["email", "sms"]}, format="json"
    )
    assert changed.json() == {"reminder_minutes": [2880, 60], "channels": ["email", "sms"]}
    assert (
        api_client.put(
            settings_url, {"reminder_minutes": [60], "channels": ["fax"]}, format="json"
        ).status_code
        == 400
    )


def test_salon_settings_page_sets_offsets_in_hours(salon, client):
    client.force_login(member(salon.business, Role.MANAGER))
    url = reverse("notifications:settings", args=[salon.business.slug])
    assert (
        client.post(
            url, {"reminder_minutes": "48, 0.5", "channels": ["email", "whatsapp"]}
        ).status_code
        == 302
    )
    from solibook.notifications.models import SalonNotificationSettings

    with scopes_disabled():
        row = SalonNotificationSettings.objects.get(business=salon.business)
    assert row.reminder_minutes == [2880, 30] and row.channels == ["email", "whatsapp"]
    refused = client.post(url, {"reminder_minutes": "soon", "channels": ["email"]})
    assert refused.status_code == 200 and b"is-invalid" in refused.content
    too_far = client.post(url, {"reminder_minutes": "400", "channels": ["email"]})
    assert too_far.status_code == 200 and b"14" in too_far.content


def test_failed_deliveries_are_listed_for_the_salon(salon, smtp, client, api_client):
    book(salon, paris(10), client_name="Walk-in", client_email="", client_phone="")
    book(salon, paris(12), account=UserFactory(email="not-an-address"))
    consume_outbox(now=NOW)
    assert dispatch_due(now=NOW).failed == 2
    with scopes_disabled():
        errors = sorted(
            Notification.objects.filter(status="failed").values_list("last_error", flat=True)
        )
    assert errors == [
        "invalid e-mail address: 'not-an-address'",
        "no e-mail address for this recipient",
    ]
    owner = member(salon.business, Role.OWNER)
    client.force_login(owner)
    page = client.get(reverse("notifications:settings", args=[salon.business.slug]))
    assert b"no e-mail address for this recipient" in page.content and b"Walk-in" in page.content
    api_client.force_authenticate(owner)
    listed = api_client.get(
        f"/api/v1/businesses/{salon.business.pk}/notifications/?problems=true"
    ).json()
    assert {row["last_error"] for row in listed["results"]} == set(errors)


@pytest.mark.parametrize(
    ("colour", "text"),
    [
        ("#7a2e5a", "#ffffff"),
        ("#123abc", "#ffffff"),
        ("#f5d76e", "#1a1a1a"),
        ("#ffffff", "#1a1a1a"),
    ],
)
def test_the_salon_name_on_its_colour_stays_readable(colour, text):
    """A light brand colour gets dark text in the e-mail's header, a dark one white (WCAG AA)."""
    assert readable_on(colour) == text
    card = render_to_string(
        "notifications/email/_card.html",
        {
            "brand": {"colour": colour, "on_colour": readable_on(colour)},
            "salon": "Iris",
            "body": "",
        },
    )
    assert f"background:{colour};padding:16px 24px;color:{text}" in card
