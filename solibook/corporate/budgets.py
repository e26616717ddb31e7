"""The budget arithmetic: months in the company's zone, the month's grant with
expiry and rollover, and the balance as the sum of the entries.

Everything that changes a balance runs under the employee's row lock
(`locked_employee`) and recomputes the sum after taking it, so two spends at
once are serialised and the second sees the first (no read-modify-write of a
stored balance: there is none).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Sum

from solibook.corporate.models import BudgetEntry, Company, Employee


def month_of(company: Company, when: datetime) -> date:
    local = when.astimezone(ZoneInfo(company.time_zone))
    return date(local.year, local.month, 1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def local_today(company: Company, when: datetime) -> date:
    return when.astimezone(ZoneInfo(company.time_zone)).date()


def balance(employee: Employee) -> int:
    return BudgetEntry.objects.filter(employee=employee).aggregate(s=Sum("amount"))["s"] or 0


def locked_employee(employee_id: int) -> Employee:
    return Employee.objects.select_for_update().select_related("company").get(pk=employee_id)


def refresh(employee: Employee, now: datetime) -> None:
    """Grant the current month once (unique keys), expiring first what is above the
    rollover cap. Call under the employee's row lock. Only an active employee of an
    active company is granted; a month already granted changes nothing."""
    company = employee.company
    if employee.status != Employee.Status.ACTIVE or not company.is_active:
        return
    month = month_of(company, now)
    grant_key = f"grant:{employee.pk}:{month.isoformat()}"
    if BudgetEntry.objects.filter(key=grant_key).exists():
        return
    left = balance(employee)
    if left > company.rollover_cap:
        BudgetEntry.objects.create(
            employee=employee,
            company=company,
            kind=BudgetEntry.Kind.EXPIRE,
            amount=-(left - company.rollover_cap),
            currency=company.currency,
            month=month,
            key=f"expire:{employee.pk}:{month.isoformat()}",
            created_at=now,
        )
    BudgetEntry.objects.create(  # even of 0: the month is done once
        employee=employee,
        company=company,
        kind=BudgetEntry.Kind.GRANT,
        amount=employee.budget_amount(),
        currency=company.currency,
        month=month,
        key=grant_key,
        created_at=now,
    )
