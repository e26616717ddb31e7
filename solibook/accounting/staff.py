"""What a master earned in a period: sales from finance's checkouts and
booking's completed visits, tips from the ledger, rules from accounting.

- Checked-out visits and sales: the checkout's service and product lines
  attributed to the master, net of discount and tax; a refunded checkout
  counts in proportion to what was kept.
- Completed visits not checked out (yet): the appointment item's booked
  price, less its share of the visit's discounts (promo code, off-peak),
  VAT taken out at the salon's service rate.
Both go through `pay.commission_base`: one base, net of VAT, after discounts.
- Tips: the master's credits to `tips_payable` in the ledger.

Dates are the local dates of the location where the work was done.
"""

from datetime import date

from django.db.models import Exists, OuterRef

from solibook.accounting import queries
from solibook.accounting.models import CommissionRule
from solibook.accounting.pay import Base, Pay, Rule, Sale, commission_base, compute_pay
from solibook.booking.models import AppointmentItem, Status
from solibook.catalog.models import Location
from solibook.core.time import local_day_bounds, to_local
from solibook.finance import taxes
from solibook.finance.models import Checkout, CheckoutLine
from solibook.finance.services.common import finance_settings
from solibook.offers.services import appointment_discounts


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


def line_base(line: CheckoutLine) -> Base:
    """A checked-out line's base (what the till stored as its net amount)."""
    return commission_base(
        price=line.unit_amount * line.quantity,
        discount=line.discount_amount,
        tax_rate=line.tax_rate,
        # Prepaid visits were paid tax-inclusive (as the till splits them).
        inclusive=line.checkout.prices_include_tax or line.client_package_id is not None,
    )


def _kept_base(base: Base, checkout: Checkout) -> Base:
    net = _kept(base.net, checkout)
    if net == base.net:
        return base
    return Base(
        price=base.price,
        discount=base.discount + (base.net - net),
        tax_rate=base.tax_rate,
        tax=base.tax,
        net=net,
        inclusive=base.inclusive,
    )


def sold_base(line: CheckoutLine) -> Base:
    """A checked-out line's base, less its share of the checkout's refunds."""
    return _kept_base(line_base(line), line.checkout)


def item_bases(items: list[AppointmentItem], *, business) -> dict[int, Base]:
    """Bases of booked items not checked out: each item's price less its share
    of its visit's discounts, VAT out at the salon's service rate."""
    settings_row = finance_settings(business)
    rate = taxes.service_rate(settings_row, business)
    by_visit: dict[int, list[AppointmentItem]] = {}
    for item in items:
        by_visit.setdefault(item.appointment_id, []).append(item)
    discounts = appointment_discounts(list(by_visit)) if by_visit else {}
    bases: dict[int, Base] = {}
    for visit_id, visit_items in by_visit.items():
        siblings = list(
            AppointmentItem.objects.filter(appointment_id=visit_id).order_by("position", "pk")
        )
        total = min(discounts.get(visit_id, 0), sum(i.price_amount for i in siblings))
        shares = dict(
            zip(
                [i.pk for i in siblings],
                taxes.allocate(total, [i.price_amount for i in siblings]),
                strict=True,
            )
        )
        for item in visit_items:
            bases[item.pk] = commission_base(
                price=item.price_amount,
                discount=shares.get(item.pk, 0),
                tax_rate=rate,
                inclusive=settings_row.prices_include_tax,
            )
    return bases


def not_checked_out(*, masters=None, location_id: int, since, until):
    """Items of completed visits at a location with no checkout (yet), by start."""
    items = AppointmentItem.objects.filter(
        appointment__status=Status.COMPLETED,
        appointment__location_id=location_id,
        starts_at__gte=since,
        starts_at__lt=until,
    )
    if masters is not None:
        items = items.filter(master__in=masters)
    return (
        items.annotate(
            checked_out=Exists(Checkout.objects.filter(appointment_id=OuterRef("appointment_id")))
        )
        .filter(checked_out=False)
        .select_related("service")
        .order_by("starts_at", "pk")
    )


def unrecorded_visits(
    *, business, start: date, end: date, location_id: int | None = None
) -> tuple[int, int]:
    """(visits, their value net of VAT after discounts) completed in the period
    and not checked out: work done that the ledger (so the P&L) has not seen."""
    visits: set[int] = set()
    total = 0
    locations = Location.objects.filter(business=business)
    if location_id is not None:
        locations = locations.filter(pk=location_id)
    for location in locations:
        first, last = (
            local_day_bounds(start, location.time_zone)[0],
            local_day_bounds(end, location.time_zone)[1],
        )
        items = list(not_checked_out(location_id=location.pk, since=first, until=last))
        bases = item_bases(items, business=business)
        visits.update(i.appointment_id for i in items)
        total += sum(b.net for b in bases.values())
    return len(visits), total


def sales_for(
    *, business, master, start: date, end: date, location_id: int | None = None
) -> list[Sale]:
    """The master's sales in [start, end] (local days), at every location or one."""
    sales: list[Sale] = []
    locations = Location.objects.filter(business=business)
    if location_id is not None:
        locations = locations.filter(pk=location_id)
    zones = {loc.pk: loc.time_zone for loc in locations}
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
            base = sold_base(line)
            sales.append(
                Sale(
                    kind="service" if line.kind == CheckoutLine.Kind.SERVICE else "product",
                    amount=base.net,
                    base=base,
                    day=to_local(line.checkout.created_at, zone).date(),
                    service_id=line.service_id,
                    label=line.description,
                    reference=line.checkout.number,
                    location_id=location_id,
                )
            )
        # Completed visits with no checkout: the booked price.
        items = list(
            not_checked_out(masters=[master], location_id=location_id, since=first, until=last)
        )
        bases = item_bases(items, business=business)
        for item in items:
            sales.append(
                Sale(
                    kind="service",
                    amount=bases[item.pk].net,
                    base=bases[item.pk],
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
