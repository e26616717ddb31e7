"""Two spends of one budget at once never overspend (PostgreSQL, two connections):
the employee's row lock serialises them and the second recomputes the balance."""

import pytest
from django.db import transaction
from django.test import TestCase

from solibook.core.errors import DomainError
from solibook.corporate import selectors, services
from solibook.corporate.models import BudgetEntry, Employee
from solibook.finance.models import Payment
from solibook.testing.booking import client_books
from solibook.testing.factories import UserFactory, category
from solibook.testing.races import outcome, race
from solibook.testing.salon import NOW


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_visits_paid_from_one_budget_at_once_spend_it_once(salon):
    category("womens-haircut")
    company = services.company_create(
        actor=UserFactory(is_staff=True),
        name="Acme",
        city="Paris",
        domains=["acme.test"],
        monthly_budget=6000,
        now=NOW,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.employee_invite(company=company, email="lina@acme.test", actor=None, now=NOW)
    from django.core import mail

    token = mail.outbox[-1].body.split("/wellness/join/")[1].split("/")[0]
    lina = UserFactory(email="lina@acme.test")
    employee = services.invitation_accept(token=token, user=lina, now=NOW)
    visits = [client_books(salon, lina, hour=h, now=NOW) for h in (10, 14)]  # 45.00 each

    def attempt(i):
        with transaction.atomic():
            services.visit_pay_with_budget(
                account=lina, appointment_id=visits[i].pk, amount=4500, now=NOW
            )
        return "paid"

    results = [outcome(r) for r in race(2, attempt)]
    assert sorted(map(str, results)) == ["budget_insufficient", "paid"], results
    employee = Employee.objects.get(pk=employee.pk)
    assert selectors.balance_of(employee) == 1500
    assert BudgetEntry.objects.filter(employee=employee, kind="spend").count() == 1
    from django_scopes import scopes_disabled

    with scopes_disabled():
        assert Payment.objects.filter(tender="wellness_budget").count() == 1
    assert all(not isinstance(r, DomainError) or r.code == "budget_insufficient" for r in results)
