"""What a client card's appointments say: its totals (visits, spend, no-shows,
last and next visit), its history, totals annotated on lists and exports,
segments filtered by visits and spend, and the card behind an appointment.

Booking sits above clients (docs/architecture.md): these reads join client
cards to appointments, so they live here, and the clients pages and API call
them here. `clients` itself imports nothing from booking."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max, Q, QuerySet, Subquery, Sum

from solibook.booking.models import Appointment, Status
from solibook.clients.models import Client, Segment
from solibook.clients.selectors import active_clients, find_card

# Appointments that count as a visit for "last visit" (the client came).
VISIT_STATUSES = (Status.COMPLETED, Status.ARRIVED, Status.IN_PROGRESS)


@dataclass(frozen=True)
class ClientStats:
    visits: int
    total_spend: int
    no_shows: int
    cancellations: int
    last_visit: datetime | None
    next_visit: datetime | None


def client_stats(*, client: Client, now: datetime) -> ClientStats:
    """The card's totals: completed visits and their spend, no-shows,
    cancellations, the last visit before `now` and the next one after it."""
    rows = Appointment.objects.filter(client_card=client).aggregate(
        visits=Count("id", filter=Q(status=Status.COMPLETED)),
        spend=Sum("price_amount", filter=Q(status=Status.COMPLETED)),
        no_shows=Count("id", filter=Q(status=Status.NO_SHOW)),
        cancellations=Count("id", filter=Q(status=Status.CANCELLED)),
        last=Max("starts_at", filter=Q(status__in=VISIT_STATUSES, starts_at__lte=now)),
    )
    upcoming = (
        Appointment.objects.filter(
            client_card=client, status__in=(Status.CONFIRMED, Status.HOLD), starts_at__gt=now
        )
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return ClientStats(
        rows["visits"],
        rows["spend"] or 0,
        rows["no_shows"],
        rows["cancellations"],
        rows["last"],
        upcoming,
    )


def client_history(*, client: Client, limit: int = 100) -> list[Appointment]:
    """The card's appointments, newest first, with their location, services and masters."""
    return list(
        Appointment.objects.filter(client_card=client)
        .select_related("location")
        .prefetch_related("items__service", "items__master")
        .order_by("-starts_at")[:limit]
    )


def client_booked_with(*, client: Client, user) -> bool:
    """Whether the card has an appointment with the master who is `user`
    (a master sees the cards of the clients booked with them)."""
    return Appointment.objects.filter(client_card=client, items__master__user=user).exists()


def with_totals(query: QuerySet[Client]) -> QuerySet[Client]:
    """Annotate `visit_count`, `total_spend`, `no_show_count` and `last_visit`
    on client cards (for lists, segments and exports)."""
    done = Q(appointments__status=Status.COMPLETED)
    return query.annotate(
        visit_count=Count("appointments", filter=done, distinct=True),
        total_spend=Sum("appointments__price_amount", filter=done),
        no_show_count=Count(
            "appointments", filter=Q(appointments__status=Status.NO_SHOW), distinct=True
        ),
        last_visit=Max(
            "appointments__starts_at", filter=Q(appointments__status__in=VISIT_STATUSES)
        ),
    )


def segment_clients(
    *,
    business,
    segment: Segment | None = None,
    last_visit_before: date | None = None,
    spend_above: int | None = None,
    tag_id: int | None = None,
    service_id: int | None = None,
    birthday_month: int | None = None,
) -> QuerySet[Client]:
    """Clients matching every given filter (a saved segment, or ad-hoc values)."""
    if segment is not None:
        last_visit_before, spend_above, tag_id, service_id, birthday_month = (
            segment.last_visit_before,
            segment.spend_above,
            segment.tag_id,
            segment.service_id,
            segment.birthday_month,
        )
    query = active_clients(business=business)
    if tag_id:
        query = query.filter(tags__id=tag_id)
    if birthday_month:
        query = query.filter(birthday__month=birthday_month)
    if service_id:
        used = Appointment.objects.filter(
            business=business,
            status=Status.COMPLETED,
            items__service_id=service_id,
            client_card__isnull=False,
        ).values("client_card_id")
        query = query.filter(pk__in=Subquery(used))
    if spend_above is not None or last_visit_before is not None:
        # Totals per card in one grouped subquery (not joined into the list).
        totals = (
            Appointment.objects.filter(business=business, client_card__isnull=False)
            .values("client_card_id")
            .annotate(
                spend=Sum("price_amount", filter=Q(status=Status.COMPLETED)),
                last=Max("starts_at", filter=Q(status__in=VISIT_STATUSES)),
            )
        )
        if spend_above is not None:
            totals = totals.filter(spend__gt=spend_above)
        if last_visit_before is not None:
            totals = totals.filter(last__date__lt=last_visit_before)
        query = query.filter(pk__in=Subquery(totals.values("client_card_id")))
    return query.distinct().order_by("last_name", "first_name", "id")


def client_for_appointment(appointment: Appointment) -> Client | None:
    """The card behind an appointment: its `client_card` unless erased, else
    the card found by the appointment's user, phone or e-mail."""
    if appointment.client_card_id:
        return Client.objects.filter(pk=appointment.client_card_id, erased_at__isnull=True).first()
    return find_card(
        business=appointment.business,
        user=appointment.account,
        email=appointment.client_email,
        phone=appointment.client_phone,
    )
