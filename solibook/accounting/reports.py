"""Reports read from the ledger: profit and loss, cash flow, budget vs actual.

Every amount comes from `finance`'s ledger entries (`accounting.queries`);
budget lines are plans, not money. Revenue is shown positive (credits),
expenses positive (debits); refunds reduce revenue. Months are local
calendar months of each location.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from solibook.accounting import queries, staff
from solibook.accounting.models import BudgetLine, ExpenseCategory
from solibook.finance import accounts
from solibook.finance.accounts import EXPENSE, REVENUE
from solibook.finance.selectors import account_labels as finance_account_labels

MONEY_ACCOUNTS = accounts.MONEY_ACCOUNTS


def account_labels(*, business, codes) -> dict[str, str]:
    """finance's labels, with each expense category's own name and staff pay."""
    labels = finance_account_labels(codes)
    expense_names = {c.account: c.name for c in ExpenseCategory.objects.filter(business=business)}
    for code in codes:
        if code == "expenses:staff_pay":
            labels[code] = _("Staff pay")
        elif code in expense_names:
            labels[code] = expense_names[code]
    return labels


@dataclass
class Row:
    account: str
    label: str
    total: int
    by_month: list[int]


@dataclass
class ProfitAndLoss:
    currency: str
    start: date
    end: date
    months: list[date]
    revenue: list[Row] = field(default_factory=list)
    expenses: list[Row] = field(default_factory=list)
    # Completed visits not checked out: work done the ledger has not seen (not in
    # the revenue; staff performance counts them, net of VAT, at their booked price).
    unrecorded_visits: int = 0
    unrecorded_value: int = 0

    @property
    def revenue_total(self) -> int:
        return sum(r.total for r in self.revenue)

    @property
    def expenses_total(self) -> int:
        return sum(r.total for r in self.expenses)

    @property
    def net(self) -> int:
        return self.revenue_total - self.expenses_total

    def _total(self, rows: list[Row], account: str) -> int:
        return sum(r.total for r in rows if r.account == account)

    @property
    def retail_sales(self) -> int:
        """Products sold at the till, net of VAT (the stock app posts their cost)."""
        return self._total(self.revenue, accounts.RETAIL_REVENUE)

    @property
    def retail_cost(self) -> int:
        """What the products sold cost, at the weighted-average cost when sold."""
        return self._total(self.expenses, accounts.COST_OF_GOODS_SOLD)

    @property
    def retail_margin(self) -> int:
        return self.retail_sales - self.retail_cost

    @property
    def materials_used(self) -> int:
        return self._total(self.expenses, accounts.MATERIALS_USED)

    def series(self, rows: list[Row]) -> list[int]:
        return [sum(r.by_month[i] for r in rows) for i in range(len(self.months))]

    def chart(self) -> dict:
        revenue, expenses = self.series(self.revenue), self.series(self.expenses)
        return {
            "currency": self.currency,
            "labels": [m.strftime("%Y-%m") for m in self.months],
            "revenue": revenue,
            "expenses": expenses,
            "net": [r - e for r, e in zip(revenue, expenses, strict=True)],
        }


def _rows(sums, months, codes, labels, sign) -> list[Row]:
    index = {m: i for i, m in enumerate(months)}
    rows = []
    for code in sorted(codes, key=lambda c: labels[c].lower()):
        by_month = [0] * len(months)
        for (account, month), total in sums.items():
            if account == code and month in index:
                by_month[index[month]] += sign * total
        rows.append(Row(code, labels[code], sum(by_month), by_month))
    return rows


def profit_and_loss(
    *, business, start: date, end: date, location_id: int | None = None
) -> ProfitAndLoss:
    currency = business.currency
    sums = queries.sums_by_account_month(
        business=business,
        currency=currency,
        start=start,
        end=end,
        location_id=location_id,
        accounts=~Q(account__in=MONEY_ACCOUNTS),
    )
    months = queries.months_between(start, end)
    codes = {account for account, _month in sums}
    revenue_codes = {c for c in codes if accounts.nature(c) == REVENUE}
    expense_codes = {c for c in codes if accounts.nature(c) == EXPENSE}
    labels = account_labels(business=business, codes=revenue_codes | expense_codes)
    report = ProfitAndLoss(currency, start, end, months)
    report.revenue = [
        r for r in _rows(sums, months, revenue_codes, labels, -1) if r.total or any(r.by_month)
    ]
    report.expenses = [
        r for r in _rows(sums, months, expense_codes, labels, 1) if r.total or any(r.by_month)
    ]
    report.unrecorded_visits, report.unrecorded_value = staff.unrecorded_visits(
        business=business, start=start, end=end, location_id=location_id
    )
    return report


@dataclass
class CashFlow:
    currency: str
    months: list[date]
    opening: int
    inflow: list[int]
    outflow: list[int]
    by_account: list[Row]

    @property
    def closing(self) -> int:
        return self.opening + sum(self.inflow) - sum(self.outflow)

    def chart(self) -> dict:
        balance, running = [], self.opening
        for i, o in zip(self.inflow, self.outflow, strict=True):
            running += i - o
            balance.append(running)
        return {
            "currency": self.currency,
            "labels": [m.strftime("%Y-%m") for m in self.months],
            "inflow": self.inflow,
            "outflow": self.outflow,
            "balance": balance,
        }


def cash_flow(*, business, start: date, end: date, location_id: int | None = None) -> CashFlow:
    """Money in and out of cash, card, online and bank per month. Moves between
    two money accounts (card takings settled to the bank) are left out."""
    currency = business.currency
    money = Q(account__in=MONEY_ACCOUNTS)
    months = queries.months_between(start, end)
    index = {m: i for i, m in enumerate(months)}
    inflow, outflow = [0] * len(months), [0] * len(months)
    per_account: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    # Net per transaction and month, so an internal transfer nets to zero.
    for window in queries.windows(business=business, start=start, end=end, location_id=location_id):
        base = (
            queries.entries(business=business, currency=currency)
            .filter(queries._window_q(window))
            .filter(money)
        )
        month = TruncMonth("occurred_at", tzinfo=ZoneInfo(window.zone))
        for row in (
            base.annotate(month=month)
            .order_by()
            .values("transaction_id", "month")
            .annotate(total=Sum("amount"))
        ):
            m = row["month"].date() if hasattr(row["month"], "date") else row["month"]
            i = index.get(m.replace(day=1))
            if i is None:
                continue
            if row["total"] > 0:
                inflow[i] += int(row["total"])
            else:
                outflow[i] += -int(row["total"])
        for row in (
            base.annotate(month=month)
            .order_by()
            .values("account", "month")
            .annotate(total=Sum("amount"))
        ):
            m = row["month"].date() if hasattr(row["month"], "date") else row["month"]
            i = index.get(m.replace(day=1))
            if i is not None:
                per_account[row["account"]][i] += int(row["total"])
    opening = sum(
        queries.sums_before(
            business=business, currency=currency, day=start, location_id=location_id, accounts=money
        ).values()
    )
    labels = account_labels(business=business, codes=list(per_account))
    rows = [Row(code, labels[code], sum(v), v) for code, v in sorted(per_account.items())]
    return CashFlow(currency, months, opening, inflow, outflow, rows)


@dataclass
class BudgetRow:
    category: ExpenseCategory
    planned: int
    actual: int

    @property
    def difference(self) -> int:
        return self.planned - self.actual

    @property
    def used_percent(self) -> int | None:
        return None if not self.planned else round(self.actual * 100 / self.planned)


def budget_vs_actual(
    *, business, start: date, end: date, location_id: int | None = None
) -> list[BudgetRow]:
    """Planned and actual per category over the months of [start, end]. For the
    whole business a business-wide line wins over the sum of its locations' lines."""
    grid = budget_grid(business=business, start=start, end=end, location_id=location_id)
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (category_id, _month), (plan, actual) in grid.items():
        totals[category_id][0] += plan
        totals[category_id][1] += actual
    rows = []
    for category in ExpenseCategory.objects.filter(business=business).order_by("name"):
        plan, actual = totals.get(category.pk, (0, 0))
        if plan or actual or category.is_active:
            rows.append(BudgetRow(category, plan, actual))
    return rows


def budget_grid(
    *, business, start: date, end: date, location_id: int | None = None
) -> dict[tuple[int, date], tuple[int, int]]:
    """{(category id, month): (planned, actual)} for every month of the period, in two queries."""
    months = queries.months_between(start, end)
    sums = queries.sums_by_account_month(
        business=business,
        currency=business.currency,
        start=start,
        end=end,
        location_id=location_id,
        accounts=Q(account__startswith=accounts.EXPENSES_PREFIX),
    )
    by_account = {c.account: c.pk for c in ExpenseCategory.objects.filter(business=business)}
    result: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    for (account, month), total in sums.items():
        if account in by_account:
            result[(by_account[account], month)][1] += total
    lines = BudgetLine.objects.filter(
        business=business, month__in=months, currency=business.currency
    )
    if location_id is not None:
        for line in lines.filter(location_id=location_id):
            result[(line.category_id, line.month)][0] += line.amount
    else:
        wide = {
            (line.category_id, line.month): line.amount
            for line in lines.filter(location__isnull=True)
        }
        per_location: dict[tuple[int, date], int] = defaultdict(int)
        for line in lines.filter(location__isnull=False):
            per_location[(line.category_id, line.month)] += line.amount
        for key in set(wide) | set(per_location):
            result[key][0] += wide.get(key, per_location.get(key, 0))
    return {key: (value[0], value[1]) for key, value in result.items()}
