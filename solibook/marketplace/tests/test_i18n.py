"""Four languages, chosen by URL prefix, switcher or Accept-Language; Arabic right-to-left."""

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from solibook.marketplace.index import business_refresh
from solibook.testing.factories import BusinessFactory, LocationFactory

pytestmark = pytest.mark.django_db

HEADINGS = {
    "en": "Book beauty and wellness near you",
    "fr": "Réservez beauté et bien-être près de chez vous",
    "ru": "Запишитесь в салон красоты рядом с вами",
    "ar": "احجز خدمات التجميل والعافية بالقرب منك",
}


@pytest.mark.parametrize("lang", ["en", "fr", "ru", "ar"])
def test_home_page_speaks_each_language(client, lang):
    response = client.get(f"/{lang}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    assert HEADINGS[lang] in html
    assert ("bootstrap.rtl.purged.min.css" in html) == (lang == "ar")


def test_accept_language_chooses_the_prefix(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/ru/"


def test_the_switcher_keeps_the_page_and_remembers_the_choice(client):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/fr/accounts/login/"})
    assert response["Location"] == "/ar/accounts/login/"
    assert client.cookies["solibook_language"].value == "ar"
    assert client.get("/").headers["Location"] == "/ar/"


def test_listed_salons_show_on_the_home_page_in_their_cities(client):
    business = BusinessFactory(name="Салон «Жемчуг»")
    LocationFactory(business=business, city="Москва", time_zone="Europe/Moscow")
    hidden = BusinessFactory(name="Hidden salon", is_listed=False)
    LocationFactory(business=hidden, city="Hiddenville")
    with scopes_disabled():  # what the refresh task does after the commit
        for pk in (business.pk, hidden.pk):
            business_refresh(pk, days=1)
    html = client.get("/ru/").content.decode()
    assert "Москва" in html  # the home page lists cities
    assert "Hiddenville" not in html
    with translation.override("ru"):
        old = client.get(reverse("marketplace:city", args=["москва"]))
        assert old.status_code == 301  # yesterday's Cyrillic slug moved to a Latin one
        assert old.headers["Location"] == reverse("marketplace:city", args=["moscow"])
        city = client.get(old.headers["Location"]).content.decode()
    assert "Салон «Жемчуг»" in city
    assert "Hidden salon" not in city


def test_an_unknown_page_is_a_translated_404(client):
    response = client.get("/fr/no-such-page/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
