"""The operator's reads across every salon: salons with their health, and the
platform's figures. Each is a deliberate cross-tenant read (`scopes_disabled`)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.billing.labels import plan_name
from solibook.billing.models import Charge, ChargeKind, Subscription
from solibook.billing.selectors import monthly_recurring_revenue
from solibook.booking.models import Appointment, Source, Status
from solibook.catalog.models import Approval, Business, Location
from solibook.core.models import AuditEvent
from solibook.marketplace.models import Promotion
from solibook.reviews.models import Review

HEALTH_DAYS = 30
COMPLAINT_RATING = 2  # a review of 1 or 2 stars counts as a complaint

BOOKED = (Status.CONFIRMED, Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED, Status.NO_SHOW)


@dataclass
class Health:
    bookings: int = 0
    cancellations: int = 0
    complaints: int = 0

    @property
    def cancellation_rate(self) -> int:
        """Cancelled out of everything booked, in percent (rounded)."""
        total = self.bookings + self.cancellations
        return round(100 * self.cancellations / total) if total else 0


def salons_health(business_ids: list[int], *, now: datetime | None = None) -> dict[int, Health]:
    """Bookings, cancellations (last 30 days, by creation) and complaints
    (reviews of 1-2 stars, last 90 days) per salon, in two queries."""
    now = now or timezone.now()
    since = now - timedelta(days=HEALTH_DAYS)
    health: dict[int, Health] = defaultdict(Health)
    with scopes_disabled():
        rows = (
            Appointment.objects.filter(business_id__in=business_ids, created_at__gte=since)
            .values("business_id")
            .annotate(
                booked=Count("id", filter=Q(status__in=BOOKED)),
                cancelled=Count("id", filter=Q(status=Status.CANCELLED)),
            )
        )
        for row in rows:
            health[row["business_id"]].bookings = row["booked"]
            health[row["business_id"]].cancellations = row["cancelled"]
        complaints = (
            Review.objects.filter(
                business_id__in=business_ids,
                rating__lte=COMPLAINT_RATING,
                created_at__gte=now - timedelta(days=90),
            )
            .values("business_id")
            .annotate(n=Count("id"))
        )
        for row in complaints:
            health[row["business_id"]].complaints = row["n"]
    return {pk: health[pk] for pk in business_ids}


def salons(*, status: str = "", query: str = "", limit: int = 200) -> list[Business]:
    """Salons for the console, those waiting for approval first; each carries
    `.health` and `.city`."""
    with scopes_disabled():
        rows = Business.objects.all()
        if status in Approval.values:
            rows = rows.filter(approval_status=status)
        if query:
            rows = rows.filter(Q(name__icontains=query) | Q(slug__icontains=query))
        rows = list(
            rows.annotate(waiting=Count("id", filter=Q(approval_status=Approval.PENDING))).order_by(
                "-waiting", "-submitted_at", "-created_at"
            )[:limit]
        )
        cities = dict(
            Location.objects.filter(business_id__in=[b.pk for b in rows])
            .order_by("business_id", "-pk")
            .values_list("business_id", "city")
        )
    health = salons_health([b.pk for b in rows])
    plans = plan_labels([b.pk for b in rows])
    for business in rows:
        business.health = health[business.pk]
        business.city = cities.get(business.pk, "")
        business.plan_label = plans.get(business.pk, "")
    return rows


def salon(business_id: int) -> Business | None:
    with scopes_disabled():
        business = Business.objects.filter(pk=business_id).first()
    if business is not None:
        business.health = salons_health([business.pk])[business.pk]
        business.plan_label = plan_labels([business.pk]).get(business.pk, "")
    return business


def salon_locations(business: Business) -> list[Location]:
    with scopes_disabled():
        return list(Location.objects.filter(business=business).order_by("pk"))


def months_back(today: date, count: int) -> list[date]:
    """The first days of the last `count` months, oldest first, this month last."""
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(months))


@dataclass
class Figures:
    months: list[date]
    currency: str
    bookings: list[int] = field(default_factory=list)  # visits booked, per month
    marketplace_bookings: list[int] = field(default_factory=list)
    gross: list[int] = field(default_factory=list)  # completed visits' value, minor units
    platform_revenue: list[int] = field(default_factory=list)  # commissions + promotion
    salons_joined: list[int] = field(default_factory=list)
    salons_lost: list[int] = field(default_factory=list)
    mrr: int = 0
    paying_salons: int = 0

    @property
    def take_rate(self) -> list[float]:
        """Platform revenue from bookings over gross booking value, in percent."""
        return [
            round(100 * r / g, 1) if g else 0.0
            for r, g in zip(self.platform_revenue, self.gross, strict=True)
        ]

    @property
    def totals(self) -> dict:
        gross, revenue = sum(self.gross), sum(self.platform_revenue)
        return {
            "bookings": sum(self.bookings),
            "gross": gross,
            "revenue": revenue,
            "take_rate": round(100 * revenue / gross, 1) if gross else 0.0,
            "salons_lost": sum(self.salons_lost),
        }


def _month_index(months: list[date]) -> dict[date, int]:
    return {m: i for i, m in enumerate(months)}


def _month_of(value) -> date:
    return (value.date() if isinstance(value, datetime) else value).replace(day=1)


def platform_figures(
    *,
    currency: str,
    months: int = 12,
    now: datetime | None = None,
    revenue_by_month=None,
    lost_by_month=None,
    mrr: tuple[int, int] = (0, 0),
) -> Figures:
    """Per month (UTC), in one currency: visits booked (by start), of them from
    the marketplace, the value of completed visits, the platform's booking
    revenue (`revenue_by_month`: {month: minor units}, from billing's
    commission and promotion charges), salons that joined (approved) and that
    were lost (`lost_by_month`: {month: count}, billing's cancelled
    subscriptions), and the current MRR."""
    now = now or timezone.now()
    month_list = months_back(now.date(), months)
    index = _month_index(month_list)
    start = datetime.combine(month_list[0], datetime.min.time(), tzinfo=UTC)
    figures = Figures(months=month_list, currency=currency)
    size = len(month_list)
    figures.bookings = [0] * size
    figures.marketplace_bookings = [0] * size
    figures.gross = [0] * size
    figures.platform_revenue = [0] * size
    figures.salons_joined = [0] * size
    figures.salons_lost = [0] * size
    with scopes_disabled():
        rows = (
            Appointment.objects.filter(starts_at__gte=start, currency=currency, status__in=BOOKED)
            .annotate(month=TruncMonth("starts_at", tzinfo=UTC))
            .values("month")
            .annotate(
                n=Count("id"),
                market=Count("id", filter=Q(source=Source.MARKETPLACE)),
                gross=Sum("price_amount", filter=Q(status=Status.COMPLETED)),
            )
        )
        for row in rows:
            i = index.get(_month_of(row["month"]))
            if i is not None:
                figures.bookings[i] = row["n"]
                figures.marketplace_bookings[i] = row["market"]
                figures.gross[i] = row["gross"] or 0
        joined = (
            Business.objects.filter(approved_at__gte=start, currency=currency)
            .annotate(month=TruncMonth("approved_at", tzinfo=UTC))
            .values("month")
            .annotate(n=Count("id"))
        )
        for row in joined:
            i = index.get(_month_of(row["month"]))
            if i is not None:
                figures.salons_joined[i] = row["n"]
    for month, amount in (revenue_by_month or {}).items():
        i = index.get(_month_of(month))
        if i is not None:
            figures.platform_revenue[i] += amount
    for month, count in (lost_by_month or {}).items():
        i = index.get(_month_of(month))
        if i is not None:
            figures.salons_lost[i] += count
    figures.mrr, figures.paying_salons = mrr
    return figures


def figure_currencies() -> list[str]:
    """The currencies salons work in, the most common first."""
    with scopes_disabled():
        rows = (
            Business.objects.values("currency").annotate(n=Count("id")).order_by("-n", "currency")
        )
        return [r["currency"] for r in rows] or ["EUR"]


def booking_revenue_by_month(*, currency: str, since: date) -> dict[date, int]:
    """The platform's revenue from bookings per month (UTC): commission and
    promotion charges to salons, net of their reversals (billing.Charge)."""
    with scopes_disabled():
        rows = (
            Charge.objects.filter(
                kind__in=(ChargeKind.COMMISSION, ChargeKind.PROMOTION),
                currency=currency,
                created_at__gte=datetime.combine(since, datetime.min.time(), tzinfo=UTC),
            )
            .annotate(month=TruncMonth("created_at", tzinfo=UTC))
            .values("month")
            .annotate(total=Sum("amount"))
        )
        return {_month_of(r["month"]): int(r["total"] or 0) for r in rows}


def salons_lost_by_month(*, currency: str, since: date) -> dict[date, int]:
    """Salons whose subscription was cancelled, per month (UTC)."""
    with scopes_disabled():
        rows = (
            Subscription.objects.filter(
                status=Subscription.Status.CANCELLED,
                currency=currency,
                updated_at__gte=datetime.combine(since, datetime.min.time(), tzinfo=UTC),
            )
            .annotate(month=TruncMonth("updated_at", tzinfo=UTC))
            .values("month")
            .annotate(n=Count("id"))
        )
        return {_month_of(r["month"]): r["n"] for r in rows}


def figures(*, currency: str, months: int = 12, now: datetime | None = None) -> Figures:
    """The console's figures: bookings here, revenue, lost salons and MRR from billing."""
    now = now or timezone.now()
    since = months_back(now.date(), months)[0]
    mrr = next(
        ((r.mrr, r.subscriptions) for r in monthly_recurring_revenue() if r.currency == currency),
        (0, 0),
    )
    return platform_figures(
        currency=currency,
        months=months,
        now=now,
        revenue_by_month=booking_revenue_by_month(currency=currency, since=since),
        lost_by_month=salons_lost_by_month(currency=currency, since=since),
        mrr=mrr,
    )


def plan_labels(business_ids: list[int]) -> dict[int, str]:
    """Each salon's plan, as people read it (no subscription: the default plan)."""
    with scopes_disabled():
        rows = Subscription.objects.filter(business_id__in=business_ids).select_related("plan")
        labels = {
            s.business_id: (
                plan_name(s.plan.code)
                if s.status != Subscription.Status.CANCELLED
                else f"{plan_name(s.plan.code)} ({Subscription.Status.CANCELLED.label})"
            )
            for s in rows
        }
    return labels


def promotion_inventory(*, today: date, limit: int = 500) -> list[Promotion]:
    """Every promoted placement, latest first, with its totals (impressions,
    clicks, bookings, spend) and whether it runs today."""
    with scopes_disabled():
        rows = list(
            Promotion.objects.select_related("business", "category")
            .annotate(
                impressions=Sum("days__impressions"),
                clicks=Sum("days__clicks"),
                bookings=Sum("days__bookings"),
                spend=Sum("days__spent"),
            )
            .order_by("-ends_on", "-pk")[:limit]
        )
    for row in rows:
        row.current = row.is_active and row.starts_on <= today <= row.ends_on
        row.impressions, row.clicks = row.impressions or 0, row.clicks or 0
        row.bookings, row.spend = row.bookings or 0, row.spend or 0
        row.money = row.currency or row.business.currency
    return rows


@dataclass
class SupportAccess:
    until: datetime | None
    open: bool
    requests: list  # AuditEvent rows: support asked, with its reason
    visits: list  # AuditEvent rows: support entered, read, left


def support_access_of(business: Business, *, now: datetime | None = None) -> SupportAccess:
    """The salon's consent to platform support, what support asked and did (latest first)."""
    now = now or timezone.now()
    until = business.support_access_until
    events = AuditEvent.objects.filter(business=business).select_related("actor")
    return SupportAccess(
        until=until,
        open=bool(until and until > now),
        requests=list(
            events.filter(action="platform.support_access_request").order_by("-created_at", "-id")[
                :20
            ]
        ),
        visits=list(
            events.filter(action__startswith="platform.impersonat").order_by("-created_at", "-id")[
                :50
            ]
        ),
    )
