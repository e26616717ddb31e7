"""What a master earned in a period: sales from finance's checkouts and
booking's completed visits, tips from the ledger, rules from accounting.

- Checked-out visits and sales: the checkout's service and product lines
  attributed to the master, net of discount and tax; a refunded checkout
  counts in proportion to what was kept.
- Completed visits not checked out (yet): the appointment item's price.
- Tips: the master's credits to `tips_payable` in the ledger.

Dates are the local dates of the location where the work was done.
"""

from datetime import date

from django.db.models import Exists, OuterRef

from solibook.accounting import queries
from solibook.accounting.models import CommissionRule
from solibook.accounting.pay import Pay, Rule, Sale, compute_pay
from solibook.booking.models import AppointmentItem, Status
from solibook.catalog.models import Location
from solibook.core.time import local_day_bounds, to_local
from solibook.finance.models import Checkout, CheckoutLine


def rules_for(*, master, start: date, end: date) -> list[Rule]:
    rows = CommissionRule.objects.filter(master=master, valid_from__lte=end).exclude(
        valid_until__lt=start
    )
    return [
        Rule(
            kind=r.kind,
            valid_from=r.valid_from,
            valid_until=r.valid_until,
            rate_bp=r.rate_bp,
            amount=r.amount,
            service_id=r.service_id,
            id=r.pk,
        )
        for r in rows
    ]


def _kept(amount: int, checkout: Checkout) -> int:
    if not checkout.refunded_total or not checkout.total:
        return amount
    kept = checkout.total - checkout.refunded_total
    return (
        (amount * kept + checkout.total // 2) // checkout.total
        if amount >= 0
        else -((-amount * kept + checkout.total // 2) // checkout.total)
    )


def sales_for(*, business, master, start: date, end: date) -> list[Sale]:
    sales: list[Sale] = []
    zones = {loc.pk: loc.time_zone for loc in Location.objects.filter(business=business)}
    for location_id, zone in zones.items():
        first, last = local_day_bounds(start, zone)[0], local_day_bounds(end, zone)[1]
        lines = (
            CheckoutLine.objects.filter(
                master=master,
                kind__in=(CheckoutLine.Kind.SERVICE, CheckoutLine.Kind.PRODUCT),
                checkout__location_id=location_id,
                checkout__currency=business.currency,
                checkout__created_at__gte=first,
                checkout__created_at__lt=last,
            )
            .select_related("checkout")
            .order_by("checkout__created_at", "checkout_id", "position")
        )
        for line in lines:
            sales.append(
                Sale(
                    kind="service" if line.kind == CheckoutLine.Kind.SERVICE else "product",
                    amount=_kept(line.net_amount, line.checkout),
                    day=to_local(line.checkout.created_at, zone).date(),
                    service_id=line.service_id,
                    label=line.description,
                    reference=line.checkout.number,
                    location_id=location_id,
                )
            )
        # Completed visits with no checkout: the booked price.
        items = (
            AppointmentItem.objects.filter(
                master=master,
                appointment__status=Status.COMPLETED,
                appointment__location_id=location_id,
                starts_at__gte=first,
                starts_at__lt=last,
            )
            .annotate(
                checked_out=Exists(
                    Checkout.objects.filter(appointment_id=OuterRef("appointment_id"))
                )
            )
            .filter(checked_out=False)
            .select_related("service")
            .order_by("starts_at", "pk")
        )
        for item in items:
            sales.append(
                Sale(
                    kind="service",
                    amount=item.price_amount,
                    day=to_local(item.starts_at, zone).date(),
                    service_id=item.service_id,
                    label=item.service.name,
                    reference=f"appointment:{item.appointment_id}",
                    location_id=location_id,
                )
            )
    sales.sort(key=lambda s: (s.day, s.reference))
    return sales


def pay_for(*, business, master, start: date, end: date) -> Pay:
    return compute_pay(
        rules=rules_for(master=master, start=start, end=end),
        sales=sales_for(business=business, master=master, start=start, end=end),
        start=start,
        end=end,
        tips=queries.tips_by_location(
            business=business, master=master, currency=business.currency, start=start, end=end
        ),
    )
