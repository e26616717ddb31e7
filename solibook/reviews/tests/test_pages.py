import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.reviews.models import ReviewReport
from solibook.reviews.services import review_create
from solibook.reviews.tests.helpers import visit
from solibook.testing.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def test_salon_replies_and_anyone_reports_then_staff_hide(client, salon):
    author = UserFactory()
    review = review_create(
        user=author, appointment_id=visit(salon, author).pk, rating=2, text="Meh"
    )
    client.force_login(member(salon.business, Role.OWNER))
    reply = client.post(
        reverse("reviews:office_reply", args=[salon.business.slug, review.pk]),
        {"reply_text": "Sorry!"},
    )
    assert reply.status_code == 302
    client.logout()
    assert client.get(reverse("reviews:report", args=[review.pk])).status_code == 200
    assert (
        client.post(reverse("reviews:report", args=[review.pk]), {"reason": "spam"}).status_code
        == 200
    )
    with scopes_disabled():
        assert ReviewReport.objects.count() == 1
    assert client.get(reverse("reviews:moderation")).status_code == 302  # staff only
    client.force_login(UserFactory(is_staff=True))
    assert "Meh" in client.get(reverse("reviews:moderation")).content.decode()
    client.post(reverse("reviews:moderate", args=[review.pk]), {"action": "hide"})
    with scopes_disabled():
        review.refresh_from_db()
    assert review.status == "hidden" and review.reply_text == "Sorry!"
