"""The salon's visits, baskets and catalogue as the recommendation engine reads them:
a few queries, grouped by client card, times as days since the epoch."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from solibook.booking.client_visits import VISIT_STATUSES
from solibook.booking.models import AppointmentItem
from solibook.catalog.models import Service
from solibook.clients.models import Client
from solibook.finance.models import CheckoutLine, Product
from solibook.recommendations.engine import Histories, Visit, tokens

DAY_SECONDS = 86400.0


def day_of(moment: datetime) -> float:
    return moment.timestamp() / DAY_SECONDS


def visit_histories(*, business, now: datetime) -> Histories:
    """Every card's visits before `now` with the services of each, and its hair and skin types."""
    grouped: dict[int, dict[int, tuple[float, list[int]]]] = defaultdict(dict)
    rows = AppointmentItem.objects.filter(
        business=business,
        appointment__status__in=VISIT_STATUSES,
        appointment__starts_at__lte=now,
        appointment__client_card__isnull=False,
        appointment__client_card__erased_at__isnull=True,
    ).values_list(
        "appointment_id", "appointment__client_card_id", "appointment__starts_at", "service_id"
    )
    for appointment, card, starts, service in rows.iterator(chunk_size=5000):
        visit = grouped[card].setdefault(appointment, (day_of(starts), []))
        visit[1].append(service)
    histories = Histories()
    for card, visits in grouped.items():
        histories.visits[card] = sorted(
            (Visit(day, tuple(services)) for day, services in visits.values()), key=lambda v: v.day
        )
    for card, hair, skin in Client.objects.filter(
        business=business, pk__in=list(grouped), erased_at__isnull=True
    ).values_list("pk", "hair_type", "skin_type"):
        histories.hair[card] = hair.strip().lower()
        histories.skin[card] = skin.strip().lower()
    return histories


def bookable_services(*, business) -> list[int]:
    return list(
        Service.objects.filter(business=business, is_active=True)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )


def baskets(
    *, business, now: datetime
) -> list[tuple[int, float, tuple[int, ...], tuple[int, ...]]]:
    """(card id, day, services of the visit, retail products bought at its checkout) for every
    checked-out visit before `now` that bought something."""
    bought: dict[int, list[int]] = defaultdict(list)
    for appointment, product in CheckoutLine.objects.filter(
        business=business,
        kind=CheckoutLine.Kind.PRODUCT,
        product__isnull=False,
        checkout__appointment__isnull=False,
        checkout__created_at__lte=now,
    ).values_list("checkout__appointment_id", "product_id"):
        bought[appointment].append(product)
    visits: dict[int, tuple[int, float, list[int]]] = {}
    for appointment, card, starts, service in AppointmentItem.objects.filter(
        business=business,
        appointment_id__in=list(bought),
        appointment__client_card__isnull=False,
    ).values_list(
        "appointment_id", "appointment__client_card_id", "appointment__starts_at", "service_id"
    ):
        visits.setdefault(appointment, (card, day_of(starts), []))[2].append(service)
    return [
        (card, day, tuple(services), tuple(bought[appointment]))
        for appointment, (card, day, services) in visits.items()
    ]


def retail_products(*, business) -> list[Product]:
    return list(
        Product.objects.filter(
            business=business, is_active=True, kind=Product.Kind.RETAIL
        ).order_by("name", "pk")
    )


def service_tags(*, business) -> dict[int, set[str]]:
    """Each service's tags: the words of its category and its parent category."""
    return {
        pk: tokens(slug or "") | tokens(parent or "")
        for pk, slug, parent in Service.objects.filter(business=business).values_list(
            "pk", "category__slug", "category__parent__slug"
        )
    }
