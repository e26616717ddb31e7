from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solibook.core.money import Money, format_money


def test_amounts_are_integer_minor_units():
    assert Money(1500, "EUR").as_decimal() == Decimal("15.00")
    with pytest.raises(TypeError):
        Money(15.0, "EUR")  # type: ignore[arg-type]


def test_parsing_refuses_more_decimals_than_the_currency_has():
    assert Money.from_decimal("19.99", "EUR") == Money(1999, "EUR")
    with pytest.raises(ValueError, match="2 decimal places"):
        Money.from_decimal("19.999", "EUR")
    assert Money.from_decimal("1500", "JPY") == Money(1500, "JPY")


def test_currencies_do_not_mix():
    with pytest.raises(ValueError, match="Cannot combine"):
        Money(100, "EUR") + Money(100, "SAR")


def test_unknown_currency_is_refused():
    with pytest.raises(ValueError):
        Money(1, "XYZ")


def test_formatting_follows_the_locale():
    assert format_money(150000, "EUR", "fr") == "1\u202f500,00\xa0€"
    assert format_money(150000, "EUR", "en") == "€1,500.00"
    assert "₽" in format_money(250000, "RUB", "ru")
    assert "2\xa0500,00" in format_money(250000, "RUB", "ru")
    arabic = format_money(9900, "SAR", "ar")
    assert "ر.س" in arabic or "SAR" in arabic


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_decimal_round_trip_is_exact(amount):
    money = Money(amount, "EUR")
    assert Money.from_decimal(money.as_decimal(), "EUR") == money
