"""Which provider a business uses (`FinanceSettings.online_provider`).

Tests and other deployments swap an implementation with
`set_provider("stripe", FakeProvider())`."""

from solibook.finance.payments.stripe_provider import StripeProvider
from solibook.finance.payments.venue import VenueProvider

_OVERRIDES: dict[str, object] = {}


def provider_named(code: str):
    if code in _OVERRIDES:
        return _OVERRIDES[code]
    if code == "stripe":
        return StripeProvider()
    return VenueProvider()


def provider_for(settings_row):
    return provider_named(settings_row.online_provider)


def set_provider(code: str, provider) -> None:
    if provider is None:
        _OVERRIDES.pop(code, None)
    else:
        _OVERRIDES[code] = provider
