"""Payment providers behind one interface (`base.PaymentProvider`).

- `stripe`: the real thing, through the official SDK (PaymentIntents with
  manual capture for deposits and fees, refunds, Connect: every call runs on
  the salon's connected account, so the money is the salon's).
- `venue`: pay at the venue; nothing is charged online, staff record the
  payment at the desk.
"""

from solibook.finance.payments.base import (
    Intent,
    PaymentProvider,
    ProviderError,
    ProviderEvent,
    ProviderRefund,
)
from solibook.finance.payments.registry import provider_for, provider_named

__all__ = [
    "Intent",
    "PaymentProvider",
    "ProviderError",
    "ProviderEvent",
    "ProviderRefund",
    "provider_for",
    "provider_named",
]
