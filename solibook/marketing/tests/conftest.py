"""A small marketing world: the test salon (solibook.testing.salon), a tag and a
saved segment of eight cards, six of which agreed to marketing messages (one in
French, one in Russian, one with a phone only), one who did not, one who never said."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.clients.models import Client, ClientConsent, ClientTag, Segment
from solibook.notifications.models import SalonNotificationSettings


@dataclass
class World:
    salon: object
    segment: Segment
    cards: list[Client]
    consenting: list[Client]


def consent(card: Client, kind: str, granted: bool, at=None) -> None:
    # Recorded before today (a decision the client makes now comes after it).
    at = at or timezone.now() - timedelta(days=30)
    with scopes_disabled():
        ClientConsent.objects.create(
            business=card.business, client=card, kind=kind, granted=granted, recorded_at=at
        )


def make_world(salon, n_consenting: int = 6) -> World:
    business = salon.business
    with scopes_disabled():
        # The salon writes by e-mail and SMS (the site's default is e-mail alone).
        SalonNotificationSettings.objects.filter(business=business).update(
            channels=["email", "sms"]
        )
        tag = ClientTag.objects.create(business=business, name="Newsletter")
        segment = Segment.objects.create(business=business, name="Newsletter", tag=tag)
        cards, agreed = [], []
        languages = ["fr", "ru", "", "en", "ar", ""]
        for i in range(n_consenting + 2):
            card = Client.objects.create(
                business=business,
                first_name=f"Client{i}",
                last_name="Test",
                email=f"client{i}@example.test" if i != 2 else "",
                phone=f"+3361234{i:04d}",
                language=languages[i % len(languages)],
            )
            card.tags.add(tag)
            cards.append(card)
            if i < n_consenting:
                consent(card, "marketing", True)
                agreed.append(card)
            elif i == n_consenting:
                consent(card, "marketing", False)
    return World(salon, segment, cards, agreed)


@pytest.fixture
def world(salon) -> World:
    return make_world(salon)
