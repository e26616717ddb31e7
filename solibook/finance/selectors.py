"""Reads of the finance app that need more than one line."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Sum
from django.utils.translation import gettext as _

from solibook.booking.models import Appointment, Status
from solibook.catalog.models import Category
from solibook.core.time import to_local
from solibook.finance import accounts
from solibook.finance.models import Payment
from solibook.finance.payments import provider_for
from solibook.finance.services.common import finance_settings
from solibook.finance.tenders import tender_kinds
from solibook.offers.models import Redemption

ONLINE_PURPOSES = (Payment.Purpose.DEPOSIT, Payment.Purpose.BALANCE)


@dataclass(frozen=True)
class AmountDue:
    """What a client may pay online for a visit, and what the page says about it.

    `purpose`: "deposit" (the visit is held until it is paid), "balance" (the
    rest of the price, optional) or "" (nothing to pay online)."""

    purpose: str
    amount: int
    currency: str
    total: int  # the visit's price after its discounts
    paid: int  # already paid or authorised online
    online: bool  # the salon takes payments online
    test_mode: bool  # … with the test-mode provider (no real money)
    policy: dict  # the cancellation policy the client accepted

    @property
    def is_full_price(self) -> bool:
        return self.amount + self.paid >= self.total


def visit_total(appointment: Appointment) -> int:
    """The price after the off-peak and promo discounts kept with the visit."""
    discounts = (
        Redemption.objects.filter(appointment=appointment, is_active=True).aggregate(
            total=Sum("discount_amount")
        )["total"]
        or 0
    )
    return max(0, appointment.price_amount - discounts)


def paid_online(appointment: Appointment) -> int:
    payments = Payment.objects.filter(
        business_id=appointment.business_id, appointment=appointment, purpose__in=ONLINE_PURPOSES
    )
    total = 0
    for payment in payments:
        if payment.state == Payment.State.AUTHORIZED:
            total += payment.amount
        elif payment.state == Payment.State.CAPTURED:
            total += payment.amount_captured - payment.amount_refunded
    return total


def amount_due(*, appointment: Appointment) -> AmountDue:
    """Run inside the appointment's business scope."""
    provider = provider_for(finance_settings(appointment.business))
    total = visit_total(appointment)
    paid = paid_online(appointment)
    purpose, amount = "", 0
    if appointment.status == Status.AWAITING_DEPOSIT and appointment.deposit_amount:
        purpose, amount = "deposit", min(appointment.deposit_amount, total) or 0
    elif appointment.status == Status.CONFIRMED and total > paid:
        purpose, amount = "balance", total - paid
    return AmountDue(
        purpose=purpose,
        amount=amount,
        currency=appointment.currency,
        total=total,
        paid=paid,
        online=provider.online,
        test_mode=getattr(provider, "test_mode", False),
        policy=appointment.policy or {},
    )


def open_online_payment(*, appointment: Appointment, purpose: str) -> Payment | None:
    """The client's payment of this kind still under way or done (the newest)."""
    payments = Payment.objects.filter(
        business_id=appointment.business_id,
        appointment=appointment,
        purpose=purpose,
        state__in=[Payment.State.PENDING, Payment.State.AUTHORIZED, Payment.State.CAPTURED],
    )
    if purpose == Payment.Purpose.BALANCE:
        # Part of the balance prepaid by another tender (an employer's wellness budget,
        # `prepayment_record`) is not this payment: the rest is still paid online.
        payments = payments.filter(tender="online")
    return payments.order_by("-created_at", "-id").first()


# --- the till's list of visits -------------------------------------------------------

TILL_STATUSES = (Status.CONFIRMED, Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED)


@dataclass(frozen=True)
class TillVisits:
    today: list  # started or starting today in the visit's location zone, in time order
    upcoming: list  # the next days, soonest first
    earlier: list  # the last days, not yet checked out, newest first


def till_visits(*, now, upcoming_days: int = 14, earlier_days: int = 3, limit: int = 20):
    """The visits the till can check out (run inside the business's scope):
    today's first (due now, in time order, "today" in each location's own zone),
    then the next ones, never the furthest in the future; the last days' visits
    still not checked out come last."""
    rows = (
        Appointment.objects.filter(
            status__in=TILL_STATUSES,
            checkouts__isnull=True,
            starts_at__gte=now - timedelta(days=earlier_days + 1),
            starts_at__lt=now + timedelta(days=upcoming_days + 1),
        )
        .select_related("location")
        .prefetch_related("items__service", "items__master")
        .order_by("starts_at", "id")
    )
    today, upcoming, earlier = [], [], []
    for visit in rows:
        zone = visit.location.time_zone
        local_today = to_local(now, zone).date()
        day = to_local(visit.starts_at, zone).date()
        if day == local_today:
            today.append(visit)
        elif day > local_today:
            upcoming.append(visit)
        else:
            earlier.append(visit)
    return TillVisits(today=today[:limit], upcoming=upcoming[:limit], earlier=earlier[::-1][:limit])


def tender_label(code: str) -> str:
    """A way of paying as people read it ("Card", "Gift card"), never its code."""
    for kind in tender_kinds():
        if kind.code == code:
            return str(kind.label)
    return _("Other")


def account_labels(codes) -> dict[str, str]:
    """Each ledger account's name as people read it: the fixed accounts' labels and
    `revenue:<category>` as "Services: <the category's name>". An expense category's
    own name is accounting's (it adds them); its code's slug stands in here."""
    fixed = accounts.fixed_labels()
    slugs = [
        code[len(accounts.REVENUE_PREFIX) :]
        for code in codes
        if code.startswith(accounts.REVENUE_PREFIX)
    ]
    categories = {c.slug: c.name for c in Category.objects.filter(slug__in=slugs)}
    labels = {}
    for code in codes:
        if code in fixed:
            labels[code] = fixed[code]
        elif code.startswith(accounts.REVENUE_PREFIX):
            slug = code[len(accounts.REVENUE_PREFIX) :]
            labels[code] = _("Services: %(category)s") % {"category": categories.get(slug, slug)}
        elif code.startswith(accounts.EXPENSES_PREFIX):
            name = code[len(accounts.EXPENSES_PREFIX) :].replace("_", " ").replace("-", " ")
            labels[code] = _("Expenses: %(category)s") % {"category": name}
        else:
            labels[code] = code
    return labels
