"""Pay at the venue: nothing is charged online. A deposit under this provider
waits for the desk to record it (cash or card) before its hold expires."""

from typing import NoReturn

from django.utils.translation import gettext as _

from solibook.finance.payments.base import (
    HostedCheckout,
    Intent,
    ProviderError,
    ProviderEvent,
    ProviderRefund,
)


class VenueProvider:
    code = "venue"
    online = False

    def _venue_only(self) -> NoReturn:
        raise ProviderError(_("This salon takes payment at the venue only."), code="venue_only")

    def create_intent(self, **kwargs) -> Intent:
        self._venue_only()

    def retrieve(self, intent_id, *, account) -> Intent:
        self._venue_only()

    def capture(self, intent_id, **kwargs) -> Intent:
        self._venue_only()

    def cancel(self, intent_id, **kwargs) -> Intent:
        self._venue_only()

    def refund(self, intent_id, **kwargs) -> ProviderRefund:
        self._venue_only()

    def create_customer(self, **kwargs) -> str:
        self._venue_only()

    def parse_webhook(self, payload: bytes, signature: str) -> ProviderEvent:
        self._venue_only()

    def checkout_start(self, **kwargs) -> HostedCheckout:
        self._venue_only()

    def checkout_intent(self, checkout_id, *, account) -> Intent | None:
        self._venue_only()
