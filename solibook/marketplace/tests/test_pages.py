"""Public pages and the public API: content, SEO tags, and bad input."""

import json
import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from solibook.catalog.models import Location
from solibook.catalog.services import master_photo_add
from solibook.catalog.tests.test_pictures import jpeg
from solibook.core.tenancy import business_scope
from solibook.marketplace.models import SalonListing
from solibook.marketplace.tests.conftest import refresh
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, make_service
from solibook.testing.salon import MONDAY, give_shifts

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(listed_salon):
    salon = listed_salon
    with scopes_disabled():
        Location.objects.filter(pk=salon.location.pk).update(latitude=48.8566, longitude=2.3522)
    other = BusinessFactory(
        name="Жемчуг",
        slug="zhemchug",
        lead_time_minutes=0,
        horizon_days=3650,
        currency="RUB",
        country="RU",
    )
    place = LocationFactory(
        business=other,
        city="Москва",
        country="RU",
        time_zone="Europe/Moscow",
        latitude=55.76,
        longitude=37.59,
    )
    cut = make_service(other, name="Стрижка ёжиком", steps=[(45, True)], price=250000)
    give_shifts(make_master(other, locations=[place], services=[cut], name="Ольга"), place)
    arabic = BusinessFactory(
        name="لمسة ورد",
        slug="lamsat-ward",
        lead_time_minutes=0,
        horizon_days=3650,
        currency="SAR",
        country="SA",
    )
    riyadh = LocationFactory(business=arabic, city="الرياض", country="SA", time_zone="Asia/Riyadh")
    cut_ar = make_service(arabic, name="قَصّ الشَّعر", steps=[(30, True)], price=9000)
    give_shifts(make_master(arabic, locations=[riyadh], services=[cut_ar], name="نورة"), riyadh)
    for business in (salon.business, other, arabic):
        refresh(business)
    return salon


def test_home_lists_cities_and_carries_seo_tags(client, world):
    response = client.get("/fr/")
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("marketplace:city", args=["moscow"]) in html and "Moscou" in html
    assert 'hreflang="ar"' in html and 'hreflang="x-default"' in html and 'rel="canonical"' in html
    assert 'property="og:title"' in html


def test_search_is_accent_insensitive_in_latin_cyrillic_and_arabic(client, world):
    for text, expected in (
        ("LEA", None),
        ("стрижка ежиком", "Жемчуг"),
        ("قص الشعر", "لمسة ورد"),
        ("salon", world.business.name),
    ):
        response = client.get("/en/search/", {"q": text})
        assert response.status_code == 200, text
        if expected:
            assert expected in response.content.decode(), text


def test_free_time_search_page_shows_the_slot(client, world):
    response = client.get(
        "/en/search/",
        {
            "category": "womens-haircut",
            "date": MONDAY.isoformat(),
            "time_from": "17:00",
            "time_to": "20:00",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        world.business.name in html
        and 'Free <time datetime="2030-06-03T15:00:00+00:00">17:00</time><span' in html
    )


def test_city_and_city_category_pages(client, world):
    response = client.get(reverse("marketplace:city", args=["paris"]))
    assert response.status_code == 200 and world.business.name in response.content.decode()
    response = client.get(reverse("marketplace:city_category", args=["paris", "womens-haircut"]))
    assert response.status_code == 200 and world.business.name in response.content.decode()
    response = client.get(reverse("marketplace:city_category", args=["paris", "colouring"]))
    assert response.status_code == 200


def test_salon_page_has_services_masters_policies_and_json_ld(client, world):
    response = client.get(reverse("marketplace:salon", args=[world.business.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Cut", "Colour", "Léa", "Marc", "salon-map-points"):
        assert text in html
    blocks = [
        json.loads(b)
        for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    assert blocks and "BeautySalon" in blocks[0]["@type"]
    assert {o["itemOffered"]["name"] for o in blocks[0]["makesOffer"]} == {"Cut", "Colour"}
    assert "<script>" not in html  # no inline code (CSP)


def test_master_page_and_unknown_master(client, world):
    assert (
        client.get(
            reverse("marketplace:master", args=[world.business.slug, world.lea.pk])
        ).status_code
        == 200
    )
    assert (
        client.get(reverse("marketplace:master", args=[world.business.slug, 999999])).status_code
        == 404
    )


def test_compare_two_salons_and_bad_comparisons(client, world):
    with scopes_disabled():
        ids = list(SalonListing.objects.order_by("pk").values_list("pk", flat=True))
    response = client.get(
        "/en/compare/", {"salon": ids[:2], "category": "womens-haircut", "date": MONDAY.isoformat()}
    )
    assert response.status_code == 200 and "Cancellation" in response.content.decode()
    assert client.get("/en/compare/", {"salon": ids[:1]}).status_code == 400
    assert client.get("/en/compare/", {"salon": [ids[0], 999999]}).status_code == 404
    assert client.get("/en/compare/", {"salon": ["x", "y"]}).status_code == 400


def test_ranking_page_sitemap_and_robots(client, world):
    assert "Promoted" in client.get(reverse("marketplace:ranking")).content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/fr/salons/" + world.business.slug in sitemap and 'hreflang="ar"' in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap:" in robots and "Disallow: /api/" in robots


@pytest.mark.parametrize(
    "params, status",
    [
        ({"city": "Atlantis"}, 200),  # an unknown city searched: no result, a helpful page
        ({"category": "no-such-category"}, 400),
        ({"date": "2030-02-31"}, 400),
        ({"date": "tomorrow"}, 400),
        ({"lat": "48.85", "lng": "2.35", "radius_km": "0"}, 400),
        ({"lat": "48.85", "lng": "2.35", "radius_km": "10000"}, 400),
        ({"radius_km": "5"}, 400),
        ({"q": "'; DROP TABLE marketplace_salonlisting; --"}, 200),
        ({"q": "%_\\'\"<script>"}, 200),
        ({"q": "x" * 500}, 400),
        ({"page": "999"}, 404),
        ({"page": "-1"}, 400),
        ({"time_from": "18:00"}, 400),
        ({"date": MONDAY.isoformat(), "time_from": "20:00", "time_to": "17:00"}, 400),
        ({"sort": "distance"}, 400),
        ({"price_min": "50", "price_max": "10"}, 400),
    ],
)
def test_bad_search_input_is_a_helpful_page_never_a_500(client, world, params, status):
    response = client.get("/en/search/", params)
    assert response.status_code == status
    if status != 200:
        assert (
            'class="alert' in response.content.decode()
            or "invalid-feedback" in response.content.decode()
        )


def test_unknown_city_and_category_pages_are_helpful_404s(client, world):
    response = client.get(reverse("marketplace:city", args=["atlantis"]))
    assert response.status_code == 404 and "Paris" in response.content.decode()
    assert (
        client.get(reverse("marketplace:city_category", args=["paris", "nope"])).status_code == 404
    )
    assert client.get(reverse("marketplace:salon", args=["nope"])).status_code == 404


def test_api_search_salon_and_compare(api_client, world):
    response = api_client.get(
        "/api/v1/marketplace/search/",
        {
            "city": "Paris",
            "category": "womens-haircut",
            "date": MONDAY.isoformat(),
            "time_from": "17:00",
            "time_to": "20:00",
        },
    )
    assert response.status_code == 200, response.content
    [result] = response.json()["results"]
    assert result["next_free_slot"]["service_name"] == "Cut"
    response = api_client.get(
        "/api/v1/marketplace/search/",
        {"lat": 48.85, "lng": 2.35, "radius_km": 10, "sort": "distance"},
    )
    assert [r["name"] for r in response.json()["results"]] == [world.business.name]
    assert api_client.get(f"/api/v1/marketplace/salons/{world.business.slug}/").json()["services"]
    with scopes_disabled():
        ids = list(SalonListing.objects.values_list("pk", flat=True))[:3]
    response = api_client.get("/api/v1/marketplace/compare/", {"salon": ids})
    assert response.status_code == 200 and len(response.json()) == 3


@pytest.mark.parametrize(
    "params, status",
    [
        ({"radius_km": 0, "lat": 1, "lng": 1}, 400),
        ({"radius_km": 10000, "lat": 1, "lng": 1}, 400),
        ({"category": "nope"}, 400),
        ({"date": "2030-13-01"}, 400),
        ({"page": 50}, 404),
        ({"sort": "earliest"}, 400),
    ],
)
def test_api_bad_input_is_a_4xx_with_the_error_format(api_client, world, params, status):
    response = api_client.get("/api/v1/marketplace/search/", params)
    assert response.status_code == status
    assert "error" in response.json()


def test_hidden_salons_leave_the_index(world):
    with scopes_disabled():
        world.business.is_listed = False
        world.business.save()
    refresh(world.business)
    with scopes_disabled():
        assert not SalonListing.objects.filter(business=world.business).exists()


def test_master_page_shows_the_avatar_and_portfolio_uploaded_in_the_back_office(
    client, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    business = world.business
    with business_scope(business):
        for kind, colour in (("avatar", (200, 150, 120)), ("portfolio", (90, 60, 140))):
            master_photo_add(
                actor=None,
                business=business,
                master_id=world.lea.pk,
                upload=jpeg((900, 900), colour=colour),
                kind=kind,
                caption=f"Léa's {kind}",
            )
    html = client.get(reverse("marketplace:master", args=[business.slug, world.lea.pk])).content
    html = html.decode()
    avatar, portfolio = re.findall(r"<img[^>]*>", html)[:2]
    assert 'alt="Léa' in avatar and "srcset=" in avatar and 'width="160"' in avatar
    assert 'alt="Léa&#x27;s portfolio"' in portfolio and 'loading="lazy"' in portfolio
    assert "master-portfolio" in html
