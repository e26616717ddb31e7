"""The commission rules, configurable in settings (`COMMISSION_RULES`) and
stated on the public page `commissions:rules`.

- `new_clients_only`: only a client new to the salon is charged for; a client
  who had already booked it through its own channels (link, widget, desk,
  referral) never is.
- `repeat_after_months`: a client already charged for at a salon is charged
  again only after this many months (0: never again).
- `default_rate_bp`: the rate (basis points) when the salon's plan says none;
  `category_rates_bp`: per catalogue category slug, overriding the plan's rate.
"""

from dataclasses import dataclass, field

from django.conf import settings

DEFAULTS = {
    "new_clients_only": True,
    "repeat_after_months": 12,
    "default_rate_bp": 2000,
    "category_rates_bp": {},
}


@dataclass(frozen=True)
class Rules:
    new_clients_only: bool
    repeat_after_months: int
    default_rate_bp: int
    category_rates_bp: dict = field(default_factory=dict)


def rules() -> Rules:
    values = {**DEFAULTS, **getattr(settings, "COMMISSION_RULES", {})}
    return Rules(
        new_clients_only=bool(values["new_clients_only"]),
        repeat_after_months=int(values["repeat_after_months"]),
        default_rate_bp=int(values["default_rate_bp"]),
        category_rates_bp=dict(values["category_rates_bp"]),
    )
