"""Reports read the ledger: P&L equals ledger sums, months cut at each
location's midnight, budget vs actual, cash flow."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solibook.accounting import reports, services
from solibook.accounting.tests.helpers import category, expense, sale
from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance import ledger
from solibook.testing.factories import LocationFactory

pytestmark = pytest.mark.django_db

YEAR = (date(2030, 1, 1), date(2030, 12, 31))


def pnl(salon, start=YEAR[0], end=YEAR[1], location_id=None):
    with business_scope(salon.business):
        return reports.profit_and_loss(
            business=salon.business, start=start, end=end, location_id=location_id
        )


def test_pnl_shows_revenue_expenses_and_net_from_the_ledger(salon):
    sale(
        salon.business,
        at=datetime(2030, 3, 5, 10, tzinfo=UTC),
        amount=4500,
        tax=900,
        tip=500,
        location=salon.location,
        master=salon.lea,
    )
    sale(
        salon.business,
        at=datetime(2030, 4, 5, 10, tzinfo=UTC),
        amount=8000,
        category="colouring",
        location=salon.location,
        master=salon.lea,
    )
    expense(salon, amount=120000, day=date(2030, 4, 1))
    report = pnl(salon)
    assert report.revenue_total == 12500  # tax and tips are not revenue
    assert report.expenses_total == 120000
    assert report.net == 12500 - 120000
    chart = report.chart()
    assert chart["labels"][2:4] == ["2030-03", "2030-04"]
    assert chart["revenue"][2:4] == [4500, 8000]
    assert chart["expenses"][3] == 120000
    assert {r.account for r in report.revenue} == {"revenue:womens-haircut", "revenue:colouring"}


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    postings=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "revenue:womens-haircut",
                    "retail_revenue",
                    "expenses:rent",
                    "expenses:marketing",
                    "refunds",
                    "platform_fees",
                ]
            ),
            st.integers(min_value=1, max_value=10**7),
            st.integers(min_value=0, max_value=400),  # day offset from 2029-12-15
        ),
        max_size=12,
    )
)
def test_pnl_equals_the_ledger_sums(salon, postings):
    """Whatever was posted, the P&L's totals are the ledger's own sums over the
    same instants (examples share the test's database: both sides accumulate)."""
    business = salon.business
    with scopes_disabled():
        for account, amount, offset in postings:
            at = datetime(2029, 12, 15, 12, tzinfo=UTC) + timedelta(days=offset)
            ledger.post(
                business=business,
                kind="test",
                memo="t",
                lines=[
                    ledger.Line(account, amount, "EUR", location=salon.location),
                    ledger.Line("cash", -amount, "EUR", location=salon.location),
                ],
                occurred_at=at,
            )
    report = pnl(salon)
    start, end = (
        datetime(2029, 12, 31, 23, tzinfo=UTC),
        datetime(2030, 12, 31, 23, tzinfo=UTC),
    )  # Paris midnights
    sums = ledger.balances(business=business, since=start, until=end)
    revenue = -sum(
        v for k, v in sums.items() if k.startswith("revenue:") or k in ("retail_revenue", "refunds")
    )
    expenses_ = sum(v for k, v in sums.items() if k.startswith("expenses:") or k == "platform_fees")
    assert report.revenue_total == revenue
    assert report.expenses_total == expenses_
    assert sum(report.chart()["net"]) == report.net


def test_a_month_ends_at_each_locations_own_midnight(salon):
    """21:30 UTC on 30 June is still June in Paris (23:30) but already July in Moscow (00:30)."""
    moscow = LocationFactory(business=salon.business, time_zone="Europe/Moscow", city="Moscow")
    at = datetime(2030, 6, 30, 21, 30, tzinfo=UTC)
    sale(salon.business, at=at, amount=1000, location=salon.location)
    sale(salon.business, at=at, amount=7000, location=moscow)
    june = pnl(salon, date(2030, 6, 1), date(2030, 6, 30))
    july = pnl(salon, date(2030, 7, 1), date(2030, 7, 31))
    assert june.revenue_total == 1000 and july.revenue_total == 7000
    assert pnl(salon, date(2030, 6, 1), date(2030, 6, 30), location_id=moscow.pk).revenue_total == 0
    assert (
        pnl(salon, date(2030, 7, 1), date(2030, 7, 31), location_id=moscow.pk).revenue_total == 7000
    )
    year = pnl(salon)
    assert year.chart()["revenue"][5:7] == [1000, 7000]


def test_the_dst_day_does_not_lose_an_hour(salon):
    # 27 October 2030 in Paris lasts 25 hours: 22:30 UTC is 23:30 local, still that day.
    sale(
        salon.business,
        at=datetime(2030, 10, 27, 22, 30, tzinfo=UTC),
        amount=300,
        location=salon.location,
    )
    assert pnl(salon, date(2030, 10, 27), date(2030, 10, 27)).revenue_total == 300
    assert pnl(salon, date(2030, 10, 28), date(2030, 10, 28)).revenue_total == 0


def test_per_location_pnl_leaves_other_locations_out(salon):
    other = LocationFactory(business=salon.business, time_zone="Europe/Paris")
    sale(
        salon.business,
        at=datetime(2030, 2, 1, 12, tzinfo=UTC),
        amount=1000,
        location=salon.location,
    )
    sale(salon.business, at=datetime(2030, 2, 1, 12, tzinfo=UTC), amount=2000, location=other)
    assert pnl(salon, location_id=salon.location.pk).revenue_total == 1000
    assert pnl(salon, location_id=other.pk).revenue_total == 2000
    assert pnl(salon).revenue_total == 3000


def test_cash_flow_counts_money_in_and_out_and_ignores_transfers(salon):
    sale(
        salon.business,
        at=datetime(2030, 3, 1, 12, tzinfo=UTC),
        amount=10000,
        tender="card",
        location=salon.location,
    )
    expense(salon, amount=3000, day=date(2030, 3, 10), paid_from="cash")
    with scopes_disabled():
        # The card takings settle to the bank: money changes account, not amount.
        ledger.post(
            business=salon.business,
            kind="settlement",
            memo="payout",
            lines=[
                ledger.Line("bank", 10000, "EUR", location=salon.location),
                ledger.Line("card", -10000, "EUR", location=salon.location),
            ],
            occurred_at=datetime(2030, 3, 3, tzinfo=UTC),
        )
        ledger.post(
            business=salon.business,
            kind="opening",
            memo="opening",
            lines=[
                ledger.Line("cash", 50000, "EUR", location=salon.location),
                ledger.Line("equity", -50000, "EUR", location=salon.location),
            ],
            occurred_at=datetime(2029, 12, 1, tzinfo=UTC),
        )
    with business_scope(salon.business):
        flow = reports.cash_flow(business=salon.business, start=YEAR[0], end=YEAR[1])
    assert flow.opening == 50000
    assert flow.inflow[2] == 10000 and flow.outflow[2] == 3000
    assert flow.closing == 50000 + 10000 - 3000
    assert {r.account: r.total for r in flow.by_account} == {
        "card": 0,
        "bank": 10000,
        "cash": -3000,
    }
    assert flow.chart()["balance"][-1] == flow.closing


def test_budget_vs_actual(salon):
    rent, marketing = category(salon.business, "rent"), category(salon.business, "marketing")
    with business_scope(salon.business):
        services.budget_set(
            actor=None,
            business=salon.business,
            category_id=rent.pk,
            month=date(2030, 5, 1),
            amount=100000,
            currency="EUR",
        )
        services.budget_set(
            actor=None,
            business=salon.business,
            category_id=marketing.pk,
            month=date(2030, 5, 1),
            amount=20000,
            currency="EUR",
            location_id=salon.location.pk,
        )
        # Setting again replaces; 0 removes.
        services.budget_set(
            actor=None,
            business=salon.business,
            category_id=rent.pk,
            month=date(2030, 5, 1),
            amount=110000,
            currency="EUR",
        )
    expense(salon, amount=120000, day=date(2030, 5, 3), code="rent")
    expense(salon, amount=5000, day=date(2030, 5, 4), code="marketing")
    expense(salon, amount=7000, day=date(2030, 6, 4), code="marketing")  # another month
    with business_scope(salon.business):
        rows = {
            r.category.code: r
            for r in reports.budget_vs_actual(
                business=salon.business, start=date(2030, 5, 1), end=date(2030, 5, 31)
            )
        }
        assert (rows["rent"].planned, rows["rent"].actual, rows["rent"].difference) == (
            110000,
            120000,
            -10000,
        )
        assert rows["rent"].used_percent == 109
        assert (rows["marketing"].planned, rows["marketing"].actual) == (20000, 5000)
        at_location = {
            r.category.code: r
            for r in reports.budget_vs_actual(
                business=salon.business,
                start=date(2030, 5, 1),
                end=date(2030, 5, 31),
                location_id=salon.location.pk,
            )
        }
        assert at_location["rent"].planned == 0 and at_location["rent"].actual == 120000
        services.budget_set(
            actor=None,
            business=salon.business,
            category_id=rent.pk,
            month=date(2030, 5, 1),
            amount=0,
            currency="EUR",
        )
        rows = {
            r.category.code: r
            for r in reports.budget_vs_actual(
                business=salon.business, start=date(2030, 5, 1), end=date(2030, 5, 31)
            )
        }
        assert rows["rent"].planned == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"month": date(2030, 5, 2)}, "month"),
        ({"amount": -1}, "amount"),
        ({"currency": "RUB"}, "currency"),
        ({"category_id": 2**40}, "category_id"),
        ({"location_id": 2**40}, "location_id"),
    ],
)
def test_budget_bad_input(salon, changes, field):
    fields = {
        "category_id": category(salon.business).pk,
        "month": date(2030, 5, 1),
        "amount": 1000,
        "currency": "EUR",
    }
    fields.update(changes)
    with business_scope(salon.business), pytest.raises(ValidationFailed) as caught:
        services.budget_set(actor=None, business=salon.business, **fields)
    assert field in caught.value.fields
