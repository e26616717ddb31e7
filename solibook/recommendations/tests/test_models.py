"""The recommendation models against their baselines on the synthetic salon (the demo's
history: latent profiles set services, co-bookings and the card's hair and skin types;
retail is bought with services), and what they do with little or odd input."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, AppointmentItem, Status
from solibook.clients.models import Client
from solibook.recommendations import selectors
from solibook.recommendations.evaluation import evaluate
from solibook.recommendations.tests.synthetic import busy_salon
from solibook.testing.factories import BusinessFactory, LocationFactory, make_service

NOW = datetime(2026, 11, 2, 10, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache():
    cache.clear()


def test_the_hybrid_beats_popularity_and_products_beat_the_best_sellers():
    salon = busy_salon(now=NOW, days=240, clients=350)
    found = {e.metric: e for e in evaluate(business=salon.business, now=NOW)}
    services, products = found["hit@5"], found["hit@3"]
    assert services.baseline_name == "popularity" and services.test_size > 150
    assert services.details["ranker_learned"]
    assert services.beats_baseline, services.as_dict()
    assert services.model - services.baseline > 0.05
    assert products.baseline_name == "best sellers" and products.test_size > 40
    assert products.beats_baseline, products.as_dict()


def test_a_client_gets_reasons_and_a_colour_client_is_offered_the_colour_shampoo():
    salon = busy_salon(now=NOW, days=240, clients=350)
    colour = [cid for cid, profile in salon.truth.profiles.items() if profile == "colour"]
    with scopes_disabled():
        card = Client.objects.filter(pk__in=colour, appointments__status="completed").first()
    services = selectors.services_for_client(business=salon.business, client=card, now=NOW)
    assert len(services.items) == 5 and all(s.reasons for s in services.items)
    had = set()
    with scopes_disabled():
        had = set(
            AppointmentItem.objects.filter(appointment__client_card=card).values_list(
                "service_id", flat=True
            )
        )
    assert services.items[0].item.pk in had
    products = selectors.products_for(business=salon.business, client=card, now=NOW)
    shampoo = salon.truth.products["colour_shampoo"]
    assert shampoo in [p.item.pk for p in products.items]
    assert all(p.reasons for p in products.items)


def test_a_new_salon_says_so_instead_of_suggesting():
    business = BusinessFactory()
    location = LocationFactory(business=business)
    make_service(business, name="Cut")
    with scopes_disabled():
        card = Client.objects.create(business=business, first_name="Ana")
    assert evaluate(business=business, now=NOW) == []
    found = selectors.services_for_client(business=business, client=card, now=NOW)
    assert found.items == [] and "too few visits" in found.note
    products = selectors.products_for(business=business, client=card, now=NOW)
    assert products.items == [] and products.note
    assert selectors.booked_together_for(business=business, service_ids=[1], now=NOW) == []
    assert location


def test_a_service_with_three_bookings_is_handled():
    salon = busy_salon(now=NOW, days=120, clients=120)
    rare = make_service(salon.business, name="Bridal trial", category_slug="blow-dry")
    with scopes_disabled():
        cards = list(Client.objects.filter(business=salon.business)[:3])
        for i, card in enumerate(cards):
            start = NOW - timedelta(days=10 + i)
            visit = Appointment.objects.create(
                business=salon.business,
                location=salon.location,
                client_card=card,
                status=Status.COMPLETED,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                price_amount=9000,
                currency="EUR",
            )
            from solibook.catalog.models import Master

            master = Master.objects.filter(business=salon.business).first()
            AppointmentItem.objects.create(
                business=salon.business,
                appointment=visit,
                service=rare,
                master=master,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                price_amount=9000,
            )
    together = selectors.booked_together(business=salon.business, service=rare, now=NOW)
    assert together.items == [] and together.note
    for card in cards:
        found = selectors.services_for_client(business=salon.business, client=card, now=NOW)
        assert len(found.items) == 5
    assert evaluate(business=salon.business, now=NOW)
