"""Reads of billing: a business's plan and subscription, its invoices, the
platform's monthly recurring revenue, whether a business is read-only."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.billing.models import Charge, Invoice, Plan, Subscription
from solibook.billing.plans import DEFAULT_PLAN, DEFAULT_PLANS, SMS_PRICES


def plans() -> list[Plan]:
    """The plans on sale, cheapest first (the defaults, unsaved, when none are stored)."""
    rows = list(Plan.objects.filter(is_active=True))
    stored = set(Plan.objects.values_list("code", flat=True))
    missing = [Plan(code=c, **spec) for c, spec in DEFAULT_PLANS.items() if c not in stored]
    return sorted(rows + missing, key=lambda plan: (plan.position, plan.code))


def plan_named(code: str) -> Plan | None:
    row = Plan.objects.filter(code=code, is_active=True).first()
    if row is None and code in DEFAULT_PLANS and not Plan.objects.filter(code=code).exists():
        return Plan(code=code, **DEFAULT_PLANS[code])
    return row


def subscription_of(business) -> Subscription | None:
    with scopes_disabled():
        return Subscription.objects.select_related("plan").filter(business=business).first()


def plan_of(business) -> Plan:
    """The business's current plan (the free plan when it has no subscription):
    `commission_rate_bp`, `commission_rate_bp_for(category)`, limits, features."""
    subscription = subscription_of(business)
    if subscription is not None and subscription.status != Subscription.Status.CANCELLED:
        return subscription.plan
    return plan_named(DEFAULT_PLAN) or Plan(code=DEFAULT_PLAN, **DEFAULT_PLANS[DEFAULT_PLAN])


def has_feature(business, feature: str) -> bool:
    return feature in (plan_of(business).features or [])


def uninvoiced_charges(business) -> list[Charge]:
    with scopes_disabled():
        return list(Charge.objects.filter(business=business, invoice__isnull=True))


def charge_invoiced(*, business, source: str) -> bool:
    """Whether the charge of `source` is on an invoice (not a voided one)."""
    with scopes_disabled():
        return (
            Charge.objects.filter(business=business, source=source, invoice__isnull=False)
            .exclude(invoice__status=Invoice.Status.VOID)
            .exists()
        )


def invoices_of(business) -> list[Invoice]:
    with scopes_disabled():
        return list(Invoice.objects.filter(business=business).select_related("credit_note_of"))


def amount_due(invoice: Invoice) -> int:
    """What is left to pay: the total less its credit notes (never below zero)."""
    if invoice.kind != Invoice.Kind.INVOICE or invoice.status != Invoice.Status.OPEN:
        return 0
    with scopes_disabled():
        credited = (
            Invoice.objects.filter(credit_note_of=invoice).aggregate(s=Sum("total"))["s"] or 0
        )
    return max(invoice.total + credited, 0)


def grace_days() -> int:
    return int(getattr(settings, "BILLING_GRACE_DAYS", 7))


def read_only_after_days() -> int:
    return int(getattr(settings, "BILLING_READ_ONLY_AFTER_DAYS", 14))


@dataclass(frozen=True)
class Lock:
    business_id: int
    invoice_id: int
    number: str
    since: datetime


def overdue_lock(business, *, now: datetime | None = None) -> Lock | None:
    """The oldest unpaid invoice past due by more than the read-only delay, which
    turns the back office read-only (None: writes are allowed)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=read_only_after_days())
    with scopes_disabled():
        row = (
            Invoice.objects.filter(
                business_id=getattr(business, "pk", business),
                kind=Invoice.Kind.INVOICE,
                status=Invoice.Status.OPEN,
                due_at__lt=cutoff,
            )
            .order_by("due_at", "id")
            .values("business_id", "id", "number", "due_at")
            .first()
        )
    if row is None:
        return None
    since = row["due_at"] + timedelta(days=read_only_after_days())
    return Lock(row["business_id"], row["id"], row["number"], since)


@dataclass(frozen=True)
class Revenue:
    currency: str
    mrr: int
    subscriptions: int


def monthly_recurring_revenue() -> list[Revenue]:
    """Per currency: the monthly price of every paying subscription (trials excluded)."""
    totals: dict[str, list[int]] = {}
    with scopes_disabled():
        rows = Subscription.objects.filter(status=Subscription.Status.ACTIVE).select_related("plan")
        for row in rows:
            price = row.plan.price_in(row.currency) or 0
            if price:
                entry = totals.setdefault(row.currency, [0, 0])
                entry[0] += price
                entry[1] += 1
    return [Revenue(c, v[0], v[1]) for c, v in sorted(totals.items())]


def subscriptions_by_plan() -> dict[str, int]:
    with scopes_disabled():
        return dict(
            Subscription.objects.exclude(status=Subscription.Status.CANCELLED)
            .values_list("plan__code")
            .annotate(n=Count("id"))
            .values_list("plan__code", "n")
        )


def invoices_for_platform(*, status: str = "") -> list[Invoice]:
    with scopes_disabled():
        rows = Invoice.objects.select_related("business")
        if status:
            rows = rows.filter(status=status)
        return list(rows[:500])


def overdue_lock_by(*, slug: str | None = None, business_id=None) -> Lock | None:
    """`overdue_lock` for the business of an office slug or an API id (None when unknown)."""
    from solibook.catalog.models import Business

    if business_id is None:
        business_id = Business.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if business_id is None:
            return None
    return overdue_lock(business_id)


def sms_price(currency: str) -> int:
    """One SMS beyond the plan's credits, in minor units of `currency` (0: not sold in it)."""
    prices = getattr(settings, "BILLING_SMS_PRICES", None) or SMS_PRICES
    return int(prices.get((currency or "").upper(), 0))


@dataclass(frozen=True)
class SmsUsage:
    month: date
    sent: int  # SMS sent this month (UTC)
    included: int  # the plan's credits
    charged: int  # sent beyond the credits
    amount: int  # what they cost
    currency: str

    @property
    def left(self) -> int:
        return max(self.included - self.sent, 0)


def sms_usage(business, *, now: datetime | None = None) -> SmsUsage:
    """The month's SMS sent for the salon against its plan's credits."""
    now = now or timezone.now()
    start = datetime.combine(now.date().replace(day=1), time.min, tzinfo=UTC)
    end = (start + timedelta(days=32)).replace(day=1)
    subscription = subscription_of(business)
    currency = subscription.currency if subscription else business.currency
    with scopes_disabled():
        rows = Charge.objects.filter(
            business=business,
            kind="sms",
            source__startswith="sms:",
            created_at__gte=start,
            created_at__lt=end,
        ).aggregate(sent=Count("id"), charged=Count("id", filter=Q(amount__gt=0)), s=Sum("amount"))
    return SmsUsage(
        month=start.date(),
        sent=rows["sent"] or 0,
        included=plan_of(business).sms_credits_month,
        charged=rows["charged"] or 0,
        amount=rows["s"] or 0,
        currency=currency,
    )
