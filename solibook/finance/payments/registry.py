"""Which provider a business uses (`FinanceSettings.online_provider`).

`stripe` is Stripe when the deployment has its keys (`STRIPE_SECRET_KEY`);
without them, and with `PAYMENTS_TEST_MODE` on (its default then), it is the
test mode (`testmode`), which behaves the same with test cards and says so on
every page. `test` is always the test mode. `venue` charges nothing online.

Tests and other deployments swap an implementation with
`set_provider("stripe", FakeProvider())`."""

from django.conf import settings

from solibook.finance.payments.stripe_provider import StripeProvider
from solibook.finance.payments.testmode import TestModeProvider
from solibook.finance.payments.venue import VenueProvider

_OVERRIDES: dict[str, object] = {}


def provider_named(code: str):
    if code in _OVERRIDES:
        return _OVERRIDES[code]
    if code == "stripe":
        if not settings.STRIPE_SECRET_KEY and settings.PAYMENTS_TEST_MODE:
            return TestModeProvider()
        return StripeProvider()
    if code == "test":
        # Never fake money where test payments are switched off: pay at the venue.
        return TestModeProvider() if settings.PAYMENTS_TEST_MODE else VenueProvider()
    return VenueProvider()


def provider_for(settings_row):
    return provider_named(settings_row.online_provider)


def set_provider(code: str, provider) -> None:
    if provider is None:
        _OVERRIDES.pop(code, None)
    else:
        _OVERRIDES[code] = provider
