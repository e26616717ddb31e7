import pytest
import stripe
from django_scopes import scopes_disabled

from solibook.finance.models import FinanceSettings
from solibook.finance.tests.stripe_fake import FakeStripe

WEBHOOK_SECRET = "whsec_test_secret"
ACCOUNT = "acct_salon123"


@pytest.fixture
def fake_stripe(settings, monkeypatch):
    fake = FakeStripe().start()
    monkeypatch.setattr(stripe, "api_base", fake.url)
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = ""
    yield fake
    fake.stop()


@pytest.fixture
def deposit_salon(salon, fake_stripe):
    """The salon asks a fixed 20.00 deposit online and takes payments with Stripe Connect."""
    business = salon.business
    business.deposit_rule, business.deposit_value = "fixed", 2000
    business.save(update_fields=["deposit_rule", "deposit_value"])
    with scopes_disabled():
        FinanceSettings.objects.update_or_create(
            business=business, defaults={"online_provider": "stripe", "stripe_account_id": ACCOUNT}
        )
    return salon
