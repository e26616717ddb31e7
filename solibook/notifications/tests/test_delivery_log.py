"""The delivery log names every message in the reader's words, a message another area
wrote whole (a campaign, a review alert) included: never its code."""

import pytest
from django.urls import reverse

from solibook.accounts.roles import Role
from solibook.core.tenancy import business_scope
from solibook.notifications.models import Channel, Notification, NotificationStatus
from solibook.testing.factories import member
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "language, words",
    [("en", "Alert: a run of bad reviews"), ("fr", "Alerte : une série d’avis négatifs")],
)
def test_a_failed_prepared_message_is_named_not_coded(client, salon, language, words):
    with business_scope(salon.business):
        Notification.objects.create(
            business=salon.business,
            channel=Channel.EMAIL,
            kind="review_alert",
            email="owner@example.test",
            due_at=NOW,
            status=NotificationStatus.FAILED,
            attempts=3,
        )
    client.force_login(member(salon.business, Role.OWNER))
    url = reverse("notifications:settings", args=[salon.business.slug])
    page = client.get(url.replace("/en/", f"/{language}/", 1)).content.decode()
    assert words in page
    assert "review_alert" not in page
