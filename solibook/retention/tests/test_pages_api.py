"""The Retention page, the segment page, the churn line on the client card and their API
twins: who may read them, what they show, and that another salon's ids are 404."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.clients.models import Client
from solibook.retention.selectors import SEGMENTS, rfm
from solibook.retention.tests.synthetic import small_salon
from solibook.testing.clients import api_as, pages_as
from solibook.testing.factories import BusinessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache():
    cache.clear()


@pytest.fixture
def salon():
    return small_salon(now=timezone.now() - timedelta(hours=1), clients=150)


def test_the_retention_page_shows_segments_and_clients_at_risk_with_links_to_their_cards(salon):
    pages = pages_as(salon.business, Role.RECEPTIONIST)
    slug = salon.business.slug
    page = pages.get(reverse("retention:home", args=[slug]))
    assert page.status_code == 200
    text = page.content.decode()
    for label in SEGMENTS.values():
        assert str(label) in text
    assert "Clients at risk" in text and "Overdue" in text
    some = next(iter(c for c in salon.churners))
    assert reverse("clients:client_detail", args=[slug, some]).rsplit("/", 2)[0] in text
    assert (
        reverse("retention:home", args=[slug])
        in pages.get(reverse("clients:client_list", args=[slug])).content.decode()
    )  # the menu links to it


def test_a_segment_page_lists_its_clients_and_an_unknown_segment_is_404(salon):
    pages = pages_as(salon.business)
    slug = salon.business.slug
    scores = rfm(business=salon.business, now=timezone.now())
    code = max(SEGMENTS, key=lambda c: sum(s.segment == c for s in scores.values()))
    page = pages.get(reverse("retention:segment", args=[slug]), {"code": code})
    assert page.status_code == 200
    count = sum(s.segment == code for s in scores.values())
    assert f'badge text-bg-secondary">{count}<' in page.content.decode()
    assert pages.get(reverse("retention:segment", args=[slug]), {"code": "x"}).status_code == 404


def test_a_master_may_not_read_retention(salon):
    pages = pages_as(salon.business, Role.MASTER)
    assert pages.get(reverse("retention:home", args=[salon.business.slug])).status_code == 403
    api = api_as(salon.business, Role.MASTER)
    url = f"/api/v1/businesses/{salon.business.pk}/retention/segments/"
    assert api.get(url).status_code == 403


def test_the_client_card_shows_the_churn_risk_and_its_reasons(salon):
    pages = pages_as(salon.business)
    card = next(iter(salon.churners))
    page = pages.get(reverse("clients:client_detail", args=[salon.business.slug, card]))
    text = page.content.decode()
    assert 'data-testid="churn-line"' in text and "Churn risk" in text
    with scopes_disabled():
        fresh = Client.objects.create(business=salon.business, first_name="Nouvelle")
    page = pages.get(reverse("clients:client_detail", args=[salon.business.slug, fresh.pk]))
    assert "no visit yet" in page.content.decode()


def test_the_api_gives_segments_clients_at_risk_and_one_card(salon):
    api = api_as(salon.business)
    base = f"/api/v1/businesses/{salon.business.pk}/retention/"
    segments = api.get(f"{base}segments/").json()
    assert segments["method"] == "model"
    assert {s["code"] for s in segments["segments"]} == set(SEGMENTS)
    total = sum(s["count"] for s in segments["segments"])
    assert total == segments["clients_with_visits"]
    lost = api.get(f"{base}segment-clients/?segment=lost").json()
    assert lost["count"] == next(s["count"] for s in segments["segments"] if s["code"] == "lost")
    high = api.get(f"{base}at-risk/?band=high").json()
    assert high["count"] > 0
    first = high["results"][0]
    assert first["risk"]["band"] == "high" and first["risk"]["reasons"]
    assert 0.7 <= first["risk"]["probability"] <= 1
    one = api.get(f"{base}clients/{first['client_id']}/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert one["risk"]["probability"] == pytest.approx(first["risk"]["probability"])
    refused = api.get(f"{base}segment-clients/?segment=nobody")
    assert refused.status_code == 400 and "segment" in refused.json()["error"]["fields"]


def test_another_salons_cards_are_404(salon):
    other = BusinessFactory()
    api = api_as(other)
    card = next(iter(salon.churners))
    assert api.get(f"/api/v1/businesses/{other.pk}/retention/clients/{card}/").status_code == 404
    assert api.get(f"/api/v1/businesses/{salon.business.pk}/retention/segments/").status_code == 404
    theirs = api.get(f"/api/v1/businesses/{other.pk}/retention/at-risk/").json()
    assert theirs["count"] == 0


def test_a_new_salon_says_so_and_uses_the_recency_rule():
    young = small_salon(now=timezone.now() - timedelta(hours=1), clients=10, days=50)
    pages = pages_as(young.business)
    text = pages.get(reverse("retention:home", args=[young.business.slug])).content.decode()
    assert "too short" in text
    api = api_as(young.business)
    found = api.get(f"/api/v1/businesses/{young.business.pk}/retention/at-risk/").json()
    assert all(r["risk"]["probability"] is None for r in found["results"])
    empty = BusinessFactory()
    text = pages_as(empty).get(reverse("retention:home", args=[empty.slug])).content.decode()
    assert "No client has visited the salon yet" in text


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fr", "Clients à risque"), ("ru", "Клиенты под угрозой ухода"), ("ar", "العملاء المعرّضون")],
)
def test_the_page_and_its_reasons_are_translated(salon, lang, words):
    pages = pages_as(salon.business)
    url = reverse("retention:home", args=[salon.business.slug]).replace("/en/", f"/{lang}/")
    text = pages.get(url).content.decode()
    assert words in text
    assert "Overdue" not in text
