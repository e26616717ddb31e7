"""VAT: standard rates per country (basis points: 2000 = 20%) and the arithmetic.

Rates change by law; a business can override its service rate
(`FinanceSettings.service_tax_rate`) and each product's (`Product.tax_rate`).
A business that does not charge VAT (`vat_registered=False`, e.g. a French
micro-entreprise under the franchise) charges 0.
"""

STANDARD_RATES: dict[str, int] = {
    "FR": 2000,
    "BE": 2100,
    "DE": 1900,
    "ES": 2100,
    "IT": 2200,
    "NL": 2100,
    "PT": 2300,
    "LU": 1700,
    "CH": 810,
    "GB": 2000,
    "IE": 2300,
    "AT": 2000,
    "PL": 2300,
    "RU": 2200,
    "KZ": 1600,
    "BY": 2000,
    "UA": 2000,
    "SA": 1500,
    "AE": 500,
    "BH": 1000,
    "OM": 500,
    "EG": 1400,
    "MA": 2000,
    "TN": 1900,
    "DZ": 1900,
    "US": 0,
    "CA": 500,
}


def standard_rate(country: str) -> int:
    return STANDARD_RATES.get((country or "").upper(), 0)


def service_rate(settings_row, business) -> int:
    """The VAT rate (basis points) of a service sold by `business` under its
    finance settings: the till's quote and staff commissions both ask here."""
    if not settings_row.vat_registered:
        return 0
    if settings_row.service_tax_rate is not None:
        return settings_row.service_tax_rate
    return standard_rate(business.country)


def _div_round(numerator: int, denominator: int) -> int:
    """Integer division rounding half away from zero (no floats)."""
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if numerator >= 0 else -q


def split(amount: int, rate: int, *, inclusive: bool) -> tuple[int, int, int]:
    """(net, tax, gross) of an amount entered tax-inclusive or not."""
    if inclusive:
        tax = _div_round(amount * rate, 10000 + rate)
        return amount - tax, tax, amount
    tax = _div_round(amount * rate, 10000)
    return amount, tax, amount + tax


def allocate(total: int, weights: list[int]) -> list[int]:
    """Share `total` in proportion to `weights` exactly (largest remainder);
    the shares sum to `total`."""
    if not weights:
        return []
    base = sum(weights)
    if base == 0:
        shares = [0] * len(weights)
        shares[0] = total
        return shares
    raw = [total * w for w in weights]
    shares = [r // base for r in raw]
    left = total - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] % base), i))
    for i in order[:left]:
        shares[i] += 1
    return shares
