"""Reads for the client's pages: a salon's bookable menu, the client's visits."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, Status
from solibook.catalog.models import Master, Service, ServiceStep
from solibook.clientarea.models import Favourite
from solibook.core.tenancy import business_scope
from solibook.finance import selectors as finance_selectors
from solibook.finance.models import Payment as FinancePayment
from solibook.reviews.models import Review


@dataclass
class MenuService:
    id: int
    name: str
    category: str
    price_amount: int
    price_is_from: bool
    currency: str
    duration_minutes: int
    master_ids: list[int]


def bookable_menu(*, business, location) -> tuple[list[MenuService], list[Master]]:
    """Services bookable online at the location, with durations, and the masters there."""
    with scopes_disabled():
        masters = list(
            Master.objects.filter(business=business, is_active=True, locations=location)
            .order_by("position", "display_name")
            .distinct()
        )
        master_ids = {m.pk for m in masters}
        services = list(
            Service.objects.filter(
                business=business, is_active=True, bookable_online=True, masters__in=master_ids
            )
            .select_related("category")
            .distinct()
            .order_by("position", "name")
        )
        durations: dict[int, int] = defaultdict(int)
        for service_id, minutes in ServiceStep.objects.filter(
            service__in=services, variant__isnull=True
        ).values_list("service_id", "duration_minutes"):
            durations[service_id] += minutes
        links: dict[int, list[int]] = defaultdict(list)
        for service_id, master_id in Service.masters.through.objects.filter(
            service__in=services, master_id__in=master_ids
        ).values_list("service_id", "master_id"):
            links[service_id].append(master_id)
    menu = [
        MenuService(
            id=s.pk,
            name=s.name,
            category=s.category.name,
            price_amount=s.price_amount,
            price_is_from=s.price_is_from,
            currency=s.currency,
            duration_minutes=durations[s.pk],
            master_ids=links[s.pk],
        )
        for s in services
    ]
    return menu, masters


def client_visits(user, *, now=None) -> tuple[list[Appointment], list[Appointment]]:
    """(upcoming, past) visits of the client across salons, with their reviews."""
    now = now or timezone.now()
    with scopes_disabled():
        visits = list(
            Appointment.objects.filter(client=user)
            .exclude(status=Status.EXPIRED)
            .select_related("business", "location")
            .prefetch_related("items__service", "items__master")
            .order_by("starts_at", "id")
        )
        reviewed = set(
            Review.objects.filter(appointment__in=[v.pk for v in visits]).values_list(
                "appointment_id", flat=True
            )
        )
    upcoming, past = [], []
    for visit in visits:
        visit.has_review = visit.pk in reviewed
        visit.can_review = visit.status == Status.COMPLETED and not visit.has_review
        visit.is_open = visit.status in (Status.HOLD, Status.CONFIRMED) and visit.starts_at > now
        (
            upcoming
            if visit.ends_at > now
            and visit.status not in (Status.CANCELLED, Status.NO_SHOW, Status.COMPLETED)
            else past
        ).append(visit)
    past.reverse()
    return upcoming, past


def client_favourites(user) -> list[Favourite]:
    with scopes_disabled():
        return list(
            Favourite.objects.filter(user=user)
            .filter(Q(business__is_listed=True) | Q(master__business__is_listed=True))
            .select_related("business", "master__business")
        )


@dataclass(frozen=True)
class PaymentState:
    """What a visit's pages say about paying online."""

    due: object  # finance.selectors.AmountDue
    paid_amount: int  # paid or authorised online
    late: str  # "kept": paid after the hold ran out and the time was still free


def visit_payment_state(appointment: Appointment) -> PaymentState:
    with business_scope(appointment.business):
        due = finance_selectors.amount_due(appointment=appointment)
        latest = (
            FinancePayment.objects.filter(business=appointment.business, appointment=appointment)
            .filter(detail__has_key="late")
            .order_by("-id")
            .first()
        )
    return PaymentState(
        due=due, paid_amount=due.paid, late=latest.detail.get("late", "") if latest else ""
    )
