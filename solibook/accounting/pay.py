"""Commission arithmetic: pure functions, no ORM, no clock.

Commission is computed on one base everywhere: `commission_base` (the price
after its discount, VAT taken out; tips are separate). A checked-out line and
a completed visit not checked out yet both go through it, so a €65 service
earns the same commission whichever way it was recorded.

`compute_pay` takes a master's rules, the sales attributed to the master in
a period (service items and retail products, each with its `Base`) and the tips the ledger holds for the master (per location), and returns the
statement's figures with one detail line per sale. Amounts are integer minor
units; a percentage is in basis points and rounds half away from zero per
sale line, so a statement can be re-added by hand from its lines.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from solibook.finance import taxes

SERVICE_PERCENT = "service_percent"
PRODUCT_PERCENT = "product_percent"
FIXED_PER_SERVICE = "fixed_per_service"
FIXED_PER_PERIOD = "fixed_per_period"


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    valid_from: date
    valid_until: date | None = None
    rate_bp: int = 0
    amount: int = 0
    service_id: int | None = None
    id: int | None = None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True, slots=True)
class Base:
    """How a sale's commission base was reached, for the statement's line."""

    price: int  # before discount, as the salon enters prices (VAT in or out)
    discount: int
    tax_rate: int  # basis points
    tax: int
    net: int  # the commission base
    inclusive: bool

    def as_dict(self) -> dict:
        return {
            "price": self.price,
            "discount": self.discount,
            "tax_rate": self.tax_rate,
            "tax": self.tax,
            "net": self.net,
            "inclusive": self.inclusive,
        }


def commission_base(*, price: int, discount: int, tax_rate: int, inclusive: bool) -> Base:
    """THE commission base: `price` minus `discount`, VAT (at `tax_rate`) taken
    out when prices include it. Every sale a master is paid on goes through here."""
    net, tax, _gross = taxes.split(price - discount, tax_rate, inclusive=inclusive)
    return Base(
        price=price, discount=discount, tax_rate=tax_rate, tax=tax, net=net, inclusive=inclusive
    )


@dataclass(frozen=True, slots=True)
class Sale:
    kind: str  # "service" or "product"
    amount: int  # net, minor units; negative for a refund
    day: date  # local date of the sale
    service_id: int | None = None
    label: str = ""
    reference: str = ""
    location_id: int | None = None
    base: Base | None = None  # how `amount` was reached (None: given as is)


@dataclass
class Pay:
    services_base: int = 0
    products_base: int = 0
    service_commission: int = 0
    product_commission: int = 0
    fixed_amount: int = 0
    tips: int = 0
    lines: list[dict] = field(default_factory=list)
    # Commission and fixed pay per location, for the ledger's per-location P&L.
    by_location: dict[int | None, int] = field(default_factory=dict)
    tips_by_location: dict[int | None, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.service_commission + self.product_commission + self.fixed_amount + self.tips


def percent_of(amount: int, rate_bp: int) -> int:
    """`amount` × `rate_bp` / 10 000, rounded half away from zero, in integers."""
    sign = -1 if amount < 0 else 1
    return sign * ((abs(amount) * rate_bp + 5000) // 10000)


def pick_rule(
    rules: Iterable[Rule], *, kind: str, day: date, service_id: int | None
) -> Rule | None:
    """The rule of `kind` in force on `day`: one for this very service beats a
    general one; among equals the most recent `valid_from` wins."""
    candidates = [
        r
        for r in rules
        if r.kind == kind and r.covers(day) and (r.service_id is None or r.service_id == service_id)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda r: (r.service_id is not None, r.valid_from, r.id or 0))


def _days(start: date, end: date) -> int:
    return (end - start).days + 1


def fixed_for_period(rules: Sequence[Rule], start: date, end: date) -> int:
    """Fixed pay per period, prorated by the days of the period each rule covers."""
    total = 0
    length = _days(start, end)
    for rule in rules:
        if rule.kind != FIXED_PER_PERIOD:
            continue
        first = max(start, rule.valid_from)
        last = min(end, rule.valid_until) if rule.valid_until else end
        if last < first:
            continue
        covered = _days(first, last)
        total += (
            rule.amount if covered == length else (rule.amount * covered + length // 2) // length
        )
    return total


def compute_pay(
    *,
    rules: Sequence[Rule],
    sales: Iterable[Sale],
    start: date,
    end: date,
    tips: dict[int | None, int] | None = None,
) -> Pay:
    if end < start:
        raise ValueError("period ends before it starts")
    tips = {k: v for k, v in (tips or {}).items() if v}
    pay = Pay(tips=sum(tips.values()), tips_by_location=tips)
    for sale in sales:
        line = {
            "kind": sale.kind,
            "label": sale.label,
            "reference": sale.reference,
            "day": sale.day.isoformat(),
            "amount": sale.amount,
            "commission": 0,
            "base": sale.base.as_dict() if sale.base else None,
            "rate_bp": None,
            "fixed": 0,
            "rule_id": None,
        }
        earned = 0
        if sale.kind == "service":
            pay.services_base += sale.amount
            rule = pick_rule(rules, kind=SERVICE_PERCENT, day=sale.day, service_id=sale.service_id)
            if rule:
                earned += percent_of(sale.amount, rule.rate_bp)
                line["rate_bp"], line["rule_id"] = rule.rate_bp, rule.id
            fixed = pick_rule(
                rules, kind=FIXED_PER_SERVICE, day=sale.day, service_id=sale.service_id
            )
            if fixed and sale.amount > 0:
                earned += fixed.amount
                line["fixed"] = fixed.amount
                line["rule_id"] = line["rule_id"] or fixed.id
            pay.service_commission += earned
        elif sale.kind == "product":
            pay.products_base += sale.amount
            rule = pick_rule(rules, kind=PRODUCT_PERCENT, day=sale.day, service_id=None)
            if rule:
                earned += percent_of(sale.amount, rule.rate_bp)
                line["rate_bp"], line["rule_id"] = rule.rate_bp, rule.id
            pay.product_commission += earned
        line["commission"] = earned
        pay.lines.append(line)
        pay.by_location[sale.location_id] = pay.by_location.get(sale.location_id, 0) + earned
    pay.fixed_amount = fixed_for_period(rules, start, end)
    if pay.fixed_amount:
        pay.by_location[None] = pay.by_location.get(None, 0) + pay.fixed_amount
    return pay
