"""The review page in the reader's language (issue #14, points 10 and 11): the stars are
radio buttons named with their plural ("3 звезды", "5 звёзд"), the page links to the
salon where the review will show; the guest's contact reads left to right."""

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from solibook.clientarea.forms import GuestForm, ReviewForm
from solibook.reviews.models import Review
from solibook.reviews.tests.helpers import visit
from solibook.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("en", ["5 stars", "4 stars", "3 stars", "2 stars", "1 star"]),
        ("fr", ["5 étoiles", "4 étoiles", "3 étoiles", "2 étoiles", "1 étoile"]),
        ("ru", ["5 звёзд", "4 звезды", "3 звезды", "2 звезды", "1 звезда"]),
        ("ar", ["5 نجوم", "4 نجوم", "3 نجوم", "نجمتان", "نجمة واحدة"]),
    ],
)
def test_star_choices_are_named_with_their_plural(lang, labels):
    with translation.override(lang):
        form = ReviewForm()
        assert [label for _value, label in form.fields["rating"].choices] == labels
        assert [label for _value, label in form.fields["quality"].choices] == ["—", *labels]


def test_the_review_page_shows_radio_stars_and_links_to_the_salon(client, salon):
    user = UserFactory()
    client.force_login(user)
    done = visit(salon, user)
    url = reverse("clientarea:visit_review", args=[done.pk])
    with translation.override("ru"):
        url = reverse("clientarea:visit_review", args=[done.pk])
        salon_url = reverse("marketplace:salon", args=[salon.business.slug])
    html = client.get(url).content.decode()
    assert html.count('type="radio" name="rating"') == 5
    assert '<label class="form-check-label" for="id_rating_4">1 звезда</label>' in html
    assert f'href="{salon_url}#reviews-h"' in html
    assert client.post(url, {"rating": "3", "text": "Хорошо"}).status_code == 302
    with scopes_disabled():
        assert Review.objects.get(appointment=done).rating == 3


def test_someone_elses_visit_has_no_review_page(client, salon):
    client.force_login(UserFactory())
    theirs = visit(salon, UserFactory())
    assert client.get(reverse("clientarea:visit_review", args=[theirs.pk])).status_code == 404


def test_the_guest_contact_reads_left_to_right():
    html = str(GuestForm()["destination"])
    assert 'dir="ltr"' in html


def test_the_visits_page_writes_dates_as_the_language_does(client, salon):
    """A completed visit on Monday 3 June 2030 (the test salon's week) at 12:00 in Paris."""
    user = UserFactory()
    client.force_login(user)
    visit(salon, user, hour=12)
    shown = {}
    for lang in ("ru", "fr", "ar"):
        with translation.override(lang):
            shown[lang] = client.get(reverse("clientarea:visits")).content.decode()
    assert "3 июня 2030, 12:00" in shown["ru"] and "Июнь" not in shown["ru"]
    assert "3 juin 2030, 12:00" in shown["fr"] and "Juin" not in shown["fr"]
    assert "3 يونيو 2030، 12:00" in shown["ar"]
    salon_url = reverse("marketplace:salon", args=[salon.business.slug])
    assert f'<a href="/ar{salon_url[3:]}">' in shown["ar"]  # the past visit links its salon
