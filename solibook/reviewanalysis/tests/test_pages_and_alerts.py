"""A review is read after its commit; a run of bad reviews raises one alert, shown in the back
office and e-mailed to the owner through the notifications; pages and API stay in their salon."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.notifications.models import Notification
from solibook.reviewanalysis.models import ReviewAlert, ReviewAnalysis
from solibook.reviews.services import review_create
from solibook.reviews.tests.helpers import visit
from solibook.testing.factories import BusinessFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def read_on_save(settings, django_capture_on_commit_callbacks):
    settings.REVIEWANALYSIS_ON_SAVE = True
    global _commit  # noqa: PLW0603 - the callbacks run as after a real commit
    _commit = django_capture_on_commit_callbacks


def _review(salon, text, rating, hour, master=None):
    author = UserFactory()
    appointment = visit(salon, author, hour=hour, master=master)
    with _commit(execute=True):
        return review_create(user=author, appointment_id=appointment.pk, rating=rating, text=text)


def test_three_bad_reviews_in_a_row_alert_the_owner_once(client, salon):
    owner = member(salon.business, Role.OWNER, language="fr")
    _review(salon, "Lovely welcome and a great cut, thank you!", 5, 9)
    _review(salon, "J'ai attendu quarante minutes et la coupe est ratée.", 1, 10)
    _review(salon, "Грязно, а мастер грубила.", 2, 11)
    with scopes_disabled():
        assert ReviewAnalysis.objects.count() == 3
        assert ReviewAlert.objects.count() == 0
    third = _review(salon, "انتظرت ساعة والنتيجة سيئة جدا.", 1, 12)
    with scopes_disabled():
        alerts = list(ReviewAlert.objects.filter(master=None))
        assert len(alerts) == 1 and alerts[0].count == 3 and alerts[0].last_review == third
        assert alerts[0].notified_at is not None
        # The same master (Léa) served every visit: her own alert too.
        assert ReviewAlert.objects.filter(master=salon.lea).count() == 1
        sent = Notification.objects.filter(kind="review_alert", recipient=owner)
        assert sent.count() == 2  # one per alert (salon, Léa), each once
        prepared = sent.first().context["prepared"]
        assert "d'affilée" in prepared["subject"] and "/office/" in prepared["link"]
    # A fourth bad review goes on with the same run: no new alert, no new e-mail.
    _review(salon, "Trop cher et personne ne dit bonjour.", 2, 13)
    with scopes_disabled():
        assert ReviewAlert.objects.filter(master=None).get().count == 4
        assert Notification.objects.filter(kind="review_alert").count() == 2

    client.force_login(owner)
    page = client.get(reverse("reviewanalysis:overview", args=[salon.business.slug])).content
    assert page.count(b'data-testid="review-alert"') == 2
    assert b"review-trend-data" in page and b"<script>" not in page


def test_strengths_and_weaknesses_with_quotes_per_salon_and_master(client, salon):
    for hour, text in enumerate(
        [
            "The receptionist greeted me with a warm smile.",
            "Accueil adorable, on m'a offert un thé.",
            "Очень приветливо встретили на ресепшене.",
        ],
        start=9,
    ):
        _review(salon, text, 5, hour)
    for hour, text in enumerate(
        [
            "Way too expensive for a simple trim.",
            "Beaucoup trop cher pour ce que c'est.",
            "Цены слишком высокие.",
        ],
        start=12,
    ):
        _review(salon, text, 4, hour, master=salon.marc)
    owner = member(salon.business, Role.OWNER)
    client.force_login(owner)
    page = client.get(reverse("reviewanalysis:overview", args=[salon.business.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="strength"' in html and "Welcome" in html
    assert 'data-testid="weakness"' in html and "Beaucoup trop cher" in html
    api = client.get(
        reverse("reviewanalysis_api:summary", args=[salon.business.pk]),
        {"master_id": salon.marc.pk},
    ).json()
    assert api["reviews"] == 3 and api["weaknesses"] == ["price"]
    readings = client.get(
        reverse("reviewanalysis_api:readings", args=[salon.business.pk]), {"language": "ru"}
    ).json()
    assert {r["language"] for r in readings} == {"ru"} and len(readings) == 2
    master_page = client.get(
        reverse("reviewanalysis:master", args=[salon.business.slug, salon.marc.pk])
    )
    assert master_page.status_code == 200 and "Marc" in master_page.content.decode()


def test_another_salon_sees_nothing_of_ours(client, salon):
    _review(salon, "Dirty and rude.", 1, 9)
    other = BusinessFactory()
    stranger = member(other, Role.OWNER)
    client.force_login(stranger)
    assert (
        client.get(reverse("reviewanalysis:overview", args=[salon.business.slug])).status_code
        == 404
    )
    assert (
        client.get(reverse("reviewanalysis_api:summary", args=[salon.business.pk])).status_code
        == 404
    )
    own = client.get(reverse("reviewanalysis_api:summary", args=[other.pk])).json()
    assert own["reviews"] == 0 and own["note"]
    # Our master's id in the other salon's URL: not found there.
    assert (
        client.get(reverse("reviewanalysis:master", args=[other.slug, salon.lea.pk])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("reviewanalysis_api:summary", args=[other.pk]), {"master_id": salon.lea.pk}
        ).status_code
        == 404
    )
    receptionist = member(salon.business, Role.RECEPTIONIST)
    client.force_login(receptionist)
    assert (
        client.get(reverse("reviewanalysis_api:summary", args=[salon.business.pk])).status_code
        == 403
    )


def test_a_new_salon_says_it_has_no_reviews_yet(client):
    business = BusinessFactory()
    client.force_login(member(business, Role.OWNER))
    page = client.get(reverse("reviewanalysis:overview", args=[business.slug]))
    assert page.status_code == 200 and b'data-testid="no-reviews"' in page.content
