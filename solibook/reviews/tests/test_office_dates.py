"""The back office's review list writes its dates as the language does (issue #14,
point 10): "7 декабря 2030" in Russian, "7 décembre 2030" in French."""

from datetime import UTC, datetime

import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.reviews.models import Review
from solibook.reviews.services import review_create
from solibook.reviews.tests.helpers import visit
from solibook.testing.factories import UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "shown", "never"),
    [("ru", "7 декабря 2030", "Декабрь"), ("fr", "7 décembre 2030", "Décembre")],
)
def test_the_review_list_dates_read_as_the_language_writes_them(client, salon, lang, shown, never):
    author = UserFactory()
    review = review_create(user=author, appointment_id=visit(salon, author).pk, rating=5)
    with scopes_disabled():
        Review.objects.filter(pk=review.pk).update(created_at=datetime(2030, 12, 7, 12, tzinfo=UTC))
    client.force_login(member(salon.business, Role.OWNER))
    with translation.override(lang):
        html = client.get(f"/{lang}/office/{salon.business.slug}/reviews/").content.decode()
    assert shown in html and never not in html
