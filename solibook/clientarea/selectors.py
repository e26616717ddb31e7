"""Reads for the client's pages: a salon's bookable menu, the client's visits."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking.kernel import plan_segments
from solibook.booking.models import Appointment, Status
from solibook.catalog.models import Master, MasterService, Service, ServiceStep
from solibook.clientarea.models import Favourite
from solibook.core.tenancy import business_scope
from solibook.finance import selectors as finance_selectors
from solibook.finance.models import Payment as FinancePayment
from solibook.offers.services import appointment_discounts
from solibook.reviews.models import Review


@dataclass
class MenuService:
    """A service as the wizard offers it. Price and duration depend on the
    master (own price, own pace): `prices` and `durations` hold each master's,
    computed as the booking engine does, so what the menu says is what a slot
    with that master costs and lasts. `price_amount` / `duration_minutes` are
    the least over the masters, `price_max` / `duration_max` the most."""

    id: int
    name: str
    category: str
    price_amount: int
    price_is_from: bool
    currency: str
    duration_minutes: int
    master_ids: list[int]
    prices: dict[int, int] = field(default_factory=dict)
    durations: dict[int, int] = field(default_factory=dict)
    price_max: int = 0
    duration_max: int = 0

    @property
    def price_varies(self) -> bool:
        return self.price_max > self.price_amount

    @property
    def duration_varies(self) -> bool:
        return self.duration_max > self.duration_minutes

    def price_for(self, master_id: int | None) -> int:
        """The master's price, or the least of them for "any master"."""
        return self.prices.get(master_id, self.price_amount) if master_id else self.price_amount

    def duration_for(self, master_id: int | None) -> int:
        if master_id:
            return self.durations.get(master_id, self.duration_minutes)
        return self.duration_minutes


def _menu_service(service: Service, steps: list, links: list[tuple[int, int | None, int]]):
    """One menu entry: each linked master's price and client duration (steps,
    the master's own pace; buffers are the master's, not the client's time)."""
    prices, durations = {}, {}
    for master_id, own_price, delta in links:
        prices[master_id] = own_price if own_price is not None else service.price_amount
        durations[master_id] = (
            plan_segments(
                steps,
                buffer_before=service.buffer_before_minutes,
                buffer_after=service.buffer_after_minutes,
                delta=delta,
            )[1]
            if steps
            else 0
        )
    low = min(prices.values(), default=service.price_amount)
    return MenuService(
        id=service.pk,
        name=service.name,
        category=service.category.name,
        price_amount=low,
        price_is_from=service.price_is_from,
        currency=service.currency,
        duration_minutes=min(durations.values(), default=0),
        master_ids=[m for m, _p, _d in links],
        prices=prices,
        durations=durations,
        price_max=max(prices.values(), default=low),
        duration_max=max(durations.values(), default=0),
    )


def bookable_menu(*, business, location) -> tuple[list[MenuService], list[Master]]:
    """Services bookable online at the location, priced and timed per master,
    and the masters there."""
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
        steps: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        for service_id, minutes, busy in (
            ServiceStep.objects.filter(service__in=services, variant__isnull=True)
            .order_by("position", "id")
            .values_list("service_id", "duration_minutes", "master_busy")
        ):
            steps[service_id].append((minutes, busy))
        links: dict[int, list[tuple[int, int | None, int]]] = defaultdict(list)
        for service_id, master_id, price, delta in (
            MasterService.objects.filter(service__in=services, master_id__in=master_ids)
            .order_by("master__position", "master_id")
            .values_list("service_id", "master_id", "price_amount", "duration_delta_minutes")
        ):
            links[service_id].append((master_id, price, delta))
    menu = [_menu_service(s, steps[s.pk], links[s.pk]) for s in services]
    return menu, masters


def client_visits(user, *, now=None) -> tuple[list[Appointment], list[Appointment]]:
    """(upcoming, past) visits of the client across salons, with their reviews."""
    now = now or timezone.now()
    with scopes_disabled():
        visits = list(
            Appointment.objects.filter(account=user)
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
    discounts = appointment_discounts(v.pk for v in visits)
    upcoming, past = [], []
    for visit in visits:
        # What the visit costs the client: its price less the off-peak and
        # promo discounts it got, as the wizard's total said.
        visit.total_amount = max(0, visit.price_amount - discounts.get(visit.pk, 0))
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
