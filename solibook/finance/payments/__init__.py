"""Payment providers behind one interface (`base.PaymentProvider`).

- `stripe`: the real thing, through the official SDK (PaymentIntents with
  manual capture for deposits and fees, refunds, Connect: every call runs on
  the salon's connected account, so the money is the salon's).
- `test`: Stripe's test mode without Stripe (`testmode`): fake cards on a page
  of ours, intents kept in the database; the default without Stripe keys.
- `venue`: pay at the venue; nothing is charged online, staff record the
  payment at the desk.
"""

from solibook.finance.payments.base import (
    HostedCheckout,
    Intent,
    PaymentProvider,
    ProviderError,
    ProviderEvent,
    ProviderRefund,
)
from solibook.finance.payments.registry import provider_for, provider_named

__all__ = [
    "HostedCheckout",
    "Intent",
    "PaymentProvider",
    "ProviderError",
    "ProviderEvent",
    "ProviderRefund",
    "provider_for",
    "provider_named",
]
