"""The marketing pages and their API twins over the same services: an owner
builds a campaign, sees the audience and its hold-out, sends it, reads the
report; a template error comes back on its field with its line; a receptionist
is refused; another salon's campaign is a 404; a client manages their offers."""

from django.test import Client as Browser
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from solibook.accounts.roles import Role
from solibook.marketing.models import Campaign, Recipient
from solibook.marketing.services import campaigns_run
from solibook.marketing.tests.conftest import make_world
from solibook.notifications.models import Notification
from solibook.testing.clients import api_as, pages_as
from solibook.testing.factories import BusinessFactory, LocationFactory


def _form(world, **changes):
    data = {
        "name": "Printemps",
        "audience": "segment",
        "segment_id": world.segment.pk,
        "channels": ["email", "sms"],
        "offer": "code",
        "discount_percent": "15",
        "offer_days": "30",
        "holdout_percent": "20",
        "window_days": "14",
        "subject_en": "Spring at {{ salon }}",
        "body_en": "Hello {{ first_name }}: {{ code }} {{ link }}",
        "subject_fr": "Le printemps chez {{ salon }}",
        "body_fr": "Bonjour {{ first_name }} : {{ code }} {{ link }}",
    }
    data.update(changes)
    return data


def test_the_owner_builds_sees_the_hold_out_sends_and_reads_the_report(salon):
    world = make_world(salon)
    pages = pages_as(salon.business, Role.OWNER)
    slug = salon.business.slug
    with translation.override("fr"):
        new = reverse("marketing:campaign_new", args=[slug])
    answer = pages.post(new, _form(world))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    with scopes_disabled():
        campaign = Campaign.objects.get()
    detail = answer["Location"]
    page = pages.get(detail).content.decode()
    assert 'id="holdout-size"' in page and "1 client" in page  # 20 % of 6, in French
    assert "Le printemps chez" in page  # the French preview
    answer = pages.post(reverse("marketing:campaign_send", args=[slug, campaign.pk]))
    assert answer.status_code == 302
    with scopes_disabled():
        assert Recipient.objects.filter(campaign=campaign, group="holdout").count() == 1
        assert Campaign.objects.get(pk=campaign.pk).status in ("sending", "sent")
    page = pages.get(detail).content.decode()
    assert 'id="report-sizes"' in page and 'id="effect"' in page


def test_a_template_error_comes_back_on_its_field_with_its_line(salon):
    world = make_world(salon)
    pages = pages_as(salon.business, Role.OWNER)
    answer = pages.post(
        reverse("marketing:campaign_new", args=[salon.business.slug]),
        _form(world, body_fr="Bonjour\n{% if code %}{{ code }}\n"),
    )
    assert answer.status_code == 400
    assert 'id="id_body_fr_error"' in answer.content.decode()
    assert "Line 2" in answer.content.decode() or "Ligne 2" in answer.content.decode()
    api = api_as(salon.business, Role.OWNER)
    answer = api.post(
        f"/api/v1/businesses/{salon.business.pk}/marketing/campaigns/",
        {
            "name": "Spring",
            "segment_id": world.segment.pk,
            "channels": ["email"],
            "templates": {"en": {"subject": "Hi", "body": "{% if code %}x"}},
        },
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"]["body_en"][0].startswith("Line 1:")
    with scopes_disabled():
        assert not Campaign.objects.exists()


def test_the_api_twin_sends_once_and_reports(salon):
    world = make_world(salon)
    api = api_as(salon.business, Role.OWNER)
    base = f"/api/v1/businesses/{salon.business.pk}/marketing/"
    answer = api.post(
        f"{base}campaigns/",
        {
            "name": "Spring",
            "segment_id": world.segment.pk,
            "channels": ["email", "sms"],
            "holdout_percent": 0,
            "templates": {"en": {"subject": "Hi {{ salon }}", "body": "Hello {{ link }}"}},
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    campaign_id = answer.json()["id"]
    estimate = api.get(f"{base}campaigns/{campaign_id}/estimate/").json()
    assert estimate == {"members": 8, "consenting": 6, "reachable": 6, "holdout": 0, "to_send": 6}
    previews = api.get(f"{base}campaigns/{campaign_id}/preview/").json()
    assert previews[0]["subject"] == f"Hi {salon.business.name}"
    answer = api.post(
        f"{base}campaigns/{campaign_id}/send/", HTTP_IDEMPOTENCY_KEY="send-1", format="json"
    )
    assert answer.status_code == 200
    again = api.post(f"{base}campaigns/{campaign_id}/send/", format="json")
    assert again.status_code == 400 and again.json()["error"]["code"] == "already_sent"
    campaigns_run()
    with scopes_disabled():
        assert Notification.objects.filter(kind="marketing").count() == 6
    report = api.get(f"{base}campaigns/{campaign_id}/report/").json()
    assert report["sent"]["size"] == 6 and report["holdout"]["size"] == 0
    assert report["pending"] == 6 and report["method"] == "welch-t-95"


def test_a_receptionist_is_refused_and_another_salon_sees_nothing(salon):
    world = make_world(salon)
    api = api_as(salon.business, Role.OWNER)
    base = f"/api/v1/businesses/{salon.business.pk}/marketing/"
    campaign_id = api.post(
        f"{base}campaigns/",
        {
            "name": "Spring",
            "segment_id": world.segment.pk,
            "channels": ["email"],
            "templates": {"en": {"subject": "Hi", "body": "Hello"}},
        },
        format="json",
    ).json()["id"]
    desk = api_as(salon.business, Role.RECEPTIONIST)
    assert desk.get(f"{base}campaigns/").status_code == 403
    other = BusinessFactory()
    LocationFactory(business=other)
    stranger = api_as(other, Role.OWNER)
    assert (
        stranger.get(
            f"/api/v1/businesses/{other.pk}/marketing/campaigns/{campaign_id}/"
        ).status_code
        == 404
    )
    pages = pages_as(other, Role.OWNER)
    url = reverse("marketing:campaign_detail", args=[other.slug, campaign_id])
    assert pages.get(url).status_code == 404
    # A segment of another salon cannot be the audience.
    answer = stranger.post(
        f"/api/v1/businesses/{other.pk}/marketing/campaigns/",
        {
            "name": "Steal",
            "segment_id": world.segment.pk,
            "channels": ["email"],
            "templates": {"en": {"subject": "Hi", "body": "Hello"}},
        },
        format="json",
    )
    assert answer.status_code == 400 and "segment_id" in answer.json()["error"]["fields"]


def test_a_client_turns_offers_off_and_on_again(salon, django_user_model):
    world = make_world(salon)
    user = django_user_model.objects.create_user(email="ada@example.test", password="x" * 12)
    with scopes_disabled():
        card = world.consenting[0]
        card.user = user
        card.save(update_fields=["user"])
    api = APIClient()
    api.force_authenticate(user)
    rows = api.get("/api/v1/me/marketing-subscriptions/").json()
    assert rows == [
        {"business_id": salon.business.pk, "business_name": salon.business.name, "subscribed": True}
    ]
    answer = api.put(
        "/api/v1/me/marketing-subscriptions/",
        {"business_id": salon.business.pk, "subscribed": False},
        format="json",
    )
    assert answer.json()[0]["subscribed"] is False
    pages = Browser()
    pages.force_login(user)
    page = pages.get(reverse("marketing:subscriptions")).content.decode()
    assert salon.business.name in page
    pages.post(
        reverse("marketing:subscriptions"), {"business_id": salon.business.pk, "granted": "1"}
    )
    assert api.get("/api/v1/me/marketing-subscriptions/").json()[0]["subscribed"] is True
    # Someone else's salon id: 404, nothing recorded.
    answer = api.put(
        "/api/v1/me/marketing-subscriptions/",
        {"business_id": BusinessFactory().pk, "subscribed": False},
        format="json",
    )
    assert answer.status_code == 404


def test_the_owner_switches_a_journey_on_and_sets_quiet_hours(salon):
    make_world(salon)
    pages = pages_as(salon.business, Role.OWNER)
    slug = salon.business.slug
    url = reverse("marketing:journeys", args=[slug])
    assert pages.get(url).status_code == 200
    answer = pages.post(
        reverse("marketing:journey_update", args=[slug, "rebook"]),
        {
            "rebook-enabled": "on",
            "rebook-channels": ["sms"],
            "rebook-holdout_percent": "20",
            "rebook-days": "90",
        },
    )
    assert answer.status_code == 302
    api = api_as(salon.business, Role.OWNER)
    rows = api.get(f"/api/v1/businesses/{salon.business.pk}/marketing/journeys/").json()
    rebook = next(row for row in rows if row["kind"] == "rebook")
    assert rebook["enabled"] is True and rebook["channels"] == ["sms"]
    assert rebook["holdout_percent"] == 20
    answer = pages.post(
        reverse("marketing:settings", args=[slug]),
        {
            "quiet_start": "20:00",
            "quiet_end": "10:00",
            "holdout_percent": "15",
            "window_days": "21",
            "throttle_email": "300",
            "throttle_sms": "30",
            "throttle_whatsapp": "30",
            "throttle_push": "300",
        },
    )
    assert answer.status_code == 302
    settings = api.get(f"/api/v1/businesses/{salon.business.pk}/marketing/settings/").json()
    assert settings["quiet_start"] == "20:00" and settings["throttle"]["sms"] == 30
    report = api.get(
        f"/api/v1/businesses/{salon.business.pk}/marketing/journeys/rebook/report/"
    ).json()
    assert report["sent"]["size"] == 0 and report["bookings"]["low"] is None
