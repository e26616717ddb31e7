"""Units: a product is counted in one stock unit (pieces, ml, g); quantities
given in a unit of the same dimension (litres, kilograms) are converted, any
other unit is refused."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solibook.core.errors import refuse

# unit -> (dimension, how many stock units of that dimension's base it is)
UNITS: dict[str, tuple[str, Decimal]] = {
    "piece": ("count", Decimal(1)),
    "ml": ("volume", Decimal(1)),
    "l": ("volume", Decimal(1000)),
    "g": ("mass", Decimal(1)),
    "kg": ("mass", Decimal(1000)),
}
UNIT_CHOICES = [
    ("piece", gettext_lazy("pieces")),
    ("ml", gettext_lazy("ml")),
    ("l", gettext_lazy("litres")),
    ("g", gettext_lazy("g")),
    ("kg", gettext_lazy("kg")),
]
PLACES = Decimal("0.001")


def unit_label(unit: str) -> str:
    return str(dict(UNIT_CHOICES).get(unit, unit))


def as_quantity(value, field: str = "quantity") -> Decimal:
    """A Decimal with at most three places, else a refusal."""
    try:
        quantity = Decimal(str(value).strip().replace(",", "."))
    except Exception:  # noqa: BLE001 - any unreadable input
        refuse(_("Enter a number."), field, code="invalid_quantity")
    if not quantity.is_finite():
        refuse(_("Enter a number."), field, code="invalid_quantity")
    if quantity != quantity.quantize(PLACES):
        refuse(_("Use at most three decimal places."), field, code="invalid_quantity")
    if abs(quantity) >= Decimal("100000000000"):
        refuse(_("This quantity is too large."), field, code="invalid_quantity")
    return quantity.quantize(PLACES)


def convert(quantity: Decimal, unit: str, stock_unit: str, field: str = "unit") -> Decimal:
    """`quantity` of `unit` in `stock_unit`; refused when they do not convert."""
    if unit not in UNITS:
        refuse(_("Unknown unit."), field, code="unit_unknown")
    source, target = UNITS[unit], UNITS[stock_unit]
    if source[0] != target[0]:
        refuse(
            _(
                "%(unit)s cannot be converted to %(stock_unit)s, the unit this product is counted in."
            )
            % {"unit": unit_label(unit), "stock_unit": unit_label(stock_unit)},
            field,
            code="unit_mismatch",
        )
    return as_quantity(quantity * source[1] / target[1], field="quantity")
