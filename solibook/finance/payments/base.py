"""The provider interface. Amounts are integer minor units; currencies ISO 4217."""

from dataclasses import dataclass, field
from typing import Protocol


class ProviderError(Exception):
    """The provider refused or failed (card declined, network down): `message`
    is safe to show; `code` is the provider's (e.g. `card_declined`)."""

    def __init__(self, message: str, *, code: str = "provider_error"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Intent:
    id: str
    status: str  # requires_payment_method, requires_action, requires_capture, processing, succeeded, canceled
    amount: int
    currency: str
    amount_capturable: int = 0
    amount_received: int = 0
    client_secret: str = ""
    payment_method: str = ""
    customer: str = ""


@dataclass(frozen=True)
class HostedCheckout:
    """A payment page run by the provider (Stripe Checkout, or the test-mode
    card page): the client is sent to `url` and comes back to the success or
    cancel URL. `intent_id` is known at once for the test mode, only after
    payment for Stripe (read it with `checkout_intent`)."""

    id: str
    url: str
    intent_id: str = ""


@dataclass(frozen=True)
class ProviderRefund:
    id: str
    status: str  # pending, succeeded, failed, canceled
    amount: int


@dataclass(frozen=True)
class ProviderEvent:
    id: str
    type: str
    data: dict = field(default_factory=dict)  # the event's object
    account: str = ""


class PaymentProvider(Protocol):
    code: str
    online: bool

    def create_intent(
        self,
        *,
        amount: int,
        currency: str,
        capture_manual: bool,
        account: str,
        idempotency_key: str,
        metadata: dict,
        customer: str = "",
        payment_method: str = "",
        off_session: bool = False,
        save_method: bool = False,
    ) -> Intent: ...

    def retrieve(self, intent_id: str, *, account: str) -> Intent: ...

    def capture(
        self, intent_id: str, *, amount: int, account: str, idempotency_key: str
    ) -> Intent: ...

    def cancel(self, intent_id: str, *, account: str, idempotency_key: str) -> Intent: ...

    def refund(
        self, intent_id: str, *, amount: int, account: str, reason: str, idempotency_key: str
    ) -> ProviderRefund: ...

    def create_customer(
        self, *, email: str, name: str, account: str, idempotency_key: str
    ) -> str: ...

    def parse_webhook(self, payload: bytes, signature: str) -> ProviderEvent: ...

    def checkout_start(
        self,
        *,
        amount: int,
        currency: str,
        capture_manual: bool,
        account: str,
        idempotency_key: str,
        metadata: dict,
        description: str,
        success_url: str,
        cancel_url: str,
        language: str,
        customer: str = "",
        save_method: bool = False,
    ) -> HostedCheckout: ...

    def checkout_intent(self, checkout_id: str, *, account: str) -> Intent | None:
        """The intent behind a hosted checkout (None while nothing was paid)."""
        ...
