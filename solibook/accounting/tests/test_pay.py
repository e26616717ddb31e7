"""Commission arithmetic (pure): percentages, per-service rules, fixed pay, rule periods, rounding."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solibook.accounting.pay import (
    FIXED_PER_PERIOD,
    FIXED_PER_SERVICE,
    PRODUCT_PERCENT,
    SERVICE_PERCENT,
    Rule,
    Sale,
    compute_pay,
    fixed_for_period,
    percent_of,
    pick_rule,
)

JUNE = (date(2030, 6, 1), date(2030, 6, 30))


def svc(amount, day=date(2030, 6, 10), service_id=1, location_id=7):
    return Sale("service", amount, day, service_id=service_id, location_id=location_id)


def prod(amount, day=date(2030, 6, 10)):
    return Sale("product", amount, day, location_id=7)


def test_percent_of_services_and_products_with_tips():
    rules = [
        Rule(SERVICE_PERCENT, date(2030, 1, 1), rate_bp=4000),
        Rule(PRODUCT_PERCENT, date(2030, 1, 1), rate_bp=1000),
    ]
    pay = compute_pay(
        rules=rules,
        sales=[svc(4500), svc(8000), prod(2500)],
        start=JUNE[0],
        end=JUNE[1],
        tips={7: 500, None: 0},
    )
    assert pay.services_base == 12500 and pay.products_base == 2500
    assert pay.service_commission == 5000  # 40 % of 125.00
    assert pay.product_commission == 250
    assert pay.tips == 500
    assert pay.total == 5750
    assert [line["commission"] for line in pay.lines] == [1800, 3200, 250]
    assert pay.by_location == {7: 5250}


def test_a_rule_for_one_service_beats_the_general_rule():
    rules = [
        Rule(SERVICE_PERCENT, date(2030, 1, 1), rate_bp=4000),
        Rule(SERVICE_PERCENT, date(2030, 1, 1), rate_bp=5000, service_id=2),
    ]
    pay = compute_pay(
        rules=rules,
        sales=[svc(10000, service_id=1), svc(10000, service_id=2)],
        start=JUNE[0],
        end=JUNE[1],
    )
    assert [line["commission"] for line in pay.lines] == [4000, 5000]


def test_the_rule_in_force_on_the_day_applies():
    rules = [
        Rule(SERVICE_PERCENT, date(2030, 1, 1), date(2030, 6, 14), rate_bp=3000),
        Rule(SERVICE_PERCENT, date(2030, 6, 15), rate_bp=4500),
    ]
    pay = compute_pay(
        rules=rules,
        sales=[svc(10000, day=date(2030, 6, 14)), svc(10000, day=date(2030, 6, 15))],
        start=JUNE[0],
        end=JUNE[1],
    )
    assert pay.service_commission == 3000 + 4500


def test_fixed_per_service_adds_to_the_percentage_and_skips_refunds():
    rules = [
        Rule(SERVICE_PERCENT, date(2030, 1, 1), rate_bp=1000),
        Rule(FIXED_PER_SERVICE, date(2030, 1, 1), amount=300),
    ]
    pay = compute_pay(rules=rules, sales=[svc(5000), svc(-5000)], start=JUNE[0], end=JUNE[1])
    assert [line["commission"] for line in pay.lines] == [800, -500]
    assert pay.service_commission == 300


def test_fixed_per_period_is_prorated_by_days_covered():
    assert (
        fixed_for_period([Rule(FIXED_PER_PERIOD, date(2030, 1, 1), amount=150000)], *JUNE) == 150000
    )
    # Starts on 16 June: 15 of 30 days.
    assert (
        fixed_for_period([Rule(FIXED_PER_PERIOD, date(2030, 6, 16), amount=150000)], *JUNE) == 75000
    )
    # Ended before the period: nothing.
    assert (
        fixed_for_period(
            [Rule(FIXED_PER_PERIOD, date(2030, 1, 1), date(2030, 5, 31), amount=150000)], *JUNE
        )
        == 0
    )


def test_no_rule_no_commission_but_tips_are_paid():
    pay = compute_pay(rules=[], sales=[svc(4500)], start=JUNE[0], end=JUNE[1], tips={7: 1000})
    assert pay.service_commission == 0 and pay.total == 1000


def test_rounding_is_half_away_from_zero_per_line():
    assert percent_of(1, 5000) == 1  # 0.5 → 1
    assert percent_of(-1, 5000) == -1
    assert percent_of(333, 3333) == 111  # 110.99 → 111
    assert percent_of(0, 10000) == 0


def test_latest_rule_wins_among_equals():
    rules = [
        Rule(SERVICE_PERCENT, date(2030, 1, 1), rate_bp=1000, id=1),
        Rule(SERVICE_PERCENT, date(2030, 3, 1), rate_bp=2000, id=2),
    ]
    assert (
        pick_rule(rules, kind=SERVICE_PERCENT, day=date(2030, 6, 1), service_id=None).rate_bp
        == 2000
    )


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        compute_pay(rules=[], sales=[], start=date(2030, 6, 2), end=date(2030, 6, 1))


@given(
    st.lists(st.integers(min_value=-(10**8), max_value=10**8), max_size=30),
    st.integers(min_value=0, max_value=10000),
)
def test_the_statement_adds_up_from_its_lines(amounts, rate):
    rules = [Rule(SERVICE_PERCENT, date(2030, 1, 1), rate_bp=rate)]
    pay = compute_pay(rules=rules, sales=[svc(a) for a in amounts], start=JUNE[0], end=JUNE[1])
    assert pay.service_commission == sum(line["commission"] for line in pay.lines)
    assert pay.services_base == sum(amounts)
    assert abs(pay.service_commission * 10000 - sum(amounts) * rate) <= 5000 * len(amounts)
