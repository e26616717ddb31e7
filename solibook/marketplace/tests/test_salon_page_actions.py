"""What a visitor can do with a salon from its public page: report a review,
save the salon to their favourites."""

import pytest
from django_scopes import scopes_disabled

pytestmark = pytest.mark.django_db


def test_the_salon_page_lets_anyone_report_a_review(client, listed_salon):
    from solibook.reviews.services import review_create
    from solibook.reviews.tests.helpers import visit
    from solibook.testing.factories import UserFactory

    guest = UserFactory()
    review = review_create(
        user=guest,
        appointment_id=visit(listed_salon, guest, hour=9).pk,
        rating=4,
        text="<b>Great</b> cut",
    )
    html = client.get(f"/en/salons/{listed_salon.business.slug}/").content.decode()
    assert f"/reviews/{review.pk}/report/" in html
    assert "&lt;b&gt;Great&lt;/b&gt; cut" in html  # the client's text is escaped


def test_a_signed_in_client_saves_a_salon_to_favourites_from_its_page(client, listed_salon):
    from solibook.clientarea.models import Favourite
    from solibook.testing.factories import UserFactory

    page = f"/en/salons/{listed_salon.business.slug}/"
    assert "Save to my favourites" not in client.get(page).content.decode()  # anonymous: no button
    user = UserFactory()
    client.force_login(user)
    assert "Save to my favourites" in client.get(page).content.decode()
    response = client.post(
        "/en/me/favourites/toggle/", {"business_id": listed_salon.business.pk, "next": page}
    )
    assert response.status_code == 302 and response["Location"] == page
    with scopes_disabled():
        assert Favourite.objects.filter(user=user, business=listed_salon.business).exists()
