"""What the purchasing services share: lookups inside the business, number checks."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from solibook.core.errors import NotFound, ValidationFailed
from solibook.core.ids import is_db_id

MAX_AMOUNT = 10**12  # minor units: far above any salon's order
MAX_PACKS = 100_000
MAX_PACK_SIZE = Decimal("1000000")


def invalid(field: str, message: str, *, code: str = "invalid"):
    raise ValidationFailed(message, code=code, fields={field: [message]})


def get(queryset, pk, message: str, *, field: str | None = None):
    """The row of the (tenant-scoped) `queryset` with id `pk`, else NotFound: an id
    of another salon is as unknown as one that does not exist."""
    obj = queryset.filter(pk=pk).first() if is_db_id(pk) else None
    if obj is None:
        raise NotFound(message, fields={field: [message]} if field else None)
    return obj


def check_amount(amount, field: str) -> int:
    if not isinstance(amount, int) or isinstance(amount, bool):
        invalid(field, _("The amount must be a whole number of minor units (cents)."))
    if amount <= 0:
        invalid(field, _("The amount must be positive."))
    if amount >= MAX_AMOUNT:
        invalid(field, _("The amount is too large."))
    return amount


def check_packs(packs, field: str = "packs", *, allow_zero: bool = False) -> int:
    if not isinstance(packs, int) or isinstance(packs, bool):
        invalid(field, _("Enter a whole number of packs."))
    if packs < 0 or (packs == 0 and not allow_zero):
        invalid(field, _("Enter at least one pack."))
    if packs > MAX_PACKS:
        invalid(field, _("That is too many packs for one order."))
    return packs


def check_pack_size(value, field: str = "pack_size") -> Decimal:
    try:
        size = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        invalid(field, _("Enter the pack's size as a number."))
    if not size.is_finite() or size <= 0:
        invalid(field, _("The pack's size must be more than zero."))
    if size > MAX_PACK_SIZE:
        invalid(field, _("The pack's size is too large."))
    if size != size.quantize(Decimal("0.001")):
        invalid(field, _("Use at most three decimals for the pack's size."))
    return size.quantize(Decimal("0.001"))
