"""Find in your own words (issue #14, point 6): the same salons whatever the
language of the words typed and of the salon's menu, cities in every
script, readable slugs with permanent redirects, a free-time badge that
opens the wizard, and bad search input answered in the client's language.

Run on both databases: PostgreSQL (full text per language, trigrams) and
SQLite (the substring fallback), e.g.
DATABASE_URL=sqlite:///:memory: pytest solibook/marketplace/tests/test_search_words.py
"""

import importlib
import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from solibook.catalog.models import Business, Location, Service
from solibook.catalog.services import business_create
from solibook.core.slugs import readable_slug, transliterate
from solibook.marketplace.cities import city_key, city_name, known_city, split_city
from solibook.marketplace.models import OldSlug, Promotion, SalonListing
from solibook.marketplace.search import TS_VECTOR, SearchQuery, salon_search
from solibook.marketplace.tests.conftest import refresh
from solibook.marketplace.text import search_words
from solibook.testing.factories import (
    BusinessFactory,
    LocationFactory,
    make_master,
    make_service,
    member,
)
from solibook.testing.salon import MONDAY, NOW, give_shifts

pytestmark = pytest.mark.django_db

HAIRCUT = ("haircut", "coupe", "стрижка", "قص شعر")
MANICURE = ("manicure", "manucure", "маникюр", "مانيكير")


def _salon(name, city, country, zone, services, slug=None, languages=()):
    business = BusinessFactory(
        name=name,
        slug=slug or readable_slug(name),
        country=country,
        lead_time_minutes=0,
        horizon_days=3650,
        languages=list(languages),
    )
    location = LocationFactory(
        business=business, name=name, city=city, country=country, time_zone=zone
    )
    made = [
        make_service(business, name=service_name, category_slug=category, steps=[(45, True)])
        for service_name, category in services
    ]
    give_shifts(make_master(business, locations=[location], services=made), location)
    refresh(business)
    return business


@pytest.fixture
def menus(db):
    """Salons that wrote their menus in French, Russian and Arabic; two that do no haircut."""
    return {
        "paris_hair": _salon(
            "Atelier Lumière",
            "Paris",
            "FR",
            "Europe/Paris",
            [("Coupe femme et brushing", "womens-haircut")],
            languages=["fr"],
        ),
        "paris_nails": _salon(
            "Ongles & Sens", "Paris", "FR", "Europe/Paris", [("Manucure russe", "manicure")]
        ),
        "moscow_hair": _salon(
            "Салон красоты «Жемчуг»",
            "Москва",
            "RU",
            "Europe/Moscow",
            [("Женская стрижка", "womens-haircut"), ("Аппаратный маникюр", "manicure")],
        ),
        "moscow_barber": _salon(
            "Барбершоп «Борода»",
            "Москва",
            "RU",
            "Europe/Moscow",
            [("Мужская стрижка", "mens-haircut")],
        ),
        "riyadh_hair": _salon(
            "صالون لمسة ورد",
            "الرياض",
            "SA",
            "Asia/Riyadh",
            [("قص شعر نسائي", "womens-haircut")],
            slug="lamsat-ward",
        ),
        "riyadh_spa": _salon(
            "سبا الواحة", "الرياض", "SA", "Asia/Riyadh", [("مساج استرخائي", "relaxing-massage")]
        ),
        "lyon_spa": _salon(
            "Spa des Canuts",
            "Lyon",
            "FR",
            "Europe/Paris",
            [("Massage relaxant aux huiles chaudes", "relaxing-massage")],
        ),
    }


def found(text="", **fields) -> set[str]:
    with scopes_disabled():
        page = salon_search(query=SearchQuery(text=text, per_page=100, **fields), now=NOW)
    return {r.salon.name for r in page.results}


def names(menus, *keys) -> set[str]:
    return {menus[k].name for k in keys}


# --- the words ----------------------------------------------------------------


def test_haircut_in_four_languages_finds_the_same_salons(menus):
    expected = names(menus, "paris_hair", "moscow_hair", "moscow_barber", "riyadh_hair")
    for word in HAIRCUT:
        assert found(word) == expected, word


def test_manicure_in_four_languages_finds_the_same_salons(menus):
    expected = names(menus, "paris_nails", "moscow_hair")
    for word in MANICURE:
        assert found(word) == expected, word


def test_massage_colouring_and_brows_in_other_languages(menus):
    spas = names(menus, "riyadh_spa", "lyon_spa")
    for word in ("massage", "массаж", "مساج", "تدليك"):
        assert found(word) == spas, word
    assert found("brows") == found("sourcils") == found("брови") == set()


def test_inflected_and_plural_words_still_match(menus):
    assert names(menus, "moscow_hair") <= found("стрижки")
    assert names(menus, "paris_hair") <= found("coupes")
    assert names(menus, "paris_nails") <= found("manicures")


@pytest.mark.postgres
def test_typos_are_forgiven_on_postgresql(menus):
    assert names(menus, "paris_nails", "moscow_hair") <= found("manicuer")
    assert names(menus, "moscow_hair") <= found("маникур")


@pytest.mark.postgres
def test_full_text_uses_each_languages_configuration(menus):
    """The Russian stemmer, not a substring, matches "стрижку" to "стрижка"
    in the menu; the expression is the one the GIN index is built on."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM marketplace_salonlisting WHERE ({TS_VECTOR}) @@ plainto_tsquery('russian', %s)",  # noqa: S608
            ["женскую стрижку"],
        )
        assert cursor.fetchone()[0] >= 1
    migration = importlib.import_module(
        "solibook.marketplace.migrations.0004_readable_slugs_and_search_terms"
    )
    assert migration.TS_VECTOR == TS_VECTOR
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'mkt_salon_terms_fts'",
        )
        assert "to_tsvector('russian'" in cursor.fetchone()[0]


def test_a_salon_name_and_a_words_in_another_language_do_not_match_everything(menus):
    assert found("Жемчуг") == names(menus, "moscow_hair")
    assert found("haircut massage") == set()


def test_the_arabic_article_and_diacritics_do_not_matter(menus):
    expected = names(menus, "paris_hair", "moscow_hair", "moscow_barber", "riyadh_hair")
    assert found("قَصّ الشَّعر") == expected
    assert search_words("بالشعر الأطفال") == ["شعر", "اطفال"]


# --- cities -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling, slug",
    [
        ("Moscow", "moscow"),
        ("Москва", "moscow"),
        ("موسكو", "moscow"),
        ("Moscou", "moscow"),
        ("москве", "moscow"),
        ("Riyadh", "riyadh"),
        ("Riad", "riyadh"),
        ("Эр-Рияд", "riyadh"),
        ("الرياض", "riyadh"),
        ("Paris", "paris"),
        ("Париж", "paris"),
        ("باريس", "paris"),
        ("Lyon", "lyon"),
        ("Лион", "lyon"),
        ("ليون", "lyon"),
        ("Санкт-Петербург", "saint-petersburg"),
        ("sankt peterburg", "saint-petersburg"),
    ],
)
def test_every_spelling_of_a_city_is_one_city(spelling, slug):
    assert known_city(spelling) == slug
    assert city_key(spelling) == slug


def test_unknown_cities_get_a_transliterated_slug_and_junk_gets_none():
    assert known_city("Atlantis") is None
    assert city_key("Новосибирск") == "novosibirsk" == city_key("novosibirsk")
    assert city_key("?!…") == ""


def test_city_names_follow_the_language():
    assert city_name("moscow", language="fr") == "Moscou"
    assert city_name("riyadh", language="ru") == "Эр-Рияд"
    assert city_name("paris", language="ar") == "باريس"
    assert city_name("atlantis", fallback="Atlantis") == "Atlantis"


def test_a_city_typed_in_any_script_filters_the_search(menus):
    riyadh = names(menus, "riyadh_hair", "riyadh_spa")
    for spelling in ("Riyadh", "Riad", "Эр-Рияд", "الرياض"):
        assert found(city_slug=city_key(spelling)) == riyadh, spelling
    assert found("haircut", city_slug=city_key("Moscou")) == names(
        menus, "moscow_hair", "moscow_barber"
    )


def test_a_city_inside_the_search_words_becomes_the_city_filter(menus):
    assert split_city(["стрижка", "в", "Москве"]) == ("moscow", ["стрижка"])
    assert found("стрижка в Москве") == names(menus, "moscow_hair", "moscow_barber")
    assert found("قص شعر في الرياض") == names(menus, "riyadh_hair")
    assert found("coupe Paris") == names(menus, "paris_hair")


def test_the_search_form_resolves_the_city_field(client, menus):
    html = client.get("/fr/search/", {"q": "стрижка", "city": "Moscou"}).content.decode()
    assert menus["moscow_hair"].name in html and menus["paris_hair"].name not in html
    assert "Moscou" in html  # the address shows the city in the page's language


def test_city_pages_have_latin_slugs_and_old_slugs_redirect_permanently(client, menus):
    with translation.override("en"):
        page = client.get(reverse("marketplace:city", args=["moscow"]))
        assert page.status_code == 200 and menus["moscow_barber"].name in page.content.decode()
        for old in ("москва", "moskva", "moscou", "موسكو"):
            moved = client.get(
                reverse("marketplace:city_category", args=[old, "mens-haircut"]), {"sort": "price"}
            )
            assert moved.status_code == 301, old
            assert moved.headers["Location"] == (
                reverse("marketplace:city_category", args=["moscow", "mens-haircut"])
                + "?sort=price"
            )
        assert client.get(reverse("marketplace:city", args=["atlantis"])).status_code == 404
    with translation.override("ar"):
        html = client.get(reverse("marketplace:home")).content.decode()
    assert 'href="/ar/in/riyadh/"' in html and "الرياض" in html and "موسكو" in html


# --- slugs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, slug",
    [
        ("Салон красоты «Жемчуг»", "salon-krasoty-zhemchug"),
        ("Барбершоп «Борода»", "barbershop-boroda"),
        ("Щука и ёж", "shchuka-i-ezh"),
        ("سبا الواحة", "sba-al-waha"),
        ("Atelier Lumière", "atelier-lumiere"),
        ("«»!!", ""),
    ],
)
def test_names_in_any_script_get_readable_slugs(name, slug):
    assert readable_slug(name) == slug


def test_transliteration_keeps_case_and_digits():
    assert transliterate("Жемчуг ٢٤") == "Zhemchug 24"


def test_new_salons_get_transliterated_slugs_or_their_own(db):
    owner = member(BusinessFactory())
    first = business_create(owner=owner, name="Салон «Жемчуг»", currency="RUB", country="RU")
    second = business_create(owner=owner, name="Салон «Жемчуг»", currency="RUB", country="RU")
    own = business_create(
        owner=owner, name="صالون لمسة ورد", currency="SAR", country="SA", slug="Lamsat Ward"
    )
    assert (first.slug, second.slug, own.slug) == (
        "salon-zhemchug",
        "salon-zhemchug-2",
        "lamsat-ward",
    )


def test_a_renamed_slug_keeps_redirecting_permanently(client, menus):
    business = menus["moscow_hair"]
    old = business.slug
    with scopes_disabled():
        Business.objects.filter(pk=business.pk).update(slug="zhemchug")
    refresh(business)  # the index notices the change and keeps the old slug
    assert OldSlug.objects.filter(slug=old, business=business).exists()
    for name, args in (("salon", [old]), ("master", [old, 1])):
        with translation.override("ru"):
            response = client.get(reverse(f"marketplace:{name}", args=args), {"utm": "x"})
            new = reverse(f"marketplace:{name}", args=["zhemchug", *args[1:]])
        assert response.status_code == 301
        assert response.headers["Location"] == f"{new}?utm=x"
    # Renamed once more: both earlier slugs lead to the latest.
    with scopes_disabled():
        Business.objects.filter(pk=business.pk).update(slug="zhemchug-moskva")
    refresh(business)
    with translation.override("ru"):
        for earlier in (old, "zhemchug"):
            response = client.get(reverse("marketplace:salon", args=[earlier]))
            assert response.headers["Location"] == reverse(
                "marketplace:salon", args=["zhemchug-moskva"]
            )
        assert client.get(reverse("marketplace:salon", args=["zhemchug-moskva"])).status_code == 200


def test_a_slug_in_use_again_is_no_longer_a_redirect(client, menus):
    first, second = menus["moscow_hair"], menus["moscow_barber"]
    old = first.slug
    with scopes_disabled():
        Business.objects.filter(pk=first.pk).update(slug="zhemchug")
    refresh(first)
    with scopes_disabled():
        Business.objects.filter(pk=second.pk).update(slug=old)
    refresh(second)
    assert not OldSlug.objects.filter(slug=old).exists()
    response = client.get(reverse("marketplace:salon", args=[old]))
    assert response.status_code == 200 and second.name in response.content.decode()


def test_the_migration_gives_cyrillic_and_arabic_salons_readable_slugs(db):
    """What migration 0004 does to yesterday's "salon", "salon-2" slugs."""
    from django.apps import apps

    migration = importlib.import_module(
        "solibook.marketplace.migrations.0004_readable_slugs_and_search_terms"
    )
    moscow = BusinessFactory(name="Салон красоты «Жемчуг»", slug="salon")
    riyadh = BusinessFactory(name="سبا الواحة", slug="salon-2")
    latin = BusinessFactory(name="Atelier Lumière", slug="atelier-lumiere")
    LocationFactory(business=moscow, city="Москва")
    refresh(moscow)
    SalonListing.objects.filter(business=moscow).update(city_slug="москва")
    migration.readable_slugs(apps, None)
    with scopes_disabled():
        slugs = dict(Business.objects.values_list("pk", "slug"))
    assert slugs[moscow.pk] == "salon-krasoty-zhemchug"
    assert slugs[riyadh.pk] == "sba-al-waha"
    assert slugs[latin.pk] == "atelier-lumiere"
    assert dict(OldSlug.objects.values_list("slug", "business_id")) == {
        "salon": moscow.pk,
        "salon-2": riyadh.pk,
    }
    listing = SalonListing.objects.get(business=moscow)
    assert (listing.business_slug, listing.city_slug) == ("salon-krasoty-zhemchug", "moscow")


# --- the free-time badge ---------------------------------------------------------------


def test_a_free_time_badge_opens_the_wizard_on_that_day_and_time(client, menus):
    business = menus["moscow_hair"]
    with scopes_disabled():
        location = Location.objects.get(business=business)
    response = client.get(
        "/ru/search/",
        {"q": "стрижка", "city": "Москва", "date": MONDAY.isoformat(), "time_from": "10:00"},
    )
    html = response.content.decode()
    with translation.override("ru"):
        wizard = reverse("clientarea:book_time", args=[business.slug])
    start = datetime(2030, 6, 3, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
    with scopes_disabled():
        service = Service.objects.get(business=business, name="Женская стрижка")
    link = (
        f'href="{wizard}?location={location.pk}&amp;service={service.pk}'
        f'&amp;date=2030-06-03&amp;at=10:00&amp;via=search"'  # via: the first touch
    )
    assert link in html
    assert f'<time datetime="{start.isoformat()}">10:00</time><span' in html
    # The wizard opens on that day with that time picked out.
    url = link[len('href="') : -1].replace("&amp;", "&")
    wizard_page = client.get(url).content.decode()
    picked = re.search(
        r'<button[^>]*aria-current="true" autofocus[^>]*>\s*<span[^>]*>([^<]+)<', wizard_page
    )
    assert picked is not None and picked.group(1) == "10:00"
    assert wizard_page.count('aria-current="true" autofocus') == 1


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, text, message",
    [
        ("en", "?!…", "Type a word to search for"),
        ("fr", "%%% ***", "Tapez un mot à rechercher"),
        ("ru", "!!! ???", "Введите слово для поиска"),
        ("ar", "؟؟ ،،", "اكتب كلمة للبحث عنها"),
        ("en", "x" * 2000, "Your search is too long: use at most 100 characters."),
        ("fr", "x" * 2000, "Votre recherche est trop longue"),
        ("ru", "я" * 2000, "Слишком длинный запрос"),
        ("ar", "ق" * 2000, "بحثك طويل جدًا"),
    ],
)
def test_punctuation_or_2000_characters_get_a_clear_message(client, menus, language, text, message):
    response = client.get(f"/{language}/search/", {"q": text})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_api_refuses_the_same_bad_input(api_client, menus):
    response = api_client.get(
        "/api/v1/marketplace/search/", {"q": "?!…"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 400
    assert "Tapez un mot" in str(response.json())
    assert api_client.get("/api/v1/marketplace/search/", {"q": "x" * 2000}).status_code == 400


def test_a_long_search_is_refused_before_any_query(menus, django_assert_max_num_queries):
    from solibook.core.errors import ValidationFailed

    with django_assert_max_num_queries(0), pytest.raises(ValidationFailed):
        salon_search(query=SearchQuery(text="x " * 1000), now=NOW)
    with django_assert_max_num_queries(0), pytest.raises(ValidationFailed):
        salon_search(query=SearchQuery(text="...,,,;;;"), now=NOW)


def test_a_promotion_typed_with_a_cyrillic_city_is_shown_in_that_city(menus):
    barber = menus["moscow_barber"]
    promotion = Promotion.objects.create(
        business=barber, city_slug="Москва", starts_on=NOW.date(), ends_on=NOW.date()
    )
    assert promotion.city_slug == "moscow"
    with scopes_disabled():
        page = salon_search(query=SearchQuery(city_slug=city_key("Moscou")), now=NOW)
    assert [(r.salon.name, r.promoted) for r in page.results][0] == (barber.name, True)
