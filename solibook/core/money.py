"""Money: integer minor units with an ISO 4217 currency, formatted per locale.

Amounts are never floats. `Money(1500, "EUR")` is 15.00 €. The number of
minor digits comes from CLDR (through Babel), so JPY has none and BHD three.
"""

from dataclasses import dataclass
from decimal import Decimal

from babel.core import Locale
from babel.numbers import format_currency, get_currency_precision, list_currencies

SUPPORTED_CURRENCIES = ("EUR", "RUB", "SAR", "USD", "GBP", "AED", "CHF", "MAD", "KZT")


def is_known_currency(code: str) -> bool:
    return code in list_currencies()


def minor_digits(currency: str) -> int:
    return get_currency_precision(currency)


@dataclass(frozen=True, slots=True)
class Money:
    amount: int  # minor units
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError("Money.amount is an integer number of minor units")
        if not is_known_currency(self.currency):
            raise ValueError(f"Unknown currency {self.currency!r}")

    def _same(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise ValueError(f"Cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def as_decimal(self) -> Decimal:
        return Decimal(self.amount).scaleb(-minor_digits(self.currency))

    @classmethod
    def from_decimal(cls, value: Decimal | str, currency: str) -> "Money":
        """Parse a major-unit amount exactly; refuse more decimals than the currency has."""
        d = Decimal(value)
        digits = minor_digits(currency)
        scaled = d.scaleb(digits)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{currency} has {digits} decimal places")
        return cls(int(scaled), currency)

    def format(self, locale: str) -> str:
        return format_money(self.amount, self.currency, locale)


def format_money(amount: int, currency: str, locale: str) -> str:
    babel_locale = Locale.parse(locale.replace("-", "_"))
    value = Decimal(amount).scaleb(-minor_digits(currency))
    return format_currency(value, currency, locale=babel_locale)
