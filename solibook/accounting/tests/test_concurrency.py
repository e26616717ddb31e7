"""Races on PostgreSQL: one pay statement per master and period, one void per expense."""

from datetime import date

import pytest
from django_scopes import scopes_disabled

from solibook.accounting import services
from solibook.accounting.models import Expense, PayStatement
from solibook.accounting.tests.helpers import expense
from solibook.catalog.models import Category
from solibook.catalog.taxonomy import load_into
from solibook.core.errors import Conflict, DomainError
from solibook.core.tenancy import business_scope
from solibook.finance import ledger
from solibook.finance.models import LedgerTransaction
from solibook.testing.races import race

RACERS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_approvals_of_one_period_make_one_statement(salon):
    business = salon.business
    try:
        with business_scope(business):
            services.commission_rule_create(
                actor=None,
                business=business,
                master_id=salon.lea.pk,
                kind="fixed_per_period",
                amount=100000,
                valid_from=date(2030, 1, 1),
            )

        def attempt(i):
            # Overlapping periods, not only the same one: the master's lock serialises the check.
            with business_scope(business):
                return services.pay_statement_approve(
                    actor=None,
                    business=business,
                    master_id=salon.lea.pk,
                    period_start=date(2030, 6, 1 + i),
                    period_end=date(2030, 6, 30),
                )

        results = race(RACERS, attempt)
        wins = [r for r in results if isinstance(r, PayStatement)]
        assert len(wins) == 1, results
        assert all(
            isinstance(r, PayStatement) or (isinstance(r, Conflict) and r.code == "period_taken")
            for r in results
        ), results
        with scopes_disabled():
            assert PayStatement.objects.filter(business=business).count() == 1
            assert (
                LedgerTransaction.objects.filter(business=business, kind="pay_accrual").count() == 1
            )
        assert (
            ledger.balance(business=business, account="staff_pay_payable", currency="EUR")
            == -wins[0].total
        )
    finally:
        load_into(Category)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_voids_of_one_expense_reverse_it_once(salon):
    business = salon.business
    try:
        e = expense(salon, amount=5000)

        def attempt(i):
            with business_scope(business):
                return services.expense_void(
                    actor=None, business=business, expense_id=e.pk, reason=f"try {i}"
                )

        results = race(RACERS, attempt)
        assert len([r for r in results if isinstance(r, Expense)]) == 1, results
        assert all(
            isinstance(r, Expense) or (isinstance(r, DomainError) and r.code == "already_voided")
            for r in results
        ), results
        assert ledger.balance(business=business, account="expenses:rent", currency="EUR") == 0
        assert ledger.balance(business=business, account="bank", currency="EUR") == 0
    finally:
        load_into(Category)
