"""The demo's Paris company: 20 employees on verdier.demo, the HR and employee logins
with the demo password, budgets this month, last month's spending invoiced once (one
issued invoice through billing, the salons settled) and an invitation still open."""

import pytest
from django.db import transaction

from solibook.billing.models import CompanyInvoice
from solibook.corporate import selectors
from solibook.corporate.models import BudgetEntry, Company, Employee, Settlement
from solibook.demo.data import DEMO_PASSWORD
from solibook.demo.seed import seed_demo
from solibook.finance import ledger

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo()
        transaction.set_rollback(True)


def test_the_demo_company_in_paris(demo):
    company = Company.objects.get(domains=["verdier.demo"])
    assert company.city == "Paris"
    employees = Employee.objects.filter(company=company, status="active")
    assert employees.count() == 20
    me = employees.get(email="employee@verdier.demo")
    assert me.user.check_password(DEMO_PASSWORD)
    assert company.admins.get().user.email == "hr@verdier.demo"
    assert company.admins.get().user.check_password(DEMO_PASSWORD)
    assert selectors.balance_of(me) > 0  # this month's budget (and last month's rest)
    assert BudgetEntry.objects.filter(company=company, kind="spend").count() == 8
    invoice = CompanyInvoice.objects.get(customer_ref=f"company:{company.pk}")
    spent = -sum(
        BudgetEntry.objects.filter(company=company, kind="spend").values_list("amount", flat=True)
    )
    assert invoice.total == spent > 0
    assert sum(s.amount for s in Settlement.objects.filter(company=company)) == spent
    assert ledger.balance(business=None, account="wellness_unbilled", currency="EUR") == 0
    # Its e-mail goes to the demo inbox when the seed commits (not in this rolled-back test).
    assert Employee.objects.get(email="new.recruit@verdier.demo").status == "invited"
