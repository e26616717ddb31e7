from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from solibook.core.money import is_known_currency
from solibook.core.time import is_valid_zone


def validate_currency(value: str) -> None:
    if not is_known_currency(value):
        raise ValidationError(_("%(value)s is not an ISO 4217 currency code."), params={"value": value})


def validate_time_zone(value: str) -> None:
    if not is_valid_zone(value):
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})
