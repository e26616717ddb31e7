"""Checkout of a visit (or a walk-in sale): one database transaction writes the
checkout, its lines, tips and payments, spends gift cards / credit /
packages, and posts one balanced ledger transaction.

The price the client was shown (`shown_total`) is compared with the price
computed now; a difference is refused (`price_changed`, with the new total)
before anything is charged. Tenders must add up to what is left to pay.

`checkout_quote` computes without writing (the page's preview and the API's
quote); `checkout_complete` recomputes under the business's finance row lock
(consecutive receipt numbers) and writes.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import uuid4

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from solibook.accounts.models import User
from solibook.booking.models import Appointment, AppointmentItem, Status
from solibook.catalog.models import Location, Master, MasterService, Service
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, NotFound, ValidationFailed, refuse
from solibook.core.validators import clean_name
from solibook.finance import accounts, ledger, taxes
from solibook.finance.ledger import Line
from solibook.finance.models import (
    Checkout,
    CheckoutCounter,
    CheckoutLine,
    CheckoutTip,
    ClientMembership,
    ClientPackage,
    PackagePlan,
    Payment,
    Product,
)
from solibook.finance.services.common import (
    actor_or_none,
    finance_settings,
    positive_amount,
    same_currency,
)
from solibook.finance.services.giftcards import gift_card_issue
from solibook.finance.signals import checkout_completed, checkout_recorded, send_on_commit
from solibook.finance.tenders import TenderContext, get_tender, tender_card

CHECKOUT_STATUSES = (Status.CONFIRMED, Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED)
MAX_LINES = 50


@dataclass
class LineIn:
    kind: str  # service, product, gift_card, package
    service_id: int | None = None
    product_id: int | None = None
    master_id: int | None = None
    quantity: int = 1
    amount: int | None = None  # a gift card's value
    package_plan_id: int | None = None
    client_package_id: int | None = None  # pay this service line with a prepaid visit
    appointment_item_id: int | None = None
    recipient_name: str = ""


@dataclass
class TipIn:
    master_id: int
    amount: int


@dataclass
class DiscountIn:
    kind: str  # amount, percent, promo_code, membership
    value: int = 0
    reason: str = ""
    code: str = ""


@dataclass
class TenderIn:
    kind: str
    amount: int
    data: dict = field(default_factory=dict)


@dataclass
class QuoteLine:
    kind: str
    description: str
    account: str
    quantity: int
    unit_amount: int
    tax_rate: int
    service: Service | None = None
    product: Product | None = None
    master: Master | None = None
    client_package: ClientPackage | None = None
    plan: PackagePlan | None = None
    recipient_name: str = ""
    discount_amount: int = 0
    net_amount: int = 0
    tax_amount: int = 0
    gross_amount: int = 0

    @property
    def amount(self) -> int:
        return self.unit_amount * self.quantity

    @property
    def discountable(self) -> bool:
        return self.kind in ("service", "product") and self.client_package is None


@dataclass
class Quote:
    currency: str
    prices_include_tax: bool
    lines: list[QuoteLine]
    tips: list[tuple[Master, int]]
    subtotal: int
    discount_total: int
    discount_reason: str
    discount_source: str
    net_total: int
    tax_total: int
    tip_total: int
    total: int
    covered_by_packages: int
    appointment: Appointment | None
    account: User | None
    location: Location
    promo_code: str = ""

    @property
    def to_pay(self) -> int:
        return self.total - self.covered_by_packages

    def as_dict(self) -> dict:
        return {
            "currency": self.currency,
            "prices_include_tax": self.prices_include_tax,
            "subtotal": self.subtotal,
            "discount_total": self.discount_total,
            "net_total": self.net_total,
            "tax_total": self.tax_total,
            "tip_total": self.tip_total,
            "total": self.total,
            "covered_by_packages": self.covered_by_packages,
            "to_pay": self.to_pay,
            "lines": [
                {
                    "kind": ql.kind,
                    "description": ql.description,
                    "quantity": ql.quantity,
                    "unit_amount": ql.unit_amount,
                    "discount_amount": ql.discount_amount,
                    "tax_rate": ql.tax_rate,
                    "net_amount": ql.net_amount,
                    "tax_amount": ql.tax_amount,
                    "gross_amount": ql.gross_amount,
                    "master_id": ql.master.pk if ql.master else None,
                }
                for ql in self.lines
            ],
            "tips": [{"master_id": m.pk, "amount": a} for m, a in self.tips],
        }


def _service_rate(settings_row, business) -> int:
    return taxes.service_rate(settings_row, business)


def _product_rate(settings_row, business, product: Product) -> int:
    if not settings_row.vat_registered:
        return 0
    return (
        product.tax_rate if product.tax_rate is not None else taxes.standard_rate(business.country)
    )


@dataclass
class _Rows:
    """The rows a quote's lines and tips name, read with one query per table
    (not one per line): masters, products, services and the visit's items."""

    masters: dict[int, Master]
    products: dict[int, Product]
    services: dict[int, Service]
    items: dict[int, AppointmentItem]
    own_prices: dict[tuple[int, int], int]


def _ids(values) -> set[int]:
    return {v for v in values if isinstance(v, int) and not isinstance(v, bool)}


def _read_rows(business, lines_in: list[LineIn], tips: list[TipIn], appointment) -> _Rows:
    master_ids = _ids([li.master_id for li in lines_in] + [t.master_id for t in tips])
    product_ids = _ids(li.product_id for li in lines_in if li.kind == "product")
    service_ids = _ids(
        li.service_id for li in lines_in if li.kind == "service" and li.appointment_item_id is None
    )
    item_ids = _ids(li.appointment_item_id for li in lines_in if li.kind == "service")
    rows = _Rows(masters={}, products={}, services={}, items={}, own_prices={})
    if item_ids and appointment is not None:
        rows.items = {
            i.pk: i
            for i in appointment.items.filter(pk__in=item_ids).select_related(
                "service__category", "master"
            )
        }
        # A tip or a product sold by the visit's own master needs no second read.
        rows.masters = {i.master.pk: i.master for i in rows.items.values() if i.master}
    if master_ids - set(rows.masters):
        rows.masters.update(
            (m.pk, m)
            for m in Master.objects.filter(business=business, pk__in=master_ids - set(rows.masters))
        )
    if product_ids:
        rows.products = {
            p.pk: p
            for p in Product.objects.filter(business=business, pk__in=product_ids, is_active=True)
        }
    if service_ids:
        rows.services = {
            s.pk: s
            for s in Service.objects.filter(business=business, pk__in=service_ids).select_related(
                "category"
            )
        }
    priced_masters = _ids(
        li.master_id for li in lines_in if li.kind == "service" and li.service_id in rows.services
    )
    if rows.services and priced_masters:
        rows.own_prices = {
            (m, s): price
            for m, s, price in MasterService.objects.filter(
                business=business, master_id__in=priced_masters, service_id__in=list(rows.services)
            ).values_list("master_id", "service_id", "price_amount")
            if price is not None
        }
    return rows


def _master(rows: _Rows, master_id, where: str) -> Master | None:
    if master_id is None:
        return None
    master = rows.masters.get(master_id)
    if master is None:
        refuse(_("No such master."), where, code="not_found")
    return master


def _service_price(rows: _Rows, service: Service, master: Master | None) -> int:
    if master is not None:
        own = rows.own_prices.get((master.pk, service.pk))
        if own is not None:
            return own
    return service.price_amount


def _resolve_lines(
    business,
    settings_row,
    lines_in: list[LineIn],
    appointment: Appointment | None,
    account: User | None,
    now: datetime,
    tips: list[TipIn],
) -> tuple[list[QuoteLine], _Rows]:
    if appointment is not None and not lines_in:
        lines_in = [
            LineIn(kind="service", appointment_item_id=item_id)
            for item_id in appointment.items.order_by("position").values_list("pk", flat=True)
        ]
    if not lines_in:
        refuse(_("Add at least one service or product."), "lines", code="empty_checkout")
    if len(lines_in) > MAX_LINES:
        refuse(_("Too many lines."), "lines")
    rows = _read_rows(business, lines_in, tips, appointment)
    currency = business.currency
    resolved: list[QuoteLine] = []
    used_packages: defaultdict[int, int] = defaultdict(int)
    for i, li in enumerate(lines_in):
        where = f"lines.{i}"
        if not isinstance(li.quantity, int) or not 1 <= li.quantity <= 999:
            refuse(_("The quantity must be between 1 and 999."), f"{where}.quantity")
        if li.kind == "service":
            service: Service | None
            master: Master | None
            if li.appointment_item_id is not None:
                if appointment is None:
                    refuse(
                        _("This line needs the visit it belongs to."),
                        f"{where}.appointment_item_id",
                    )
                item = rows.items.get(li.appointment_item_id)
                if item is None:
                    refuse(
                        _("This service is not part of the visit."),
                        f"{where}.appointment_item_id",
                        code="not_found",
                    )
                service, master, price = item.service, item.master, item.price_amount
                if li.master_id is not None and li.master_id != item.master_id:
                    master = _master(rows, li.master_id, f"{where}.master_id")
            else:
                service = rows.services.get(li.service_id) if li.service_id else None
                if service is None:
                    refuse(_("No such service."), f"{where}.service_id", code="not_found")
                master = _master(rows, li.master_id, f"{where}.master_id")
                price = _service_price(rows, service, master)
            same_currency(currency, service.currency, f"{where}.service_id")
            line = QuoteLine(
                "service",
                service.name,
                accounts.revenue(service.category.slug),
                li.quantity,
                price,
                _service_rate(settings_row, business),
                service=service,
                master=master,
            )
            if li.client_package_id is not None:
                package = (
                    ClientPackage.objects.filter(business=business, pk=li.client_package_id)
                    .select_related("plan")
                    .first()
                )
                if package is None or account is None or package.account_id != account.pk:
                    refuse(
                        _("This package does not belong to the client."),
                        f"{where}.client_package_id",
                        code="package_unknown",
                    )
                if package.plan.service_id != service.pk:
                    refuse(
                        _("This package is for another service."),
                        f"{where}.client_package_id",
                        code="package_other_service",
                    )
                if package.expires_at <= now:
                    refuse(
                        _("This package has expired."),
                        f"{where}.client_package_id",
                        code="package_expired",
                    )
                if (
                    li.quantity != 1
                    or package.visits_total - package.visits_used - used_packages[package.pk] < 1
                ):
                    refuse(
                        _("No visits left on this package."),
                        f"{where}.client_package_id",
                        code="package_used_up",
                    )
                used_packages[package.pk] += 1
                line.client_package = package
                line.unit_amount = package.next_visit_value()
            resolved.append(line)
        elif li.kind == "product":
            product = rows.products.get(li.product_id) if li.product_id else None
            if product is None:
                refuse(_("No such product."), f"{where}.product_id", code="not_found")
            same_currency(currency, product.currency, f"{where}.product_id")
            resolved.append(
                QuoteLine(
                    "product",
                    product.name,
                    accounts.RETAIL_REVENUE,
                    li.quantity,
                    product.price_amount,
                    _product_rate(settings_row, business, product),
                    product=product,
                    master=_master(rows, li.master_id, f"{where}.master_id"),
                )
            )
        elif li.kind == "gift_card":
            amount = positive_amount(li.amount, f"{where}.amount", maximum=10**8)
            resolved.append(
                QuoteLine(
                    "gift_card",
                    _("Gift card"),
                    accounts.GIFT_CARDS_OUTSTANDING,
                    li.quantity,
                    amount,
                    0,
                    recipient_name=clean_name(
                        li.recipient_name, field=f"{where}.recipient_name", required=False
                    ),
                )
            )
        elif li.kind == "package":
            plan = (
                PackagePlan.objects.filter(
                    business=business, pk=li.package_plan_id, is_active=True
                ).first()
                if li.package_plan_id
                else None
            )
            if plan is None:
                refuse(_("No such package."), f"{where}.package_plan_id", code="not_found")
            if account is None:
                refuse(
                    _("A package is sold to a client: choose the client."),
                    "account_id",
                    code="package_needs_client",
                )
            same_currency(currency, plan.currency, f"{where}.package_plan_id")
            resolved.append(
                QuoteLine(
                    "package",
                    plan.name,
                    accounts.PACKAGES_OUTSTANDING,
                    li.quantity,
                    plan.price_amount,
                    0,
                    plan=plan,
                )
            )
        else:
            refuse(_("Unknown line kind."), f"{where}.kind")
    return resolved, rows


def _explicit_discount(
    business,
    discount: DiscountIn | None,
    lines: list[QuoteLine],
    account: User | None,
    appointment,
    now,
) -> tuple[int, str, str, str]:
    """(amount, reason, source, promo code) of the discount asked for."""
    base = sum(ql.amount for ql in lines if ql.discountable)
    if discount is None:
        return 0, "", "", ""
    if discount.kind == "amount":
        if not discount.reason.strip():
            refuse(
                _("Give a reason for a manual discount."),
                "discount.reason",
                code="discount_reason_required",
            )
        return (
            positive_amount(discount.value, "discount.value"),
            discount.reason.strip()[:200],
            "manual",
            "",
        )
    if discount.kind == "percent":
        if not discount.reason.strip():
            refuse(
                _("Give a reason for a manual discount."),
                "discount.reason",
                code="discount_reason_required",
            )
        if not isinstance(discount.value, int) or not 1 <= discount.value <= 100:
            refuse(_("A percentage is between 1 and 100."), "discount.value")
        return base * discount.value // 100, discount.reason.strip()[:200], "manual", ""
    if discount.kind == "membership":
        if account is None:
            refuse(
                _("A membership discount needs the client."),
                "account_id",
                code="membership_needs_client",
            )
        membership = (
            ClientMembership.objects.filter(
                business=business,
                account=account,
                state=ClientMembership.State.ACTIVE,
                current_period_end__gt=now,
            )
            .select_related("plan")
            .order_by("-plan__discount_percent")
            .first()
        )
        if membership is None or not membership.plan.discount_percent:
            refuse(
                _("The client has no active membership with a discount."),
                "discount",
                code="membership_none",
            )
        services_base = sum(ql.amount for ql in lines if ql.discountable and ql.kind == "service")
        return (
            services_base * membership.plan.discount_percent // 100,
            membership.plan.name,
            "membership",
            "",
        )
    if discount.kind == "promo_code":
        if not apps.is_installed("solibook.offers"):
            refuse(_("Promo codes are not available."), "discount.code")
        from solibook.offers.services import promo_quote

        quote = promo_quote(
            business_id=business.pk,
            code=discount.code,
            price_amount=base,
            currency=business.currency,
            service_prices=_service_prices(lines),
            now=now,
        )
        return quote.discount_amount, quote.promo.code, "promo_code", quote.promo.code
    refuse(_("Unknown discount kind."), "discount.kind")
    return 0, "", "", ""


def _service_prices(lines: list[QuoteLine]) -> dict[int, int]:
    """The discountable amount of each service on the bill (a code may be tied to one)."""
    prices: dict[int, int] = {}
    for ql in lines:
        if ql.discountable and ql.service is not None:
            prices[ql.service.pk] = prices.get(ql.service.pk, 0) + ql.amount
    return prices


def _offer_discount(appointment) -> int:
    """Discounts agreed when the visit was booked (promo code, off-peak price)."""
    if appointment is None or not apps.is_installed("solibook.offers"):
        return 0
    from solibook.offers.services import appointment_discounts

    return appointment_discounts([appointment.pk]).get(appointment.pk, 0)


def checkout_quote(
    *,
    business,
    location_id: int,
    appointment_id: int | None = None,
    account_id: int | None = None,
    lines: list[LineIn] | None = None,
    tips: list[TipIn] | None = None,
    discount: DiscountIn | None = None,
    now: datetime | None = None,
    _settings=None,
) -> Quote:
    now = now or timezone.now()
    settings_row = _settings or finance_settings(business)
    appointment = None
    if appointment_id is not None:
        # The visit comes with its location, account and card (the tenders'
        # client): one read instead of four.
        appointment = next(
            iter(
                Appointment.objects.filter(business=business, pk=appointment_id).select_related(
                    "account", "location", "client_card"
                )
            ),
            None,
        )
    location: Location | None
    if appointment is not None and appointment.location_id == location_id:
        location = appointment.location
    else:
        location = Location.objects.filter(business=business, pk=location_id).first()
    if location is None:
        raise NotFound(_("No such location."), fields={"location_id": [_("No such location.")]})
    if appointment_id is not None:
        if appointment is None:
            raise NotFound(
                _("No such appointment."), fields={"appointment_id": [_("No such appointment.")]}
            )
        if appointment.location_id != location.pk:
            refuse(_("This visit is at another location."), "appointment_id")
        if appointment.status == Status.CANCELLED:
            refuse(
                _("This visit was cancelled: it cannot be checked out."),
                "appointment_id",
                code="visit_cancelled",
            )
        if appointment.status not in CHECKOUT_STATUSES:
            refuse(
                _("Only a confirmed or completed visit can be checked out."),
                "appointment_id",
                code="not_checkoutable",
            )
        # A checkout completes its visit, so only a completed one may have been
        # checked out already; two checkouts of one visit at once meet at the
        # unique constraint instead (`_checkout_create`).
        if (
            appointment.status == Status.COMPLETED
            and Checkout.objects.filter(business=business, appointment=appointment).exists()
        ):
            raise _already_checked_out()
    account = appointment.account if appointment is not None else None
    if account_id is not None and (account is None or account.pk != account_id):
        # Only a client the salon knows: one with a visit here.
        account = (
            User.objects.filter(pk=account_id, appointments__business=business).distinct().first()
        )
        if account is None:
            refuse(_("No such client."), "account_id", code="not_found")
    quote_lines, rows = _resolve_lines(
        business, settings_row, list(lines or []), appointment, account, now, list(tips or [])
    )
    subtotal = sum(ql.amount for ql in quote_lines)
    explicit, reason, source, promo = _explicit_discount(
        business, discount, quote_lines, account, appointment, now
    )
    offer = _offer_discount(appointment)
    discount_total = explicit + offer
    if offer and not source:
        reason, source = _("Offer"), "offer"
    discountable = [ql for ql in quote_lines if ql.discountable]
    base = sum(ql.amount for ql in discountable)
    if discount_total > base:
        refuse(
            _("The discount is larger than what it applies to."),
            "discount",
            code="discount_too_large",
        )
    for ql, share in zip(
        discountable,
        taxes.allocate(discount_total, [ql.amount for ql in discountable]),
        strict=True,
    ):
        ql.discount_amount = share
    inclusive = settings_row.prices_include_tax
    for ql in quote_lines:
        # Prepaid visits were paid tax-inclusive: their value is what the client paid.
        ql.net_amount, ql.tax_amount, ql.gross_amount = taxes.split(
            ql.amount - ql.discount_amount,
            ql.tax_rate,
            inclusive=inclusive or ql.client_package is not None,
        )
    tip_rows: list[tuple[Master, int]] = []
    for i, tip in enumerate(tips or []):
        amount = positive_amount(tip.amount, f"tips.{i}.amount", maximum=10**7)
        master = _master(rows, tip.master_id, f"tips.{i}.master_id")
        if master is None:
            refuse(_("No such master."), f"tips.{i}.master_id", code="not_found")
        tip_rows.append((master, amount))
    tip_total = sum(a for _m, a in tip_rows)
    return Quote(
        currency=business.currency,
        prices_include_tax=inclusive,
        lines=quote_lines,
        tips=tip_rows,
        subtotal=subtotal,
        discount_total=discount_total,
        discount_reason=reason,
        discount_source=source,
        promo_code=promo,
        net_total=sum(ql.net_amount for ql in quote_lines),
        tax_total=sum(ql.tax_amount for ql in quote_lines),
        tip_total=tip_total,
        total=sum(ql.gross_amount for ql in quote_lines) + tip_total,
        covered_by_packages=sum(
            ql.gross_amount for ql in quote_lines if ql.client_package is not None
        ),
        appointment=appointment,
        account=account,
        location=location,
    )


def _ledger_lines(quote: Quote, tenders: list[TenderIn], kinds, location, account) -> list[Line]:
    c = quote.currency
    lines: list[Line] = []
    tax_total = 0
    for ql in quote.lines:
        if ql.kind in ("service", "product"):
            lines.append(Line(ql.account, -ql.net_amount, c, location=location, master=ql.master))
            tax_total += ql.tax_amount
        else:  # gift cards and packages sold: a liability until used
            lines.append(Line(ql.account, -ql.gross_amount, c, location=location))
        if ql.client_package is not None:
            lines.append(Line(accounts.PACKAGES_OUTSTANDING, ql.gross_amount, c, location=location))
    if tax_total:
        lines.append(Line(accounts.TAXES_PAYABLE, -tax_total, c, location=location))
    for master, amount in quote.tips:
        lines.append(Line(accounts.TIPS_PAYABLE, -amount, c, location=location, master=master))
    for tender, kind in zip(tenders, kinds, strict=True):
        lines.append(
            Line(
                kind.account,
                tender.amount,
                c,
                location=location,
                user=account if kind.needs_client else None,
            )
        )
    return [line for line in lines if line.amount]


def _already_checked_out() -> Conflict:
    return Conflict(_("This visit has already been checked out."), code="already_checked_out")


# What a checkout's number is until its last step gives it the real one (unique,
# and seen by no one else: the row is not committed before it is numbered).
PENDING_NUMBER = "pending:"


def _checkout_create(**fields) -> Checkout:
    try:
        # No savepoint of its own: a refusal here rolls the whole checkout back.
        return Checkout.objects.create(number=f"{PENDING_NUMBER}{uuid4().hex}", **fields)
    except IntegrityError as exc:
        # Another till checked this visit out meanwhile: its insert held ours
        # until it committed, then the visit's unique checkout refused ours.
        if "checkout_once_per_appointment" in str(exc) or "checkout.appointment_id" in str(exc):
            raise _already_checked_out() from exc
        raise


def _number(business, now: datetime) -> str:
    """The next receipt number of the business's year: "2026-000124".

    The year's counter row stays locked until the checkout commits, so two
    checkouts never get one number and a rolled-back one gives its number
    back (no gap). The checkout takes it as late as it can: the checkouts of
    one business wait for each other only from here to their commit."""
    table = CheckoutCounter._meta.db_table
    with connection.cursor() as cursor:
        # One statement both locks and moves the counter on (an ORM update()
        # cannot say what it wrote); values are bound, the table is the model's.
        cursor.execute(
            f'UPDATE "{table}" SET "last" = "last" + 1 '  # noqa: S608
            'WHERE "business_id" = %s AND "year" = %s RETURNING "last"',
            [business.pk, now.year],
        )
        row = cursor.fetchone()
        if row is None:
            # The year's first checkout. Two at once: the second waits on the
            # first's insert, then counts on from it.
            cursor.execute(
                f'INSERT INTO "{table}" ("business_id", "year", "last") VALUES (%s, %s, %s) '  # noqa: S608
                f'ON CONFLICT ("business_id", "year") DO UPDATE SET "last" = "{table}"."last" + 1 '
                'RETURNING "last"',
                [business.pk, now.year, _highest_number(business, now.year) + 1],
            )
            row = cursor.fetchone()
    return f"{now.year}-{row[0]:06d}"


def _highest_number(business, year: int) -> int:
    """The highest number given in `year` without the counter (none, unless
    receipts were written before it existed)."""
    numbers = Checkout.objects.filter(business=business, number__startswith=f"{year}-")
    sequences = [n.partition("-")[2] for n in numbers.values_list("number", flat=True)]
    return max((int(seq) for seq in sequences if seq.isdigit()), default=0)


def checkout_complete(
    *,
    business,
    location_id: int,
    shown_total: int,
    currency: str,
    tenders: list[TenderIn],
    appointment_id: int | None = None,
    account_id: int | None = None,
    lines: list[LineIn] | None = None,
    tips: list[TipIn] | None = None,
    discount: DiscountIn | None = None,
    actor=None,
    language: str = "",
    now: datetime | None = None,
) -> Checkout:
    """Check a visit (or a sale) out, in one transaction.

    Order matters for concurrency: everything that only this checkout touches
    (its reads, its rows, the tenders it spends) comes first and runs beside
    other checkouts; then the receipt number, whose lock lasts to the commit,
    and what may meet another checkout's locks (the visit's stock, the
    products sold) in that order, so two checkouts never wait on each other
    in a cycle."""
    now = now or timezone.now()
    same_currency(business.currency, currency)
    for i, tender in enumerate(tenders):
        positive_amount(tender.amount, f"tenders.{i}.amount")
        if not isinstance(tender.data, dict):
            refuse(_("Tender details must be an object."), f"tenders.{i}.data")
    kinds = [get_tender(t.kind) for t in tenders]
    with transaction.atomic():
        # Read, not locked: a change of settings meanwhile is ordered after this
        # checkout, which nothing it writes contradicts.
        settings_row = finance_settings(business)
        quote = checkout_quote(
            business=business,
            location_id=location_id,
            appointment_id=appointment_id,
            account_id=account_id,
            lines=lines,
            tips=tips,
            discount=discount,
            now=now,
            _settings=settings_row,
        )
        if shown_total != quote.total:
            raise Conflict(
                _(
                    "The price has changed: the total is now %(total)s, not %(shown)s. Show the client the new total."
                )
                % {"total": quote.total, "shown": shown_total},
                code="price_changed",
                extra={"total": quote.total, "quote": quote.as_dict()},
            )
        paid = sum(t.amount for t in tenders)
        if paid != quote.to_pay:
            message = _("The payments add up to %(paid)s but %(due)s is due.") % {
                "paid": paid,
                "due": quote.to_pay,
            }
            raise ValidationFailed(
                message,
                code="split_mismatch",
                fields={"tenders": [message]},
                extra={"due": quote.to_pay, "paid": paid},
            )
        account = quote.account
        # The tenders' client is the salon's card (a walk-in's too); `account` is the login.
        card = tender_card(business=business, appointment=quote.appointment, user=account)
        for kind in kinds:
            if kind.needs_client and account is None and card is None:
                refuse(
                    _("%(tender)s needs a client on the checkout.") % {"tender": kind.label},
                    "tenders",
                    code="tender_needs_client",
                )
        checkout = _checkout_create(
            business=business,
            location=quote.location,
            appointment=quote.appointment,
            account=account,
            client_name=(
                quote.appointment.client_name
                if quote.appointment
                else (account.full_name if account else "")
            )[:150],
            language=(
                language
                or (account.language if account and account.language else "")
                or get_language()
                or "en"
            )[:8],
            currency=quote.currency,
            prices_include_tax=quote.prices_include_tax,
            subtotal=quote.subtotal,
            discount_total=quote.discount_total,
            discount_reason=quote.discount_reason,
            discount_source=quote.discount_source,
            net_total=quote.net_total,
            tax_total=quote.tax_total,
            tip_total=quote.tip_total,
            total=quote.total,
            created_by=actor_or_none(actor),
            created_at=now,
        )
        ctx = TenderContext(
            business=business,
            checkout=checkout,
            location=quote.location,
            client=card,
            account=account,
            currency=quote.currency,
            actor=actor,
            now=now,
            appointment=quote.appointment,
        )
        for tender, kind in zip(tenders, kinds, strict=True):
            if kind.validate:
                kind.validate(ctx, tender.amount, tender.data)
        written = _write_lines(business, checkout, quote, account, now)
        for tender, kind in zip(tenders, kinds, strict=True):
            detail = (kind.apply(ctx, tender.amount, tender.data) if kind.apply else None) or {}
            Payment.objects.create(
                business=business,
                purpose=Payment.Purpose.CHECKOUT,
                tender=kind.code,
                provider="",
                state=Payment.State.CAPTURED,
                amount=tender.amount,
                amount_captured=tender.amount,
                currency=quote.currency,
                checkout=checkout,
                appointment=quote.appointment,
                account=account,
                detail=detail,
                created_at=now,
            )
        if quote.promo_code and quote.appointment is not None:
            from solibook.offers.services import promo_redeem

            promo_redeem(
                appointment=quote.appointment,
                code=quote.promo_code,
                price_amount=sum(ql.amount for ql in quote.lines if ql.discountable),
                account=account,
                service_prices=_service_prices(quote.lines),
                now=now,
            )
        audit_log(
            action="finance.checkout",
            actor=actor,
            business=business,
            obj=checkout,
            data={"total": quote.total, "currency": quote.currency},
        )
        # From here to the commit, the business's other checkouts wait.
        checkout.number = _number(business, now)
        checkout.ledger_transaction = ledger.post(
            business=business,
            kind="checkout",
            memo=f"Checkout {checkout.number}",
            lines=_ledger_lines(quote, tenders, kinds, quote.location, account),
            reference=f"checkout:{checkout.pk}",
            occurred_at=now,
        )
        Checkout.objects.filter(pk=checkout.pk).update(
            number=checkout.number, ledger_transaction=checkout.ledger_transaction
        )
        if quote.appointment is not None and quote.appointment.status != Status.COMPLETED:
            from solibook.booking.services import appointment_set_status

            # After the number: the visit's materials lock their products, as
            # the products sold below do, always in the same order.
            appointment_set_status(
                business=business,
                appointment_id=quote.appointment.pk,
                status=Status.COMPLETED,
                actor=actor,
            )
        checkout_recorded.send(sender=Checkout, checkout=checkout, lines=written)
        send_on_commit(checkout_completed, Checkout, checkout=checkout)
    return checkout


def _write_lines(business, checkout: Checkout, quote: Quote, account, now) -> list[CheckoutLine]:
    rows = []
    for position, ql in enumerate(quote.lines):
        rows.append(
            CheckoutLine(
                business=business,
                checkout=checkout,
                position=position,
                kind=ql.kind,
                description=ql.description[:200],
                service=ql.service,
                product=ql.product,
                master=ql.master,
                account=ql.account,
                quantity=ql.quantity,
                unit_amount=ql.unit_amount,
                discount_amount=ql.discount_amount,
                tax_rate=ql.tax_rate,
                net_amount=ql.net_amount,
                tax_amount=ql.tax_amount,
                gross_amount=ql.gross_amount,
                client_package=ql.client_package,
            )
        )
        if ql.kind == "gift_card":
            for _n in range(ql.quantity):
                gift_card_issue(
                    business=business,
                    amount=ql.unit_amount,
                    currency=quote.currency,
                    now=now,
                    checkout=checkout,
                    purchaser=account,
                    recipient_name=ql.recipient_name,
                )
        elif ql.kind == "package":
            plan = ql.plan
            assert plan is not None, "a package line names its plan"
            for _n in range(ql.quantity):
                ClientPackage.objects.create(
                    business=business,
                    plan=plan,
                    account=account,
                    visits_total=plan.visits,
                    amount_paid=plan.price_amount,
                    currency=quote.currency,
                    expires_at=now + timedelta(days=plan.validity_days),
                    sold_in=checkout,
                    created_at=now,
                )
        elif ql.client_package is not None:
            # Conditional: two checkouts using the last visit cannot both succeed.
            used = ClientPackage.objects.filter(
                pk=ql.client_package.pk, visits_used__lt=F("visits_total")
            ).update(
                visits_used=F("visits_used") + 1, amount_used=F("amount_used") + ql.gross_amount
            )
            if not used:
                refuse(_("No visits left on this package."), "lines", code="package_used_up")
    CheckoutLine.objects.bulk_create(rows)
    if quote.tips:
        CheckoutTip.objects.bulk_create(
            [
                CheckoutTip(business=business, checkout=checkout, master=m, amount=a)
                for m, a in quote.tips
            ]
        )
    return rows


__all__ = [
    "DiscountIn",
    "LineIn",
    "Quote",
    "TenderIn",
    "TipIn",
    "checkout_complete",
    "checkout_quote",
]
