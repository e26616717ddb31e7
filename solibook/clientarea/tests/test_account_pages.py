import json

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.booking.models import Appointment, Status
from solibook.clientarea.models import Favourite
from solibook.offers.models import OffPeakRule, PromoCode
from solibook.reviews.models import Review, ReviewReport
from solibook.reviews.services import review_create
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
    body = client.get(reverse("client:visits")).content.decode()
    assert reverse("client:visit_cancel", args=[upcoming.pk]) in body
    assert reverse("client:visit_review", args=[past.pk]) in body
    assert body.count('class="card mb-2 visit"') == 2
    assert "/book/" in body and "Book again" in body


def test_cancel_shows_the_policy_then_cancels(client, salon, signed_in):
    appointment = visit(salon, signed_in, completed=False)
    page = client.get(reverse("client:visit_cancel", args=[appointment.pk]))
    assert (
        "free until" in page.content.decode().lower()
        or "free cancellation" in page.content.decode().lower()
    )
    assert (
        client.post(
            reverse("client:visit_cancel", args=[appointment.pk]), {"reason": "ill"}
        ).status_code
        == 302
    )
    with scopes_disabled():
        assert Appointment.objects.get().status == Status.CANCELLED


def test_other_clients_visits_are_404(client, salon, signed_in):
    theirs = visit(salon, UserFactory(), completed=False)
    for name in ("client:visit_cancel", "client:visit_reschedule", "client:visit_review"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.post(reverse("client:visit_cancel", args=[theirs.pk])).status_code == 404


def test_reschedule_page_moves_the_visit(client, salon, signed_in):
    appointment = visit(salon, signed_in, completed=False)
    url = reverse("client:visit_reschedule", args=[appointment.pk]) + "?date=2030-06-03"
    page = client.get(url)
    assert page.status_code == 200 and "2030-06-03T15:00:00+02:00" in page.content.decode()
    assert client.post(url, {"start": paris(15).isoformat()}).status_code == 302
    with scopes_disabled():
        assert Appointment.objects.get().starts_at == paris(15)
    assert client.post(url, {"start": "garbage"}).status_code == 400


def test_review_page_creates_one_review_with_escaped_text(client, salon, signed_in):
    appointment = visit(salon, signed_in)
    url = reverse("client:visit_review", args=[appointment.pk])
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
    office = client.get(
        reverse("client:office_reviews", args=[salon.business.slug])
    ).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in office and "<img src=x" not in office


def test_salon_replies_and_anyone_reports_then_staff_hide(client, salon):
    author = UserFactory()
    review = review_create(
        user=author, appointment_id=visit(salon, author).pk, rating=2, text="Meh"
    )
    client.force_login(member(salon.business, Role.OWNER))
    reply = client.post(
        reverse("client:office_review_reply", args=[salon.business.slug, review.pk]),
        {"reply_text": "Sorry!"},
    )
    assert reply.status_code == 302
    client.logout()
    assert client.get(reverse("client:review_report", args=[review.pk])).status_code == 200
    assert (
        client.post(
            reverse("client:review_report", args=[review.pk]), {"reason": "spam"}
        ).status_code
        == 200
    )
    with scopes_disabled():
        assert ReviewReport.objects.count() == 1
    assert client.get(reverse("client:moderation")).status_code == 302  # staff only
    client.force_login(UserFactory(is_staff=True))
    assert "Meh" in client.get(reverse("client:moderation")).content.decode()
    client.post(reverse("client:moderate", args=[review.pk]), {"action": "hide"})
    with scopes_disabled():
        review.refresh_from_db()
    assert review.status == "hidden" and review.reply_text == "Sorry!"


def test_office_offers_page_creates_rules_and_codes(client, salon):
    client.force_login(member(salon.business, Role.OWNER))
    url = reverse("client:office_offers", args=[salon.business.slug])
    assert client.get(url).status_code == 200
    created = client.post(
        url,
        {
            "form": "offpeak",
            "weekdays": ["0", "2"],
            "start": "14:00",
            "end": "16:00",
            "discount_percent": "20",
        },
    )
    assert created.status_code == 302
    bad = client.post(
        url,
        {
            "form": "offpeak",
            "weekdays": ["0"],
            "start": "16:00",
            "end": "14:00",
            "discount_percent": "20",
        },
    )
    assert bad.status_code == 400
    assert (
        client.post(
            url,
            {"form": "promo", "code": "summer", "discount_amount": "5.50", "once_per_client": "on"},
        ).status_code
        == 302
    )
    assert (
        client.post(url, {"form": "promo", "code": "cents", "discount_amount": "5.555"}).status_code
        == 400
    )
    with scopes_disabled():
        assert OffPeakRule.objects.get().weekdays == [0, 2]
        assert PromoCode.objects.get().discount_amount == 550
    page = client.get(url).content.decode()
    assert "SUMMER" in page and "Monday, Wednesday" in page
    client.force_login(member(salon.business, Role.RECEPTIONIST))
    assert client.get(url).status_code == 403


def test_favourites_profile_and_export(client, salon, signed_in):
    assert client.post(
        reverse("client:favourite_toggle"),
        {"business_id": salon.business.pk, "next": "//evil.example"},
    ).url == reverse("client:favourites")
    assert salon.business.name in client.get(reverse("client:favourites")).content.decode()
    favourite = Favourite.objects.get()
    client.post(reverse("client:favourite_toggle"), {"favourite_id": favourite.pk})
    assert not Favourite.objects.exists()
    response = client.post(
        reverse("client:profile"),
        {"full_name": "Ada L.", "phone": "", "language": "fr", "time_zone": "Europe/Paris"},
    )
    assert response.status_code == 302 and response.url.startswith("/fr/")
    signed_in.refresh_from_db()
    assert signed_in.language == "fr"
    export = client.get(reverse("client:export"))
    assert export["Content-Disposition"].startswith("attachment")
    assert json.loads(export.content)["profile"]["full_name"] == "Ada L."


def test_account_pages_need_a_login(client):
    assert client.get(reverse("client:visits")).status_code == 302
    assert client.get(reverse("client:export")).status_code == 302
