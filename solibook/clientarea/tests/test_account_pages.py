import json

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.booking.models import Appointment, Status
from solibook.clientarea.models import Favourite
from solibook.reviews.models import Review
from solibook.reviews.tests.helpers import visit
from solibook.testing.factories import UserFactory, member
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    user = UserFactory(full_name="Ada Lovelace")
    client.force_login(user)
    return user


def test_visits_page_lists_upcoming_and_past_with_actions(client, salon, signed_in):
    upcoming = visit(salon, signed_in, hour=10, completed=False)
    past = visit(salon, signed_in, hour=12)
    visit(salon, UserFactory(), hour=14)  # someone else's
    body = client.get(reverse("clientarea:visits")).content.decode()
    assert reverse("clientarea:visit_cancel", args=[upcoming.pk]) in body
    assert reverse("clientarea:visit_review", args=[past.pk]) in body
    assert body.count('class="card mb-2 visit"') == 2
    assert "/book/" in body and "Book again" in body


def test_cancel_shows_the_policy_then_cancels(client, salon, signed_in):
    appointment = visit(salon, signed_in, completed=False)
    page = client.get(reverse("clientarea:visit_cancel", args=[appointment.pk]))
    assert (
        "free until" in page.content.decode().lower()
        or "free cancellation" in page.content.decode().lower()
    )
    assert (
        client.post(
            reverse("clientarea:visit_cancel", args=[appointment.pk]), {"reason": "ill"}
        ).status_code
        == 302
    )
    with scopes_disabled():
        assert Appointment.objects.get().status == Status.CANCELLED


def test_other_clients_visits_are_404(client, salon, signed_in):
    theirs = visit(salon, UserFactory(), completed=False)
    for name in (
        "clientarea:visit_cancel",
        "clientarea:visit_reschedule",
        "clientarea:visit_review",
    ):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.post(reverse("clientarea:visit_cancel", args=[theirs.pk])).status_code == 404


def test_reschedule_page_moves_the_visit(client, salon, signed_in):
    appointment = visit(salon, signed_in, completed=False)
    url = reverse("clientarea:visit_reschedule", args=[appointment.pk]) + "?date=2030-06-03"
    page = client.get(url)
    assert page.status_code == 200 and "2030-06-03T15:00:00+02:00" in page.content.decode()
    assert client.post(url, {"start": paris(15).isoformat()}).status_code == 302
    with scopes_disabled():
        assert Appointment.objects.get().starts_at == paris(15)
    assert client.post(url, {"start": "garbage"}).status_code == 400


def test_review_page_creates_one_review_with_escaped_text(client, salon, signed_in):
    appointment = visit(salon, signed_in)
    url = reverse("clientarea:visit_review", args=[appointment.pk])
    assert client.post(url, {"rating": "9"}).status_code == 200  # form error, nothing written
    assert (
        client.post(
            url, {"rating": "5", "quality": "4", "text": "<img src=x onerror=alert(1)>"}
        ).status_code
        == 302
    )
    assert client.post(url, {"rating": "4"}).status_code == 409
    with scopes_disabled():
        assert Review.objects.get().quality == 4
    owner = member(salon.business, Role.OWNER)
    client.force_login(owner)
    office = client.get(reverse("reviews:office", args=[salon.business.slug])).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in office and "<img src=x" not in office


def test_favourites_profile_and_export(client, salon, signed_in):
    assert client.post(
        reverse("clientarea:favourite_toggle"),
        {"business_id": salon.business.pk, "next": "//evil.example"},
    ).url == reverse("clientarea:favourites")
    assert salon.business.name in client.get(reverse("clientarea:favourites")).content.decode()
    favourite = Favourite.objects.get()
    client.post(reverse("clientarea:favourite_toggle"), {"favourite_id": favourite.pk})
    assert not Favourite.objects.exists()
    response = client.post(
        reverse("clientarea:profile"),
        {"full_name": "Ada L.", "phone": "", "language": "fr", "time_zone": "Europe/Paris"},
    )
    assert response.status_code == 302 and response.url.startswith("/fr/")
    signed_in.refresh_from_db()
    assert signed_in.language == "fr"
    export = client.get(reverse("privacy:export_json"))
    assert export["Content-Disposition"].startswith("attachment")
    assert json.loads(export.content)["profile"]["full_name"] == "Ada L."


def test_account_pages_need_a_login(client):
    assert client.get(reverse("clientarea:visits")).status_code == 302
    assert client.get(reverse("privacy:export_json")).status_code == 302
