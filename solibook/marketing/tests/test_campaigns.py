"""A campaign to a saved segment: its audience and hold-out, the messages queued
once through the notifications' channel layer, the one-click unsubscribe, opens
and clicks, and the refusals (a template with an error, nobody who agreed)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.marketing import selectors, services
from solibook.marketing.models import Campaign, Recipient
from solibook.marketing.tests.conftest import consent
from solibook.notifications.dispatcher import dispatch_due
from solibook.notifications.models import Notification
from solibook.offers.models import PromoCode
from solibook.testing.salon import NOW

TEMPLATES = {
    "en": {
        "subject": "Spring at {{ salon }}",
        "body": "Hello {{ first_name }}, {{ discount }} off with {{ code }}: {{ link }}\nStop: {{ unsubscribe_link }}",
    },
    "fr": {
        "subject": "Le printemps chez {{ salon }}",
        "body": "Bonjour {{ first_name }}, {{ discount }} avec {{ code }} : {{ link }}",
    },
}


def save(world, **kwargs):
    values = {
        "name": "Spring",
        "channels": ["email", "sms"],
        "templates": TEMPLATES,
        "segment_id": world.segment.pk,
        "offer": "code",
        "discount_percent": 15,
        "holdout_percent": 20,
    }
    values.update(kwargs)
    with business_scope(world.salon.business):
        return services.campaign_save(business=world.salon.business, actor=None, **values)


def send(world, campaign, now=NOW):
    business = world.salon.business
    with business_scope(business):
        services.campaign_send(business=business, actor=None, campaign_id=campaign.pk, now=now)
        services.campaign_run(business=business, campaign_id=campaign.pk, now=now)
        return Campaign.objects.get(pk=campaign.pk)


def test_the_hold_out_is_drawn_stored_and_never_sent(world):
    campaign = save(world)
    with business_scope(world.salon.business):
        estimate = services.audience_estimate(business=world.salon.business, campaign=campaign)
    # Eight members; six agreed; all six reachable (one by SMS only); 20 % of 6 = 1.
    assert estimate == {"members": 8, "consenting": 6, "reachable": 6, "holdout": 1, "to_send": 5}
    campaign = send(world, campaign)
    assert campaign.status == Campaign.Status.SENT
    with scopes_disabled():
        rows = list(Recipient.objects.filter(campaign=campaign))
        held = [r for r in rows if r.group == "holdout"]
        sent = [r for r in rows if r.group == "sent"]
        assert len(held) == 1 and len(sent) == 5
        assert {r.client_id for r in rows} == {c.pk for c in world.consenting}
        assert held[0].notification_id is None and held[0].promo_id is None
        notes = Notification.objects.filter(kind="marketing")
        assert notes.count() == 5
        assert held[0].client.email not in set(notes.values_list("email", flat=True))
        # Each recipient has a code of their own, usable once.
        codes = PromoCode.objects.filter(issued_by=f"campaign:{campaign.pk}")
        assert codes.count() == 5 and set(codes.values_list("max_redemptions", flat=True)) == {1}
        # The phone-only card goes by SMS; the rest by e-mail (the first channel they accept).
        phone_only = world.cards[2]
        channels = {r.client_id: r.channel for r in sent}
        if phone_only.pk in channels:
            assert channels[phone_only.pk] == "sms"
        assert {c for pk, c in channels.items() if pk != phone_only.pk} == {"email"}


def test_each_client_reads_it_in_their_language_with_one_click_unsubscribe(world):
    campaign = send(world, save(world, holdout_percent=0))
    result = dispatch_due(now=NOW + timedelta(hours=2))
    assert result.failed == 0 and result.sent == 6
    by_to = {m.to[0]: m for m in mail.outbox}
    french = by_to["client0@example.test"]
    assert french.subject.startswith("Le printemps chez")
    # Russian has no words here: the salon's language (English by default) is used.
    assert by_to["client1@example.test"].subject.startswith("Spring at")
    unsubscribe = french.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/m/u/" in unsubscribe
    assert french.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = french.alternatives[0][0]
    assert "/m/o/" in html  # the open-tracking image
    with scopes_disabled():
        row = Recipient.objects.get(campaign=campaign, client=world.cards[0])
        code = row.promo.code
    assert code in french.body and "15 %" in french.body
    # A second pass sends nothing again.
    assert dispatch_due(now=NOW + timedelta(hours=3)).sent == 0
    assert len(mail.outbox) == 5  # and one SMS

    # RFC 8058: a POST with List-Unsubscribe=One-Click, no session, no CSRF token.
    url = unsubscribe.strip("<>").split("://", 1)[1].split("/", 1)[1]
    browser = Browser(enforce_csrf_checks=True)
    answer = browser.post("/" + url, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    browser.get(reverse("marketing:open", args=[row.token]))
    answer = browser.get(reverse("marketing:click", args=[row.token]))
    assert answer.status_code == 302
    with scopes_disabled():
        report = selectors.campaign_report(campaign=campaign, now=NOW + timedelta(hours=3))
        assert (report.delivered, report.opened, report.clicked, report.unsubscribed) == (
            6,
            1,
            1,
            1,
        )
        assert report.emails == 5 and report.sms == 1
    # The unsubscribe is the card's consent now: the next campaign leaves them out.
    again = save(world, name="Summer", holdout_percent=0)
    with business_scope(world.salon.business):
        estimate = services.audience_estimate(business=world.salon.business, campaign=again)
    assert estimate["consenting"] == 5


def test_a_rerun_after_a_crash_queues_nothing_twice(world):
    campaign = save(world, holdout_percent=0)
    business = world.salon.business
    with business_scope(business):
        services.campaign_send(business=business, actor=None, campaign_id=campaign.pk, now=NOW)
        services.campaign_run(business=business, campaign_id=campaign.pk, now=NOW, batch=2)
        # The runner is started again (a crash, a second worker): nothing new.
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENDING)
        assert services.campaign_run(business=business, campaign_id=campaign.pk, now=NOW) == 0
    with scopes_disabled():
        assert Notification.objects.filter(kind="marketing").count() == 6
        assert len(set(Notification.objects.values_list("slot", flat=True))) == 6


def test_a_template_with_an_error_is_refused_with_its_line(world):
    broken = {"en": {"subject": "Hi", "body": "Hello\n{% if code %}\nYour code {{ code }}"}}
    with pytest.raises(ValidationFailed) as refused:
        save(world, templates=broken)
    message = refused.value.fields["body_en"][0]
    assert message.startswith("Line 2:") and "endif" in message
    unknown = {"fr": {"subject": "Salut", "body": "Bonjour\n\n{{ client.email }}"}}
    with pytest.raises(ValidationFailed) as refused:
        save(world, templates=unknown)
    assert refused.value.fields["body_fr"][0].startswith("Line 3:")
    with scopes_disabled():
        assert not Campaign.objects.exists()


def test_a_segment_with_no_consenting_member_queues_nothing(world):
    with scopes_disabled():
        for card in world.consenting:
            consent(card, "marketing", False, at=timezone.now() - timedelta(days=1))
    campaign = save(world)
    with business_scope(world.salon.business), pytest.raises(ValidationFailed) as refused:
        services.campaign_send(
            business=world.salon.business, actor=None, campaign_id=campaign.pk, now=NOW
        )
    assert "agreed to marketing" in refused.value.message
    with scopes_disabled():
        assert not Recipient.objects.exists() and not Notification.objects.exists()
        assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.DRAFT


def test_quiet_hours_and_the_throttle_set_the_send_times(world):
    business = world.salon.business
    with business_scope(business):
        prefs = services.settings_update(
            business=business,
            actor=None,
            quiet_start=NOW.time().replace(hour=21),
            quiet_end=NOW.time().replace(hour=9),
            holdout_percent=0,
            window_days=14,
            throttle={"email": 2, "sms": 1},
        )
    assert prefs.rate("email") == 2
    # 23:30 in Paris: in quiet hours; the first e-mail waits for 09:00, the next 30 s apart.
    late = NOW.replace(hour=21, minute=30)  # 23:30 Paris (UTC+2)
    campaign = save(world, holdout_percent=0)
    send(world, campaign, now=late)
    with scopes_disabled():
        due = sorted(
            Recipient.objects.filter(campaign=campaign, channel="email").values_list(
                "due_at", flat=True
            )
        )
    assert due[0] == NOW.replace(day=2, hour=7, minute=0)  # 09:00 Paris next morning
    assert [(b - a).total_seconds() for a, b in zip(due, due[1:], strict=False)] == [30.0] * (
        len(due) - 1
    )


def test_a_service_discount_gives_each_recipient_a_code_for_that_service(world):
    templates = {
        "en": {
            "subject": "{{ service }} at {{ salon }}",
            "body": "{{ discount }} off {{ service }} with {{ code }}: {{ link }}",
        }
    }
    with pytest.raises(ValidationFailed) as refused:
        save(world, offer="service", templates=templates)  # no service chosen
    assert "service_id" in refused.value.fields
    colour = world.salon.colour
    campaign = send(
        world,
        save(world, offer="service", service_id=colour.pk, templates=templates, holdout_percent=0),
    )
    with scopes_disabled():
        codes = list(PromoCode.objects.filter(issued_by=f"campaign:{campaign.pk}"))
        assert len(codes) == 6 and {c.service_id for c in codes} == {colour.pk}
    assert dispatch_due(now=NOW + timedelta(hours=2)).sent == 6
    message = next(m for m in mail.outbox if m.to == ["client0@example.test"])
    assert message.subject == f"Colour at {world.salon.business.name}"
    assert "15 % off Colour with" in message.body
