"""What search engines read: JSON-LD per Google's rich-result guidance, the
x-default alternate, HEAD answered like GET, the favicon."""

import json
import re
from datetime import time
from decimal import Decimal
from html import unescape
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django_scopes import scopes_disabled

from solibook.catalog.models import LocationPhoto, MasterService, OpeningHours
from solibook.catalog.versioning import catalog_changed
from solibook.marketplace.tests.conftest import refresh

pytestmark = pytest.mark.django_db

# A 1×1 GIF: enough for an ImageField that is only linked to.
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def jsonld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(b) for b in blocks]


def of_type(blocks: list[dict], kind: str) -> list[dict]:
    return [b for b in blocks if b.get("@type") == kind]


@pytest.fixture
def rich_salon(salon, settings, tmp_path):
    """The test salon with what a rich result needs: an address with a postal
    code and a phone, coordinates, opening hours, a photo, a master's own
    price (Léa charges more for a cut) and a published review."""
    from solibook.reviews.services import review_create
    from solibook.reviews.tests.helpers import visit
    from solibook.testing.factories import UserFactory

    settings.MEDIA_ROOT = tmp_path
    with scopes_disabled():
        location = salon.location
        location.postal_code, location.phone = "75004", "+33142778899"
        location.latitude, location.longitude = Decimal("48.855"), Decimal("2.3601")
        location.save()
        OpeningHours.objects.bulk_create(
            [
                OpeningHours(
                    business=salon.business,
                    location=location,
                    weekday=d,
                    opens=time(9),
                    closes=time(19),
                )
                for d in range(6)
            ]
        )
        LocationPhoto.objects.create(
            business=salon.business,
            location=location,
            image=SimpleUploadedFile("front.gif", GIF, content_type="image/gif"),
            caption="The front of the salon",
        )
        MasterService.objects.filter(master=salon.lea, service=salon.cut).update(
            price_amount=6000, duration_delta_minutes=15
        )
    catalog_changed(salon.business.pk)
    guest = UserFactory()
    review_create(
        user=guest,
        appointment_id=visit(salon, guest, hour=9).pk,
        rating=5,
        text="Lovely",
        aspects={"quality": 5, "cleanliness": 4},
    )
    refresh(salon.business)
    return salon


def salon_url(salon, lang="en"):
    return f"/{lang}/salons/{salon.business.slug}/"


def test_the_salon_page_describes_the_business_as_google_asks(client, rich_salon):
    html = client.get(salon_url(rich_salon)).content.decode()
    (business,) = of_type(jsonld(html), "BeautySalon")
    assert business["@context"] == "https://schema.org"
    assert business["name"].startswith(rich_salon.business.name)
    assert business["url"].endswith(salon_url(rich_salon))
    address = business["address"]
    assert address["@type"] == "PostalAddress"
    assert address["streetAddress"] == "1 rue de Rivoli"
    assert address["addressLocality"] == "Paris"
    assert address["postalCode"] == "75004"
    assert address["addressCountry"] == "FR"
    assert business["telephone"] == "+33142778899"
    assert business["geo"] == {"@type": "GeoCoordinates", "latitude": 48.855, "longitude": 2.3601}
    assert business["image"] and business["image"][0].startswith("http://testserver/")
    # Monday to Saturday 09:00-19:00, Sunday closed: one specification, six days.
    (hours,) = business["openingHoursSpecification"]
    assert hours["opens"] == "09:00" and hours["closes"] == "19:00"
    assert hours["dayOfWeek"] == [
        f"https://schema.org/{d}"
        for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
    ]
    # Cut 45.00 (Marc) or 60.00 (Léa), colour 80.00: the range over all of it.
    assert business["priceRange"] == "€45.00 – €80.00"
    rating = business["aggregateRating"]
    assert rating["ratingValue"] == "5.0" and rating["reviewCount"] == 1
    (review,) = business["review"]
    assert review["reviewRating"]["ratingValue"] == 5
    assert review["author"]["@type"] == "Person" and review["reviewBody"] == "Lovely"
    cut = next(o for o in business["makesOffer"] if o["itemOffered"]["name"] == "Cut")
    assert cut["price"] == "45.00"
    assert cut["priceSpecification"]["minPrice"] == "45.00"
    assert cut["priceSpecification"]["maxPrice"] == "60.00"


def test_a_salon_without_reviews_claims_no_rating(client, listed_salon):
    (business,) = of_type(
        jsonld(client.get(salon_url(listed_salon)).content.decode()), "BeautySalon"
    )
    assert "aggregateRating" not in business and "review" not in business


def _html_crumbs(html: str) -> list[str]:
    nav = re.search(r'<ol class="breadcrumb">(.*?)</ol>', html, re.S).group(1)
    return [
        unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li.*?</li>", nav)
    ]


@pytest.mark.parametrize("page", ["salon", "master", "city", "city_category"])
def test_every_breadcrumb_shown_is_also_a_breadcrumb_list(client, listed_salon, page):
    slug = listed_salon.business.slug
    url = {
        "salon": f"/en/salons/{slug}/",
        "master": f"/en/salons/{slug}/masters/{listed_salon.lea.pk}/",
        "city": "/en/in/paris/",
        "city_category": "/en/in/paris/womens-haircut/",
    }[page]
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    (crumbs,) = of_type(jsonld(html), "BreadcrumbList")
    items = crumbs["itemListElement"]
    assert [i["position"] for i in items] == list(range(1, len(items) + 1))
    assert [i["name"] for i in items] == _html_crumbs(html)
    assert all(i["item"].startswith("http://testserver/en/") for i in items)
    assert items[-1]["item"] == f"http://testserver{url}"


def test_the_home_page_declares_the_site_search(client, listed_salon):
    html = client.get("/fr/").content.decode()
    (site,) = of_type(jsonld(html), "WebSite")
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["query-input"] == "required name=search_term_string"
    template = action["target"]["urlTemplate"]
    assert template == "http://testserver/fr/search/?q={search_term_string}"
    # The template is a page that answers.
    found = client.get(template.replace("http://testserver", "").format(search_term_string="Cut"))
    assert found.status_code == 200


@pytest.mark.parametrize("url", ["/en/in/paris/", "/en/in/paris/womens-haircut/"])
def test_city_and_category_pages_list_their_salons(client, listed_salon, url):
    (items,) = of_type(jsonld(client.get(url).content.decode()), "ItemList")
    (entry,) = items["itemListElement"]
    assert entry["position"] == 1
    assert entry["url"] == f"http://testserver/en/salons/{listed_salon.business.slug}/"
    assert items["numberOfItems"] == 1


def _sitemap_alternates(client) -> dict[str, dict[str, str]]:
    """{page URL: {hreflang: href}} of the whole sitemap."""
    namespaces = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - our own sitemap
    out = {}
    for url in root.findall("s:url", namespaces):
        loc = url.find("s:loc", namespaces).text
        out[loc] = {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", namespaces)
        }
    return out


def _head_alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_x_default_is_the_same_in_the_sitemap_and_the_page_head(client, listed_salon, lang):
    sitemap = _sitemap_alternates(client)
    for path in (
        f"/{lang}/",
        f"/{lang}/salons/{listed_salon.business.slug}/",
        f"/{lang}/in/paris/",
    ):
        head = _head_alternates(client.get(path).content.decode())
        in_sitemap = sitemap[f"http://testserver{path}"]
        assert head["x-default"] == in_sitemap["x-default"], path
        assert head == in_sitemap, path
        # x-default sends each visitor to their own language.
        landing = client.get(head["x-default"], headers={"accept-language": "ru"})
        assert landing.status_code == 302 and landing["Location"].startswith("/ru/")


def _public_pages(salon) -> list[str]:
    slug = salon.business.slug
    return [
        "/en/",
        "/fr/search/?q=Cut",
        "/ru/in/paris/",
        "/ar/in/paris/womens-haircut/",
        f"/en/salons/{slug}/",
        f"/en/salons/{slug}/masters/{salon.lea.pk}/",
        "/en/salons/no-such-salon/",
        "/en/compare/",
        "/en/how-ranking-works/",
        f"/en/book/{slug}/",
        "/en/accounts/login/",
        "/robots.txt",
        "/sitemap.xml",
        "/favicon.ico",
        "/healthz",
    ]


def test_head_is_answered_like_get_on_every_public_page(client, listed_salon):
    statuses = {}
    for url in _public_pages(listed_salon):
        get, head = client.get(url), client.head(url)
        statuses[url] = get.status_code
        assert head.status_code == get.status_code, url
        assert head.status_code != 405, url
        assert head["Content-Type"] == get["Content-Type"], url
        assert head.content == b"", url
    # The pages answer for real (a 404 answered alike would prove nothing).
    assert {u for u, s in statuses.items() if s != 200} == {"/en/salons/no-such-salon/"}


def test_the_favicon_answers_and_every_page_links_its_icons(client, listed_salon):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert "max-age=86400" in response["Cache-Control"]
    html = client.get(f"/en/salons/{listed_salon.business.slug}/").content.decode()
    assert '<link rel="icon" href="/static/solibook/favicon.svg" type="image/svg+xml">' in html
    assert 'href="/static/solibook/favicon-32.png" type="image/png"' in html
    from django.contrib.staticfiles import finders

    for icon in ("favicon.svg", "favicon-32.png", "apple-touch-icon.png"):
        assert finders.find(f"solibook/{icon}"), icon


@override_settings(DEBUG=False)
def test_the_map_marker_icon_is_a_static_file_the_page_names(client, listed_salon):
    with scopes_disabled():
        location = listed_salon.location
        location.latitude, location.longitude = Decimal("48.855"), Decimal("2.36")
        location.save()
    refresh(listed_salon.business)
    html = client.get(f"/en/salons/{listed_salon.business.slug}/").content.decode()
    assert 'data-icon="/static/vendor/leaflet/images/marker-icon.png"' in html
    assert 'data-icon2x="/static/vendor/leaflet/images/marker-icon-2x.png"' in html
    assert 'data-shadow="/static/vendor/leaflet/images/marker-shadow.png"' in html
    from django.contrib.staticfiles import finders

    for name in ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png"):
        assert finders.find(f"vendor/leaflet/images/{name}")
