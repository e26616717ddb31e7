"""The style advisor: questionnaire → styles with pictures → this salon's services, bookable in
one click; in four languages, with empty wishes, a fifth language, bad answers and another
salon's services kept apart."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.translation import override
from django_scopes import scopes_disabled

from solibook.catalog.models import MasterService
from solibook.marketplace.index import business_refresh
from solibook.styleadvisor.catalogue import styles
from solibook.styleadvisor.evaluation import evaluate
from solibook.styleadvisor.matching import Answers, match
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, make_service
from solibook.testing.salon import MONDAY, NOW, give_shifts

pytestmark = pytest.mark.django_db


def _listed(salon):
    with scopes_disabled():
        business_refresh(salon.business.pk, start=MONDAY, days=3, now=NOW)
    return salon


@pytest.fixture
def listed(salon):
    balayage = make_service(
        salon.business, name="Balayage", price=12000, category_slug="highlights"
    )
    with scopes_disabled():
        MasterService.objects.create(business=salon.business, master=salon.lea, service=balayage)
    salon.balayage = balayage
    return _listed(salon)


def test_matching_beats_the_keyword_baseline_on_held_out_questionnaires():
    (result,) = evaluate(business=None, now=NOW)
    assert result.beats_baseline, result
    assert result.model >= 0.8 and result.test_size >= 24
    assert set(result.details) == {"en", "fr", "ru", "ar"}


def test_every_style_has_its_picture_and_four_languages():
    for style in styles():
        assert finders.find(style.picture), style.id
        assert set(style.name) == set(style.description) == {"en", "fr", "ru", "ar"}


@pytest.mark.parametrize(
    "language, wishes",
    [
        ("en", "I'd love lighter ends, like after a summer by the sea"),
        ("ru", "Хочу, чтобы волосы выглядели выгоревшими на солнце"),
        ("ar", "أريد خصلات فاتحة كأن الشمس فتحت شعري في الصيف"),
    ],
)
def test_the_page_shows_styles_with_pictures_and_books_the_realising_service(
    client, listed, language, wishes
):
    url = reverse("styleadvisor:advisor", args=[listed.business.slug])
    with override(language):
        url = reverse("styleadvisor:advisor", args=[listed.business.slug])
    page = client.get(
        url,
        {
            "submitted": "1",
            "face": "oval",
            "hair_type": "straight",
            "length": "long",
            "tone": "warm",
            "occasion": "everyday",
            "wishes": wishes,
        },
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-style="balayage"' in html
    assert "styleadvisor/styles/balayage" in html
    book = reverse("clientarea:book", args=[listed.business.slug])
    assert f"{book}?location={listed.location.pk}&amp;service={listed.balayage.pk}" in html
    if language == "ar":
        assert 'dir="rtl"' in html


def test_empty_wishes_match_on_the_answers_and_say_so(client, listed):
    page = client.get(
        reverse("styleadvisor:advisor", args=[listed.business.slug]),
        {"submitted": "1", "hair_type": "curly", "wishes": ""},
    )
    assert page.status_code == 200 and b'data-testid="advisor-note"' in page.content
    api = client.post(
        reverse("styleadvisor_api:advisor", args=[listed.business.slug]),
        {"hair_type": "curly", "wishes": ""},
        content_type="application/json",
    ).json()
    assert len(api["styles"]) == 3 and api["notes"]
    assert all("curly" in s.style.hair_types for s in match(Answers(hair_type="curly")))


def test_wishes_in_a_fifth_language_still_answer_with_a_note(client, listed):
    api = client.post(
        reverse("styleadvisor_api:advisor", args=[listed.business.slug]),
        {"wishes": "Ich möchte hellere Spitzen, wie nach einem Sommer am Meer"},
        content_type="application/json",
    ).json()
    assert api["styles"] and "another language" in api["notes"][0]


def test_bad_answers_are_refused_field_by_field(client, listed):
    url = reverse("styleadvisor_api:advisor", args=[listed.business.slug])
    bad = client.post(
        url, {"face": "triangle", "wishes": "x" * 501}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"face", "wishes"}
    page = client.get(
        reverse("styleadvisor:advisor", args=[listed.business.slug]),
        {"submitted": "1", "face": "triangle"},
    )
    assert page.status_code == 400


def test_only_this_salons_services_are_offered(client, listed):
    other = BusinessFactory()
    location = LocationFactory(business=other, time_zone="Europe/Paris")
    theirs = make_service(other, name="Balayage deluxe", price=9000, category_slug="highlights")
    master = make_master(other, locations=[location], services=[theirs], name="Zoé")
    give_shifts(master, location)
    with scopes_disabled():
        business_refresh(other.pk, start=MONDAY, days=3, now=NOW)
    api = client.post(
        reverse("styleadvisor_api:advisor", args=[listed.business.slug]),
        {"wishes": "balayage", "tone": "warm", "length": "long"},
        content_type="application/json",
    ).json()
    offered = {o["service_id"] for s in api["styles"] for o in s["services"]}
    assert listed.balayage.pk in offered and theirs.pk not in offered
    with scopes_disabled():
        other.is_listed = False
        other.save(update_fields=["is_listed"])
    assert client.get(reverse("styleadvisor:advisor", args=[other.slug])).status_code == 404
    assert (
        client.post(
            reverse("styleadvisor_api:advisor", args=[other.slug]),
            {},
            content_type="application/json",
        ).status_code
        == 404
    )
