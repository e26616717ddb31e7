"""Reads of corporate wellness.

HR reads amounts, months, salons and participation only: the budget entries
they read from carry no service, so no report can name a treatment.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from solibook.billing.models import CompanyInvoice
from solibook.catalog.models import Business
from solibook.core.errors import NotFound
from solibook.core.tenancy import scopes_disabled
from solibook.corporate import budgets
from solibook.corporate.models import BudgetEntry, Company, Employee, MonthClose

SPENDING = [BudgetEntry.Kind.SPEND, BudgetEntry.Kind.REFUND]


def company_for_admin(*, user, slug: str) -> Company:
    """The company this HR admin runs (platform staff see every one); else 404."""
    company = Company.objects.filter(slug=slug).first()
    if company is None or not (
        user.is_authenticated and (user.is_staff or company.admins.filter(user=user).exists())
    ):
        raise NotFound(_("No such company."))
    return company


def companies_of_admin(user) -> QuerySet[Company]:
    if not user.is_authenticated:
        return Company.objects.none()
    return Company.objects.filter(admins__user=user).order_by("name")


def employee_of(user) -> Employee | None:
    if not user.is_authenticated:
        return None
    return (
        Employee.objects.select_related("company")
        .filter(user=user)
        .exclude(status=Employee.Status.INVITED)
        .order_by("status", "-joined_at")  # active before left
        .first()
    )


def balance_of(employee: Employee) -> int:
    return budgets.balance(employee)


def history_of(employee: Employee, limit: int = 50) -> list[BudgetEntry]:
    """The employee's own movements (salon names: theirs to see)."""
    return list(
        BudgetEntry.objects.filter(employee=employee)
        .select_related("business")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class EmployeeRow:
    employee: Employee
    balance: int
    spent_this_month: int


def employees_with_balances(company: Company, *, month: date) -> list[EmployeeRow]:
    rows = (
        Employee.objects.filter(company=company)
        .annotate(
            held=Sum("entries__amount"),
            spent=Sum(
                "entries__amount", filter=Q(entries__month=month, entries__kind__in=SPENDING)
            ),
        )
        .order_by("status", "email")
    )
    return [EmployeeRow(e, e.held or 0, -(e.spent or 0)) for e in rows]


@dataclass(frozen=True)
class UsageRow:
    month: date
    employee_email: str
    salon: str
    amount: int  # spent, net of refunds, minor units


@dataclass(frozen=True)
class Participation:
    month: date
    employees: int  # active at the month's end or joined during it
    spending: int  # of them, who spent something
    amount: int


def usage(company: Company, *, since: date, until: date) -> list[UsageRow]:
    """Spend per employee, month and salon in [since, until) — never a service."""
    found = (
        BudgetEntry.objects.filter(
            company=company, kind__in=SPENDING, month__gte=since, month__lt=until
        )
        .values("month", "employee__email", "business_id")
        .annotate(total=Sum("amount"))
        .order_by("-month", "employee__email", "business_id")
    )
    rows = list(found)
    names = dict(
        Business.objects.filter(pk__in={r["business_id"] for r in rows}).values_list("pk", "name")
    )
    return [
        UsageRow(r["month"], r["employee__email"], names.get(r["business_id"], ""), -r["total"])
        for r in rows
        if r["total"]
    ]


def participation(company: Company, *, since: date, until: date) -> list[Participation]:
    enrolled = Employee.objects.filter(company=company).exclude(status=Employee.Status.INVITED)
    out = []
    month = since
    while month < until:
        end = budgets.next_month(month)
        members = enrolled.filter(joined_at__date__lt=end).count()
        spent = BudgetEntry.objects.filter(company=company, kind__in=SPENDING, month=month)
        stats = spent.aggregate(people=Count("employee", distinct=True), total=Sum("amount"))
        out.append(Participation(month, members, stats["people"] or 0, -(stats["total"] or 0)))
        month = end
    return list(reversed(out))


def invoices_of(company: Company) -> list[CompanyInvoice]:
    return list(CompanyInvoice.objects.filter(customer_ref=f"company:{company.pk}"))


def invoice_of(company: Company, invoice_id: int) -> CompanyInvoice:
    invoice = CompanyInvoice.objects.filter(
        customer_ref=f"company:{company.pk}", pk=invoice_id
    ).first()
    if invoice is None:
        raise NotFound(_("No such invoice."))
    return invoice


def closable_months(company: Company, *, today: date, back: int = 6) -> list[date]:
    """Ended months not yet closed, the latest first."""
    closed = set(MonthClose.objects.filter(company=company).values_list("month", flat=True))
    month = date(today.year, today.month, 1)
    out = []
    for _i in range(back):
        month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
        if month not in closed:
            out.append(month)
    return out


def wellness_step_due(*, user, appointment) -> bool:
    """The booking wizard's payment step offers the budget: an active employee with
    money in it, whose visit has not been paid from it yet."""
    from solibook.finance.models import Payment

    employee = (
        Employee.objects.select_related("company")
        .filter(user=user, status=Employee.Status.ACTIVE, company__is_active=True)
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if employee is None or appointment.account_id != user.pk:
        return False
    if budgets.balance(employee) <= 0 and employee.budget_amount() <= 0:
        return False
    with scopes_disabled():  # the visit's own payments, its salon named
        return not Payment.objects.filter(
            business_id=appointment.business_id, appointment=appointment, tender="wellness_budget"
        ).exists()
