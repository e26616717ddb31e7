"""The salon's visit history as the churn and RFM code reads it: one query per kind
(visits, no-shows, reviews), grouped by client card, times as days since the epoch."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from solibook.booking.client_visits import VISIT_STATUSES
from solibook.booking.models import Appointment, Status
from solibook.retention.features import ClientHistory
from solibook.reviews.models import Review

DAY_SECONDS = 86400.0


def day_of(moment: datetime) -> float:
    return moment.timestamp() / DAY_SECONDS


def visit_history(*, business, now: datetime, clients=None) -> dict[int, ClientHistory]:
    """Card id → its completed visits (with their price), no-shows and review stars before
    `now`. `clients` (card ids or cards) narrows it; erased cards are left out."""
    visits = Appointment.objects.filter(
        business=business,
        client_card__isnull=False,
        client_card__erased_at__isnull=True,
        starts_at__lte=now,
    )
    reviews = Review.objects.filter(
        business=business,
        appointment__client_card__isnull=False,
        appointment__client_card__erased_at__isnull=True,
        appointment__starts_at__lte=now,
    )
    if clients is not None:
        ids = [getattr(c, "pk", c) for c in clients]
        visits = visits.filter(client_card_id__in=ids)
        reviews = reviews.filter(appointment__client_card_id__in=ids)
    found: dict[int, ClientHistory] = defaultdict(ClientHistory)
    rows = visits.filter(status__in=(*VISIT_STATUSES, Status.NO_SHOW)).order_by("starts_at", "id")
    for card, starts, status, price in rows.values_list(
        "client_card_id", "starts_at", "status", "price_amount"
    ):
        history = found[card]
        if status == Status.NO_SHOW:
            history.no_shows.append(day_of(starts))
        else:
            history.visits.append(day_of(starts))
            history.spend.append(price)
    for card, starts, rating in reviews.order_by("appointment__starts_at").values_list(
        "appointment__client_card_id", "appointment__starts_at", "rating"
    ):
        found[card].reviews.append((day_of(starts), rating))
    return dict(found)
