"""The ledger: balanced, append-only, reversible, idempotent; balances are sums."""

from collections import defaultdict
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.db.utils import IntegrityError
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from solibook.core.errors import Conflict, ValidationFailed
from solibook.finance import accounts, ledger
from solibook.finance.ledger import Line
from solibook.finance.models import AppendOnly, LedgerEntry, LedgerTransaction
from solibook.testing.factories import BusinessFactory

WHEN = datetime(2030, 6, 3, 10, tzinfo=UTC)


def sale(business, amount=1000, currency="EUR", **kw):
    return ledger.post(
        business=business,
        kind="sale",
        memo="test",
        occurred_at=WHEN,
        lines=[
            Line(accounts.CASH, amount, currency),
            Line(accounts.revenue("hair"), -amount, currency),
        ],
        **kw,
    )


@pytest.mark.django_db
class TestPost:
    def test_balanced_transaction_is_written_and_balances_follow(self):
        business = BusinessFactory()
        sale(business, 1000)
        sale(business, 250)
        assert ledger.balance(business=business, account="cash", currency="EUR") == 1250
        assert ledger.balance(business=business, account="revenue:hair", currency="EUR") == -1250
        assert ledger.balances(business=business, currency="EUR") == {
            "cash": 1250,
            "revenue:hair": -1250,
        }

    def test_unbalanced_is_refused_and_nothing_written(self):
        business = BusinessFactory()
        with pytest.raises(ValidationFailed) as err:
            ledger.post(
                business=business,
                kind="x",
                memo="x",
                lines=[Line("cash", 1000, "EUR"), Line("revenue:hair", -999, "EUR")],
            )
        assert err.value.code == "ledger_unbalanced"
        with scopes_disabled():
            assert LedgerEntry.objects.count() == 0 and LedgerTransaction.objects.count() == 0

    def test_each_currency_must_balance_on_its_own(self):
        business = BusinessFactory()
        with pytest.raises(ValidationFailed) as err:
            ledger.post(
                business=business,
                kind="x",
                memo="x",
                lines=[Line("cash", 1000, "EUR"), Line("revenue:hair", -1000, "USD")],
            )
        assert "EUR" in err.value.message and "USD" in err.value.message

    @pytest.mark.parametrize(
        ("line", "code"),
        [
            (Line("nonsense", 1, "EUR"), "ledger_unknown_account"),
            (Line("revenue:Bad Slug", 1, "EUR"), "ledger_unknown_account"),
            (Line("cash", 1, "XXZ"), "currency_unknown"),
            (Line("cash", 1.5, "EUR"), "ledger_not_integer"),
            (
                Line("commission_income", 1, "EUR"),
                "ledger_unknown_account",
            ),  # a platform account in a salon's books
        ],
    )
    def test_bad_lines_are_refused(self, line, code):
        business = BusinessFactory()
        with pytest.raises(ValidationFailed) as err:
            ledger.post(
                business=business, kind="x", memo="x", lines=[line, Line("equity", -1, "EUR")]
            )
        assert err.value.code == code

    def test_platform_books_are_separate(self):
        business = BusinessFactory()
        ledger.post(
            business=None,
            kind="commission",
            memo="x",
            lines=[Line("receivables", 300, "EUR"), Line("commission_income", -300, "EUR")],
        )
        sale(business, 1000)
        assert ledger.balance(business=None, account="commission_income", currency="EUR") == -300
        assert ledger.balance(business=business, account="cash", currency="EUR") == 1000
        assert ledger.balance(business=None, account="cash", currency="EUR") == 0

    def test_idempotency_key_posts_once_per_book(self):
        a, b = BusinessFactory(), BusinessFactory()
        first = sale(a, 1000, idempotency_key="k1")
        again = sale(a, 1000, idempotency_key="k1")
        other_book = sale(b, 1000, idempotency_key="k1")
        assert first.pk == again.pk != other_book.pk
        assert ledger.balance(business=a, account="cash", currency="EUR") == 1000

    def test_reversal_restores_balances_once(self):
        business = BusinessFactory()
        tx = sale(business, 1000)
        ledger.reverse(tx, memo="mistake")
        assert ledger.balance(business=business, account="cash", currency="EUR") == 0
        with pytest.raises(Conflict):
            ledger.reverse(tx, memo="again")

    def test_rows_cannot_be_changed_through_the_orm(self):
        business = BusinessFactory()
        tx = sale(business)
        with scopes_disabled():
            entry = LedgerEntry.objects.filter(transaction=tx).first()
            entry.amount = 5
            with pytest.raises(AppendOnly):
                entry.save()
            with pytest.raises(AppendOnly):
                entry.delete()
            with pytest.raises(AppendOnly):
                LedgerEntry.objects.filter(transaction=tx).update(amount=1)
            with pytest.raises(AppendOnly):
                LedgerTransaction.objects.filter(pk=tx.pk).delete()


@pytest.mark.postgres
@pytest.mark.django_db
class TestDatabaseRules:
    def test_update_and_delete_refused_by_the_database(self):
        business = BusinessFactory()
        tx = sale(business)
        for sql in (
            "UPDATE finance_ledgerentry SET amount = 1 WHERE transaction_id = %s",
            "DELETE FROM finance_ledgerentry WHERE transaction_id = %s",
        ):
            with (
                pytest.raises(IntegrityError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, [tx.pk])

    def test_unbalanced_insert_refused_at_commit(self):
        business = BusinessFactory()
        tx = sale(business)
        with (
            pytest.raises(IntegrityError, match="does not balance"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "INSERT INTO finance_ledgerentry (transaction_id, business_id, account, amount, currency, occurred_at) VALUES (%s, %s, 'cash', 5, 'EUR', now())",
                [tx.pk, business.pk],
            )
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


ACCOUNTS = [
    "cash",
    "card",
    "online",
    "deposits_held",
    "revenue:hair",
    "retail_revenue",
    "taxes_payable",
    "tips_payable",
    "refunds",
]


class LedgerMachine(RuleBasedStateMachine):
    """Random posts, refused posts and reversals: every transaction balances and
    every balance equals the sum of the model's own bookkeeping."""

    @initialize()
    def setup(self):
        self.business = BusinessFactory()
        self.expected: dict[tuple[str, str], int] = defaultdict(int)
        self.posted: list[LedgerTransaction] = []
        self.reversed: set[int] = set()

    @rule(
        amounts=st.lists(
            st.tuples(st.sampled_from(ACCOUNTS), st.integers(-(10**9), 10**9)),
            min_size=1,
            max_size=6,
        ),
        currency=st.sampled_from(["EUR", "USD"]),
        balance_it=st.booleans(),
    )
    def post(self, amounts, currency, balance_it):
        lines = [Line(a, n, currency) for a, n in amounts]
        total = sum(n for _a, n in amounts)
        if balance_it and total:
            lines.append(Line("equity", -total, currency))
        balanced = balance_it or total == 0
        nonzero = any(line.amount for line in lines)
        try:
            tx = ledger.post(business=self.business, kind="random", memo="m", lines=lines)
        except ValidationFailed as exc:
            assert not (balanced and nonzero), exc.message
            return
        assert balanced and nonzero
        for line in lines:
            self.expected[(line.account, currency)] += line.amount
        self.posted.append(tx)

    @precondition(lambda self: any(tx.pk not in self.reversed for tx in self.posted))
    @rule(data=st.data())
    def reverse(self, data):
        tx = data.draw(st.sampled_from([tx for tx in self.posted if tx.pk not in self.reversed]))
        for line in ledger.lines_of(tx):
            self.expected[(line.account, line.currency)] -= line.amount
        ledger.reverse(tx, memo="fix")
        self.reversed.add(tx.pk)

    @rule(amount=st.integers(1, 10**6))
    def refund_pair(self, amount):
        """A sale then a refund of part of it (cash in, cash out)."""
        ledger.post(
            business=self.business,
            kind="sale",
            memo="s",
            lines=[Line("cash", amount, "EUR"), Line("revenue:hair", -amount, "EUR")],
        )
        part = max(1, amount // 3)
        ledger.post(
            business=self.business,
            kind="refund",
            memo="r",
            lines=[Line("refunds", part, "EUR"), Line("cash", -part, "EUR")],
        )
        for key, n in (
            (("cash", "EUR"), amount - part),
            (("revenue:hair", "EUR"), -amount),
            (("refunds", "EUR"), part),
        ):
            self.expected[key] += n

    @invariant()
    def books_balance(self):
        if not hasattr(self, "business"):
            return
        with scopes_disabled():
            per_tx = defaultdict(int)
            for tx_id, currency, amount in LedgerEntry.objects.filter(
                business=self.business
            ).values_list("transaction_id", "currency", "amount"):
                per_tx[(tx_id, currency)] += amount
        assert all(total == 0 for total in per_tx.values())
        got = ledger.balances(business=self.business, by=("account", "currency"))
        want = {k: v for k, v in self.expected.items() if v}
        assert {k: v for k, v in got.items() if v} == want


@pytest.mark.django_db
def test_ledger_state_machine():
    LedgerMachine.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(LedgerMachine, settings=LedgerMachine.TestCase.settings)
