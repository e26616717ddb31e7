"""Every write of the accounting area. Pages and API call these functions.

Money moves only through `finance.ledger.post` / `reverse` (see
`accounting.ledger`): an expense posts debit `expenses:<category>` / credit
the account it was paid from; a pay statement posts its accrual and its
payment. The document row and its ledger transaction commit together.
"""

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from solibook.accounting import ledger, staff
from solibook.accounting.models import (
    BudgetLine,
    CommissionRule,
    Expense,
    ExpenseCategory,
    PaidFrom,
    PayStatement,
    Supplier,
)
from solibook.accounting.receipts import check_receipt
from solibook.catalog.models import Business, Location, Master, Service
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, NotFound, ValidationFailed, clean_or_refuse
from solibook.core.ids import is_db_id
from solibook.core.time import local_day_bounds, to_local, utcnow

MAX_AMOUNT = 10**12  # minor units: a sanity bound far above any salon's invoice
EXPENSE_MAX_DAYS_AHEAD = 31  # an invoice may be dated up to a month ahead (rent paid in advance)
EARLIEST_DATE = date(2000, 1, 1)
RESERVED_CATEGORY_CODES = frozenset({"staff_pay"})  # used by pay statements

# Created on a business's first visit to its expense categories.
DEFAULT_CATEGORIES = (
    ("rent", "613200"),
    ("utilities", "606100"),
    ("supplies", "606800"),
    ("products", "607000"),
    ("equipment", "606300"),
    ("marketing", "623000"),
    ("bank_fees", "627000"),
    ("insurance", "616000"),
    ("other", "628000"),
)


def _default_names() -> dict[str, str]:
    return {
        "rent": _("Rent"),
        "utilities": _("Utilities"),
        "supplies": _("Salon supplies"),
        "products": _("Products for resale"),
        "equipment": _("Small equipment"),
        "marketing": _("Marketing"),
        "bank_fees": _("Bank fees"),
        "insurance": _("Insurance"),
        "other": _("Other"),
    }


def _invalid(field: str, message: str):
    raise ValidationFailed(message, fields={field: [message]})


def _get(queryset, pk, message: str):
    if not is_db_id(pk):
        raise NotFound(message)
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFound(message)
    return obj


def _check_amount(amount, field: str = "amount", *, allow_zero: bool = False) -> int:
    if not isinstance(amount, int) or isinstance(amount, bool):
        _invalid(field, _("The amount must be a whole number of minor units (cents)."))
    if amount < 0 or (amount == 0 and not allow_zero):
        _invalid(field, _("The amount must be positive."))
    if amount >= MAX_AMOUNT:
        _invalid(field, _("The amount is too large."))
    return amount


def _check_currency(business: Business, currency: str, field: str = "currency") -> str:
    if currency != business.currency:
        _invalid(
            field,
            _("This business keeps its books in %(currency)s.") % {"currency": business.currency},
        )
    return currency


# ---------------------------------------------------------------- categories and suppliers


def categories_ensure_defaults(*, business: Business) -> None:
    """Give a business the usual categories the first time it needs them."""
    if ExpenseCategory.objects.filter(business=business).exists():
        return
    names = _default_names()
    try:
        with transaction.atomic():
            ExpenseCategory.objects.bulk_create(
                [
                    ExpenseCategory(
                        business=business, code=code, name=names[code], fec_account=account
                    )
                    for code, account in DEFAULT_CATEGORIES
                ]
            )
    except IntegrityError:
        pass  # another request created them first


def _category_fields(business: Business, category: ExpenseCategory, *, exclude_pk=None) -> None:
    if category.code in RESERVED_CATEGORY_CODES:
        _invalid("code", _("This code is reserved."))
    clean_or_refuse(category, exclude=["business"])
    others = ExpenseCategory.objects.filter(business=business).exclude(pk=exclude_pk)
    if others.filter(code=category.code).exists():
        _invalid("code", _("Another category uses this code."))
    if others.filter(name=category.name).exists():
        _invalid("name", _("Another category has this name."))


def category_create(
    *,
    actor,
    business: Business,
    name: str,
    code: str,
    fec_account: str = "628000",
    is_active: bool = True,
) -> ExpenseCategory:
    category = ExpenseCategory(
        business=business,
        name=(name or "").strip(),
        code=(code or "").strip().lower(),
        fec_account=fec_account,
        is_active=is_active,
    )
    _category_fields(business, category)
    with transaction.atomic():
        category.save()
        audit_log(action="expense_category.create", actor=actor, business=business, obj=category)
    return category


def category_update(*, actor, business: Business, category_id: int, **fields) -> ExpenseCategory:
    """Rename, renumber or deactivate; the code (the ledger account) never changes once used."""
    category = _get(
        ExpenseCategory.objects.filter(business=business), category_id, _("No such category.")
    )
    for name in ("name", "fec_account", "is_active"):
        if name in fields:
            setattr(
                category,
                name,
                fields[name].strip() if isinstance(fields[name], str) else fields[name],
            )
    _category_fields(business, category, exclude_pk=category.pk)
    with transaction.atomic():
        category.save()
        audit_log(
            action="expense_category.update",
            actor=actor,
            business=business,
            obj=category,
            data={"fields": sorted(fields)},
        )
    return category


SUPPLIER_FIELDS = ("name", "tax_id", "email", "phone", "notes", "is_active")


def supplier_create(*, actor, business: Business, **fields) -> Supplier:
    supplier = Supplier(
        business=business, **{k: v for k, v in fields.items() if k in SUPPLIER_FIELDS}
    )
    return _supplier_save(actor, business, supplier, "supplier.create")


def supplier_update(*, actor, business: Business, supplier_id: int, **fields) -> Supplier:
    supplier = _get(Supplier.objects.filter(business=business), supplier_id, _("No such supplier."))
    for name, value in fields.items():
        if name in SUPPLIER_FIELDS:
            setattr(supplier, name, value)
    return _supplier_save(actor, business, supplier, "supplier.update")


def _supplier_save(actor, business, supplier: Supplier, action: str) -> Supplier:
    supplier.name = (supplier.name or "").strip()
    clean_or_refuse(supplier, exclude=["business"])
    if (
        Supplier.objects.filter(business=business, name=supplier.name)
        .exclude(pk=supplier.pk)
        .exists()
    ):
        _invalid("name", _("Another supplier has this name."))
    with transaction.atomic():
        supplier.save()
        audit_log(action=action, actor=actor, business=business, obj=supplier)
    return supplier


# ---------------------------------------------------------------- expenses


def _check_day(
    day, location: Location, *, now: datetime | None = None, field: str = "incurred_on"
) -> date:
    if not isinstance(day, date) or isinstance(day, datetime):
        _invalid(field, _("Enter a valid date."))
    today = to_local(now or utcnow(), location.time_zone).date()
    if day > today + timedelta(days=EXPENSE_MAX_DAYS_AHEAD):
        _invalid(
            field,
            _("An expense cannot be dated more than %(days)s days ahead.")
            % {"days": EXPENSE_MAX_DAYS_AHEAD},
        )
    if day < EARLIEST_DATE:
        _invalid(field, _("This date is too far in the past."))
    return day


def expense_create(
    *,
    actor,
    business: Business,
    location_id: int,
    category_id: int,
    description: str,
    amount: int,
    currency: str,
    incurred_on: date,
    paid_from: str,
    supplier_id: int | None = None,
    reference: str = "",
    receipt=None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Expense:
    """Record an expense and post it: debit `expenses:<category>`, credit `paid_from`."""
    location = (
        Location.objects.filter(business=business, pk=location_id).first()
        if is_db_id(location_id)
        else None
    )
    if location is None:
        _invalid("location_id", _("Choose one of your locations."))
    category = (
        ExpenseCategory.objects.filter(business=business, pk=category_id, is_active=True).first()
        if is_db_id(category_id)
        else None
    )
    if category is None:
        _invalid("category_id", _("Choose one of your expense categories."))
    supplier = None
    if supplier_id is not None:
        supplier = (
            Supplier.objects.filter(business=business, pk=supplier_id).first()
            if is_db_id(supplier_id)
            else None
        )
        if supplier is None:
            _invalid("supplier_id", _("Choose one of your suppliers."))
    description = (description or "").strip()
    if not description:
        _invalid("description", _("Describe the expense."))
    _check_amount(amount)
    _check_currency(business, currency)
    _check_day(incurred_on, location, now=now)
    if paid_from not in PaidFrom.values:
        _invalid("paid_from", _("Choose how it was paid."))
    if receipt is not None:
        receipt.name = "receipt" + check_receipt(receipt)

    expense = Expense(
        business=business,
        location=location,
        category=category,
        supplier=supplier,
        description=description[:300],
        amount=amount,
        currency=currency,
        incurred_on=incurred_on,
        paid_from=paid_from,
        reference=(reference or "").strip()[:64],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            if receipt is not None:
                expense.receipt = receipt
            expense.save()
            tx = ledger.post(
                business=business,
                kind="expense",
                memo=f"{category.name}: {description}"[:200],
                lines=[
                    ledger.Line(category.account, amount, currency, location=location),
                    ledger.Line(paid_from, -amount, currency, location=location),
                ],
                reference=f"expense:{expense.pk}",
                idempotency_key=idempotency_key or f"accounting:expense:{expense.pk}",
                occurred_at=local_day_bounds(incurred_on, location.time_zone)[0],
            )
            expense.ledger_transaction_id = tx.pk
            expense.save(update_fields=["ledger_transaction_id"])
            audit_log(
                action="expense.create",
                actor=actor,
                business=business,
                obj=expense,
                data={"amount": amount, "currency": currency},
            )
    except Exception:
        # Nothing half-written: the rows rolled back, the stored file goes too.
        if expense.receipt:
            expense.receipt.storage.delete(expense.receipt.name)
        raise
    return expense


def expense_void(*, actor, business: Business, expense_id: int, reason: str) -> Expense:
    """Cancel a wrong expense: the ledger keeps both the posting and its reversal."""
    reason = (reason or "").strip()
    if not reason:
        _invalid("reason", _("Say why the expense is voided."))
    with transaction.atomic():
        expense = _get(
            Expense.objects.filter(business=business).select_for_update(),
            expense_id,
            _("No such expense."),
        )
        if expense.status == Expense.Status.VOIDED:
            raise Conflict(_("This expense is already voided."), code="already_voided")
        reversal = ledger.reverse(
            business=business,
            transaction_id=expense.ledger_transaction_id,
            memo=_("Voided: %(reason)s") % {"reason": reason[:150]},
        )
        expense.status, expense.void_reason, expense.voided_at = (
            Expense.Status.VOIDED,
            reason[:300],
            utcnow(),
        )
        expense.reversal_transaction_id = reversal.pk
        expense.save(
            update_fields=["status", "void_reason", "voided_at", "reversal_transaction_id"]
        )
        audit_log(
            action="expense.void",
            actor=actor,
            business=business,
            obj=expense,
            data={"reason": reason[:300]},
        )
    return expense


# ---------------------------------------------------------------- budget


def budget_set(
    *,
    actor,
    business: Business,
    category_id: int,
    month: date,
    amount: int,
    currency: str,
    location_id: int | None = None,
) -> BudgetLine | None:
    """Plan `amount` for a category in a month (a location's, or the whole business's). 0 removes the line."""
    category = (
        ExpenseCategory.objects.filter(business=business, pk=category_id).first()
        if is_db_id(category_id)
        else None
    )
    if category is None:
        _invalid("category_id", _("Choose one of your expense categories."))
    location = None
    if location_id is not None:
        location = (
            Location.objects.filter(business=business, pk=location_id).first()
            if is_db_id(location_id)
            else None
        )
        if location is None:
            _invalid("location_id", _("Choose one of your locations."))
    if not isinstance(month, date) or month.day != 1:
        _invalid("month", _("A budget is for a whole month: give its first day."))
    if not EARLIEST_DATE <= month <= date(2100, 1, 1):
        _invalid("month", _("This month is out of range."))
    _check_amount(amount, allow_zero=True)
    _check_currency(business, currency)
    with transaction.atomic():
        # Lock the category so two editors of the same cell serialise.
        ExpenseCategory.objects.select_for_update().filter(pk=category.pk).first()
        existing = BudgetLine.objects.filter(
            business=business, category=category, location=location, month=month
        ).first()
        if amount == 0:
            if existing:
                existing.delete()
            audit_log(
                action="budget.remove",
                actor=actor,
                business=business,
                obj=category,
                data={"month": month.isoformat()},
            )
            return None
        line = existing or BudgetLine(
            business=business, category=category, location=location, month=month
        )
        line.amount, line.currency = amount, currency
        line.save()
        audit_log(
            action="budget.set",
            actor=actor,
            business=business,
            obj=line,
            data={"amount": amount, "month": month.isoformat()},
        )
    return line


# ---------------------------------------------------------------- commission rules


def commission_rule_create(
    *,
    actor,
    business: Business,
    master_id: int,
    kind: str,
    valid_from: date,
    rate_bp: int = 0,
    amount: int = 0,
    currency: str | None = None,
    service_id: int | None = None,
    valid_until: date | None = None,
) -> CommissionRule:
    master = _get(Master.objects.filter(business=business), master_id, _("No such master."))
    if kind not in CommissionRule.Kind.values:
        _invalid("kind", _("Choose a kind of rule."))
    currency = currency or business.currency
    _check_currency(business, currency)
    if kind in CommissionRule.PERCENT_KINDS:
        if not isinstance(rate_bp, int) or isinstance(rate_bp, bool) or not 0 < rate_bp <= 10000:
            _invalid(
                "rate_bp", _("A percentage is between 0.01 % and 100 % (1 to 10000 basis points).")
            )
        amount = 0
    else:
        _check_amount(amount)
        rate_bp = 0
    service = None
    if service_id is not None:
        if kind not in (CommissionRule.Kind.SERVICE_PERCENT, CommissionRule.Kind.FIXED_PER_SERVICE):
            _invalid("service_id", _("Only a rule on services can be limited to one service."))
        service = (
            Service.objects.filter(business=business, pk=service_id).first()
            if is_db_id(service_id)
            else None
        )
        if service is None:
            _invalid("service_id", _("Choose one of your services."))
    if not isinstance(valid_from, date) or valid_from < EARLIEST_DATE:
        _invalid("valid_from", _("Enter a valid date."))
    if valid_until is not None and (not isinstance(valid_until, date) or valid_until < valid_from):
        _invalid("valid_until", _("The end date cannot be before the start date."))
    rule = CommissionRule(
        business=business,
        master=master,
        kind=kind,
        rate_bp=rate_bp,
        amount=amount,
        currency=currency,
        service=service,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    with transaction.atomic():
        rule.save()
        audit_log(
            action="commission_rule.create",
            actor=actor,
            business=business,
            obj=rule,
            data={"kind": kind, "rate_bp": rate_bp, "amount": amount},
        )
    return rule


def commission_rule_end(
    *, actor, business: Business, rule_id: int, valid_until: date
) -> CommissionRule:
    """Rules are not edited (past statements used them): they end, and a new one starts."""
    with transaction.atomic():
        rule = _get(
            CommissionRule.objects.filter(business=business).select_for_update(),
            rule_id,
            _("No such rule."),
        )
        if not isinstance(valid_until, date) or valid_until < rule.valid_from - timedelta(days=1):
            _invalid("valid_until", _("The end date cannot be before the start date."))
        rule.valid_until = valid_until
        rule.save(update_fields=["valid_until"])
        audit_log(
            action="commission_rule.end",
            actor=actor,
            business=business,
            obj=rule,
            data={"valid_until": valid_until.isoformat()},
        )
    return rule


# ---------------------------------------------------------------- pay statements


MAX_PERIOD_DAYS = 93


def check_period(start, end) -> None:
    if not isinstance(start, date) or not isinstance(end, date):
        _invalid("period_start", _("Enter a valid date."))
    if end < start:
        _invalid("period_end", _("The end date cannot be before the start date."))
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        _invalid(
            "period_end", _("A pay period is at most %(days)s days.") % {"days": MAX_PERIOD_DAYS}
        )


def pay_statement_approve(
    *, actor, business: Business, master_id: int, period_start: date, period_end: date
) -> PayStatement:
    """Freeze a master's pay for a period and post its accrual.

    Debit `expenses:staff_pay` (commissions and fixed pay, per location where
    the work was done) and `tips_payable` (the master's tips), credit
    `staff_pay_payable` with the total.
    """
    check_period(period_start, period_end)
    with transaction.atomic():
        # One statement at a time per master: the lock serialises the overlap check.
        master = _get(
            Master.objects.filter(business=business).select_for_update(),
            master_id,
            _("No such master."),
        )
        overlapping = PayStatement.objects.filter(
            business=business,
            master=master,
            period_start__lte=period_end,
            period_end__gte=period_start,
        ).exclude(status=PayStatement.Status.VOIDED)
        if overlapping.exists():
            raise Conflict(
                _("A statement already covers part of this period for this master."),
                code="period_taken",
            )
        pay = staff.pay_for(business=business, master=master, start=period_start, end=period_end)
        if pay.total < 0:
            raise ValidationFailed(
                _("Refunds exceed this master's earnings in the period; there is nothing to pay."),
                code="negative_pay",
            )
        currency = business.currency
        statement = PayStatement(
            business=business,
            master=master,
            period_start=period_start,
            period_end=period_end,
            currency=currency,
            services_base=pay.services_base,
            products_base=pay.products_base,
            service_commission=pay.service_commission,
            product_commission=pay.product_commission,
            fixed_amount=pay.fixed_amount,
            tips=pay.tips,
            total=pay.total,
            details={
                "lines": pay.lines,
                "tips_by_location": {str(k): v for k, v in pay.tips_by_location.items()},
            },
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        statement.save()
        if pay.total:
            locations = {loc.pk: loc for loc in Location.objects.filter(business=business)}
            lines = []
            for location_id, earned in sorted(
                pay.by_location.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)
            ):
                if earned:
                    lines.append(
                        ledger.Line(
                            "expenses:staff_pay",
                            earned,
                            currency,
                            location=locations.get(location_id),
                            master=master,
                        )
                    )
            for location_id, tips in sorted(
                pay.tips_by_location.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)
            ):
                if tips:
                    lines.append(
                        ledger.Line(
                            "tips_payable",
                            tips,
                            currency,
                            location=locations.get(location_id),
                            master=master,
                        )
                    )
            lines.append(ledger.Line("staff_pay_payable", -pay.total, currency, master=master))
            tx = ledger.post(
                business=business,
                kind="pay_accrual",
                memo=_("Pay of %(master)s, %(start)s – %(end)s")
                % {"master": master.display_name, "start": period_start, "end": period_end},
                lines=lines,
                reference=f"pay:{statement.pk}",
                idempotency_key=f"accounting:pay_accrual:{statement.pk}",
                occurred_at=_period_end_instant(business, period_end),
            )
            statement.accrual_transaction_id = tx.pk
            statement.save(update_fields=["accrual_transaction_id"])
        audit_log(
            action="pay_statement.approve",
            actor=actor,
            business=business,
            obj=statement,
            data={"total": pay.total},
        )
    return statement


def _period_end_instant(business: Business, day: date):
    """The last local day of the period, in the zone of the business's first location."""
    location = Location.objects.filter(business=business).order_by("pk").first()
    zone = location.time_zone if location else "UTC"
    return local_day_bounds(day, zone)[0]


def pay_statement_pay(
    *, actor, business: Business, statement_id: int, paid_from: str
) -> PayStatement:
    """Pay an approved statement: debit `staff_pay_payable`, credit cash or bank."""
    if paid_from not in PaidFrom.values:
        _invalid("paid_from", _("Choose how it was paid."))
    with transaction.atomic():
        statement = _get(
            PayStatement.objects.filter(business=business).select_for_update(),
            statement_id,
            _("No such statement."),
        )
        if statement.status != PayStatement.Status.APPROVED:
            raise Conflict(_("Only an approved, unpaid statement can be paid."), code="not_payable")
        if statement.total:
            tx = ledger.post(
                business=business,
                kind="pay_payment",
                memo=_("Pay of %(master)s, %(start)s – %(end)s")
                % {
                    "master": statement.master.display_name,
                    "start": statement.period_start,
                    "end": statement.period_end,
                },
                lines=[
                    ledger.Line(
                        "staff_pay_payable",
                        statement.total,
                        statement.currency,
                        master=statement.master,
                    ),
                    ledger.Line(paid_from, -statement.total, statement.currency),
                ],
                reference=f"pay:{statement.pk}",
                idempotency_key=f"accounting:pay_payment:{statement.pk}",
            )
            statement.payment_transaction_id = tx.pk
        statement.status, statement.paid_from, statement.paid_at = (
            PayStatement.Status.PAID,
            paid_from,
            utcnow(),
        )
        statement.save(update_fields=["status", "paid_from", "paid_at", "payment_transaction_id"])
        audit_log(
            action="pay_statement.pay",
            actor=actor,
            business=business,
            obj=statement,
            data={"paid_from": paid_from},
        )
    return statement


def pay_statement_void(*, actor, business: Business, statement_id: int) -> PayStatement:
    """Withdraw an approved statement that was not paid (its accrual is reversed)."""
    with transaction.atomic():
        statement = _get(
            PayStatement.objects.filter(business=business).select_for_update(),
            statement_id,
            _("No such statement."),
        )
        if statement.status != PayStatement.Status.APPROVED:
            raise Conflict(
                _("Only an approved, unpaid statement can be voided."), code="not_voidable"
            )
        if statement.accrual_transaction_id:
            reversal = ledger.reverse(
                business=business,
                transaction_id=statement.accrual_transaction_id,
                memo=_("Pay statement withdrawn"),
            )
            statement.reversal_transaction_id = reversal.pk
        statement.status = PayStatement.Status.VOIDED
        statement.save(update_fields=["status", "reversal_transaction_id"])
        audit_log(action="pay_statement.void", actor=actor, business=business, obj=statement)
    return statement
