"""The demo inbox: every outgoing message of the demo profile is kept and shown
on /<lang>/demo/inbox/; outside the demo the page does not exist, and the
settings refuse the inbox anywhere but on this machine."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse
from django_scopes import scopes_disabled

from config.env import require_local_demo_inbox
from solibook.booking.selectors import ItemSpec
from solibook.clientarea import services as clientarea
from solibook.demo.inbox import InboxPushProvider, InboxSmsProvider
from solibook.demo.models import InboxMessage
from solibook.demo.services import inbox_message_store
from solibook.notifications.consumer import consume_outbox
from solibook.notifications.dispatcher import dispatch_due
from solibook.notifications.models import Kind, Notification, NotificationStatus
from solibook.notifications.providers import OutgoingMessage, PermanentFailure
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
DEMO_PROVIDERS = {
    "email": "solibook.notifications.providers.EmailProvider",
    "sms": "solibook.demo.inbox.InboxSmsProvider",
    "whatsapp": "solibook.demo.inbox.InboxWhatsAppProvider",
    "push": "solibook.demo.inbox.InboxPushProvider",
}


@pytest.fixture
def demo_profile(settings):
    """The settings SOLIBOOK_DEMO=1 gives, with the demo's routes mounted."""
    settings.DEMO_INBOX = True
    settings.EMAIL_BACKEND = "solibook.demo.inbox.InboxEmailBackend"
    settings.NOTIFICATIONS_PROVIDERS = DEMO_PROVIDERS
    settings.ROOT_URLCONF = "solibook.demo.tests.demo_urls"
    return settings


def inbox_url(lang="en", **query):
    from django.utils import translation

    with translation.override(lang):
        url = reverse("demo:inbox")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- only in the demo ------------------------------------------------------------
def test_outside_the_demo_the_inbox_does_not_exist(client, settings):
    assert settings.DEMO_INBOX is False
    with pytest.raises(NoReverseMatch):
        reverse("demo:inbox")
    assert client.get("/en/demo/inbox/").status_code == 404


def test_the_view_refuses_even_if_mounted_without_the_setting(client, demo_profile):
    demo_profile.DEMO_INBOX = False
    assert client.get(inbox_url()).status_code == 404


@pytest.mark.parametrize(
    "hosts",
    [["solibook.example"], ["127.0.0.1", "salon.example.com"], ["*"], [".example.com"], []],
)
def test_settings_refuse_the_inbox_for_hosts_beyond_this_machine(hosts):
    with pytest.raises(ImproperlyConfigured):
        require_local_demo_inbox(demo_inbox=True, allowed_hosts=hosts)


def test_settings_accept_the_inbox_on_this_machine_and_ignore_hosts_without_it():
    require_local_demo_inbox(
        demo_inbox=True, allowed_hosts=["127.0.0.1", "localhost", "::1", "demo.localhost"]
    )
    require_local_demo_inbox(demo_inbox=False, allowed_hosts=["*"])


def _settings_process(module: str, **environment: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "x" * 50,
        "DEBUG": "0",
        "DATABASE_URL": "sqlite:///:memory:",
        "DJANGO_SETTINGS_MODULE": module,
        **environment,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.DEMO_INBOX, settings.EMAIL_BACKEND)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_demo_profile_starts_on_localhost_and_production_refuses_it():
    demo = _settings_process(
        "config.settings.base", SOLIBOOK_DEMO="1", ALLOWED_HOSTS="127.0.0.1,localhost"
    )
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.split() == ["True", "solibook.demo.inbox.InboxEmailBackend"]
    public = _settings_process(
        "config.settings.base", SOLIBOOK_DEMO="1", ALLOWED_HOSTS="salon.example.com"
    )
    assert public.returncode != 0 and "SOLIBOOK_DEMO" in public.stderr
    prod = _settings_process("config.settings.prod", SOLIBOOK_DEMO="1", ALLOWED_HOSTS="localhost")
    assert prod.returncode != 0 and "refused in production" in prod.stderr
    off = _settings_process("config.settings.base", ALLOWED_HOSTS="salon.example.com")
    assert off.returncode == 0 and off.stdout.split()[0] == "False"


# --- what is captured ------------------------------------------------------------
def test_every_channel_lands_in_the_inbox(demo_profile):
    mail.send_mail("Welcome", "Hello https://x.test/a", None, ["Ada@Example.test"])
    InboxSmsProvider().send(
        OutgoingMessage(channel="sms", to="+33 6 12 34 56 78", subject="", text="Code 123456")
    )
    user = UserFactory(email="push@example.test")
    InboxPushProvider().send(
        OutgoingMessage(channel="push", to=str(user.pk), subject="Hi", text="See you")
    )
    rows = {m.channel: m for m in InboxMessage.objects.all()}
    assert rows["email"].to == "Ada@Example.test" and rows["email"].subject == "Welcome"
    assert rows["sms"].to == "+33612345678" and rows["sms"].text == "Code 123456"
    assert rows["push"].to == "push@example.test"


def test_bad_addresses_fail_as_the_real_gateways_would(demo_profile):
    with pytest.raises(PermanentFailure):
        InboxSmsProvider().send(OutgoingMessage(channel="sms", to="12", subject="", text="x"))
    with pytest.raises(PermanentFailure):
        InboxPushProvider().send(OutgoingMessage(channel="push", to="999999", subject="", text="x"))
    assert not InboxMessage.objects.exists()


def _hold(salon, hour=10):
    return clientarea.booking_hold(
        business=salon.business,
        location_id=salon.location.pk,
        specs=[ItemSpec(salon.cut.pk)],
        start=paris(hour),
        now=NOW,
    )


def test_a_guest_verified_by_phone_reads_the_code_and_gets_the_confirmation_by_sms(
    demo_profile, salon, django_capture_on_commit_callbacks
):
    demo_profile.NOTIFICATIONS_CHANNELS = ["email"]  # the salon sends e-mail only
    draft = _hold(salon)
    with django_capture_on_commit_callbacks(execute=True):
        clientarea.draft_send_code(
            token=draft.token, channel="sms", destination="06 12 34 56 78", name="Ada", now=NOW
        )
    [code_sms] = InboxMessage.objects.filter(to="+33612345678")
    code = re.search(r"\b(\d{6})\b", code_sms.text).group(1)
    clientarea.draft_verify(token=draft.token, code=code, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = clientarea.draft_confirm(token=draft.token, now=NOW)
    consume_outbox(now=NOW)
    dispatch_due(now=NOW)
    with scopes_disabled():
        confirmation = Notification.objects.get(appointment=appointment, kind=Kind.CONFIRMATION)
        reminders = Notification.objects.filter(appointment=appointment, kind=Kind.REMINDER)
        assert {r.channel for r in reminders} == {"sms"}
    assert (confirmation.channel, confirmation.status) == ("sms", NotificationStatus.SENT)
    sms = InboxMessage.objects.filter(to="+33612345678", channel="sms").first()
    assert sms.pk != code_sms.pk and salon.business.name in sms.text


def test_a_guest_with_an_email_still_gets_email(
    demo_profile, salon, django_capture_on_commit_callbacks
):
    demo_profile.NOTIFICATIONS_CHANNELS = ["email"]
    draft = _hold(salon, hour=11)
    with django_capture_on_commit_callbacks(execute=True):
        clientarea.draft_send_code(
            token=draft.token, channel="email", destination="ada@example.test", name="Ada", now=NOW
        )
    message = InboxMessage.objects.get(to="ada@example.test")
    code = re.search(r"\b(\d{6})\b", message.text).group(1)
    clientarea.draft_verify(token=draft.token, code=code, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = clientarea.draft_confirm(token=draft.token, now=NOW)
    consume_outbox(now=NOW)
    dispatch_due(now=NOW)
    with scopes_disabled():
        confirmation = Notification.objects.get(appointment=appointment, kind=Kind.CONFIRMATION)
    assert (confirmation.channel, confirmation.status) == ("email", NotificationStatus.SENT)
    assert InboxMessage.objects.filter(to="ada@example.test", channel="email").count() == 2


# --- the page ----------------------------------------------------------------------
def test_the_page_lists_newest_first_with_codes_and_links(client, demo_profile):
    inbox_message_store(channel="sms", to="+33612345678", text="Old 111111")
    inbox_message_store(
        channel="sms",
        to="+33612345678",
        text="Your code is 654321. Manage: https://demo.localhost/en/manage/abc123456789/.",
    )
    inbox_message_store(channel="email", to="other@example.test", text="Not for Ada 222222")
    page = client.get(inbox_url(to="%2B33 6 12 34 56 78"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "other@example.test" not in html
    assert html.index("654321") < html.index("111111")
    assert '<strong class="inbox-code">654321</strong>' in html
    # the link is clickable; the digits inside it are not taken for a code
    assert '<a href="https://demo.localhost/en/manage/abc123456789/" rel="noopener">' in html
    assert '<bdi dir="ltr" class="inbox-to">+33612345678</bdi>' in html


def test_the_page_escapes_what_a_message_says(client, demo_profile):
    inbox_message_store(
        channel="email",
        to="x@example.test",
        text='<script>alert(1)</script> https://x.test/"onmouseover="alert(1)',
    )
    html = client.get(inbox_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert 'onmouseover="alert' not in html


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("en", "Demo inbox"),
        ("fr", "Boîte de réception de la démo"),
        ("ru", "Входящие демоверсии"),
        ("ar", "صندوق وارد النسخة التجريبية"),
    ],
)
def test_the_page_speaks_the_visitors_language(client, demo_profile, lang, title):
    page = client.get(inbox_url(lang))
    assert title in page.content.decode()


def test_a_too_long_filter_is_refused_politely(client, demo_profile):
    page = client.get(inbox_url(to="a" * 300))
    assert page.status_code == 400
