"""Memberships (monthly renewal), gift card expiry, receipts in four languages."""

from datetime import timedelta

import pytest
from django_scopes import scopes_disabled
from fpdf import FPDF  # noqa: F401 - the PDF library is importable

from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance import services
from solibook.finance.models import Checkout, ClientMembership, GiftCard, SavedPaymentMethod
from solibook.finance.receipts import receipt_pdf, receipt_rows
from solibook.finance.services import DiscountIn, LineIn, TenderIn
from solibook.finance.services.giftcards import issued_codes
from solibook.finance.services.plans import add_month
from solibook.finance.tests.helpers import bal, books_balance
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db


def test_add_month_clamps_the_day():
    from datetime import UTC, datetime

    assert add_month(datetime(2030, 1, 31, tzinfo=UTC)) == datetime(2030, 2, 28, tzinfo=UTC)
    assert add_month(datetime(2030, 12, 15, tzinfo=UTC)) == datetime(2031, 1, 15, tzinfo=UTC)


def test_membership_renews_monthly_from_the_saved_card_once(salon, fake_stripe):
    client = UserFactory()
    book(salon, account=client)
    from solibook.finance.models import FinanceSettings

    with scopes_disabled():
        FinanceSettings.objects.update_or_create(
            business=salon.business,
            defaults={"online_provider": "stripe", "stripe_account_id": "acct_salon123"},
        )
        SavedPaymentMethod.objects.create(
            business=salon.business,
            account=client,
            provider="stripe",
            customer_ref="cus_1",
            method_ref="pm_card_visa",
        )
    with business_scope(salon.business):
        plan = services.membership_plan_create(
            business=salon.business,
            name="Club",
            price_amount=3000,
            currency="EUR",
            discount_percent=10,
        )
        membership = services.membership_start(
            business=salon.business, plan_id=plan.pk, account_id=client.pk, tender="online", now=NOW
        )
    assert (
        bal(salon.business, "online") == 3000 and bal(salon.business, "membership_revenue") == -2500
    )
    assert services.memberships_renew_due(now=NOW + timedelta(days=10)) == 0
    assert services.memberships_renew_due(now=NOW + timedelta(days=31)) == 1
    assert services.memberships_renew_due(now=NOW + timedelta(days=31)) == 0  # already renewed
    membership.refresh_from_db()
    assert membership.renewals == 1 and membership.current_period_end == add_month(add_month(NOW))
    assert bal(salon.business, "online") == 6000
    assert books_balance(salon.business)
    # The member's discount applies at checkout.
    appointment = book(salon, account=client, master=salon.marc)
    with business_scope(salon.business):
        q = services.checkout_quote(
            business=salon.business,
            location_id=salon.location.pk,
            appointment_id=appointment.pk,
            discount=DiscountIn("membership"),
            now=NOW,
        )
    assert q.discount_total == 450


def test_membership_with_a_declined_card_goes_past_due(salon, fake_stripe):
    client = UserFactory()
    book(salon, account=client)
    from solibook.finance.models import FinanceSettings
    from solibook.finance.tests.stripe_fake import DECLINED

    with scopes_disabled():
        FinanceSettings.objects.update_or_create(
            business=salon.business,
            defaults={"online_provider": "stripe", "stripe_account_id": "acct_salon123"},
        )
        SavedPaymentMethod.objects.create(
            business=salon.business,
            account=client,
            provider="stripe",
            customer_ref="cus_1",
            method_ref="pm_card_visa",
        )
    with business_scope(salon.business):
        plan = services.membership_plan_create(
            business=salon.business, name="Club", price_amount=3000, currency="EUR"
        )
        membership = services.membership_start(
            business=salon.business, plan_id=plan.pk, account_id=client.pk, tender="online", now=NOW
        )
    with scopes_disabled():
        SavedPaymentMethod.objects.filter(account=client).update(method_ref=DECLINED)
    services.memberships_renew_due(now=NOW + timedelta(days=32))
    membership.refresh_from_db()
    assert membership.state == ClientMembership.State.PAST_DUE
    assert bal(salon.business, "online") == 3000


def test_membership_start_refusals(salon):
    stranger = UserFactory()
    with business_scope(salon.business):
        plan = services.membership_plan_create(
            business=salon.business, name="Club", price_amount=3000, currency="EUR"
        )
        with pytest.raises(Exception) as err:
            services.membership_start(
                business=salon.business,
                plan_id=plan.pk,
                account_id=stranger.pk,
                tender="cash",
                now=NOW,
            )
        assert getattr(err.value, "code", "") == "not_found"
        with pytest.raises(ValidationFailed):
            services.membership_plan_create(
                business=salon.business, name="Club", price_amount=3000, currency="USD"
            )


def test_gift_card_expires_into_breakage_once(salon):
    with business_scope(salon.business):
        sale = services.checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            lines=[LineIn("gift_card", amount=5000)],
            shown_total=5000,
            currency="EUR",
            tenders=[TenderIn("cash", 5000)],
            now=NOW,
        )
    with scopes_disabled():
        card = GiftCard.objects.get(sold_in=sale)
    later = card.expires_at + timedelta(seconds=1)
    with business_scope(salon.business):
        assert services.gift_cards_expire(business=salon.business, now=later) == 1
        assert services.gift_cards_expire(business=salon.business, now=later) == 0
    assert (
        bal(salon.business, "gift_cards_outstanding") == 0
        and bal(salon.business, "gift_card_breakage") == -5000
    )
    appointment = book(salon)
    with business_scope(salon.business), pytest.raises(ValidationFailed) as err:
        services.checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            appointment_id=appointment.pk,
            shown_total=4500,
            currency="EUR",
            tenders=[TenderIn("gift_card", 4500, {"code": issued_codes(sale)[0][1]})],
            now=later,
        )
    assert err.value.code == "gift_card_expired"


@pytest.mark.parametrize(
    ("language", "word"), [("en", "Receipt"), ("fr", "Reçu"), ("ru", "Чек"), ("ar", "إيصال")]
)
def test_receipt_in_the_clients_language_html_and_pdf(salon, language, word):
    appointment = book(salon)
    with business_scope(salon.business):
        done = services.checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            appointment_id=appointment.pk,
            shown_total=4500,
            currency="EUR",
            tenders=[TenderIn("card", 4500)],
            language=language,
            now=NOW,
        )
        checkout = Checkout.objects.select_related("location", "business").get(pk=done.pk)
        rows = receipt_rows(checkout)
        pdf = receipt_pdf(checkout)
    assert rows["title"].startswith(word) or word in rows["title"]
    assert rows["rtl"] == (language == "ar")
    assert pdf.startswith(b"%PDF") and b"DejaVu" in pdf  # the vendored font is embedded
    # Every character the receipt prints has a glyph in the vendored font.
    from fontTools.ttLib import TTFont

    from solibook.finance.receipts import FONT

    cmap = TTFont(str(FONT)).getBestCmap()
    printed = rows["title"] + "".join(str(v) for v in rows["labels"].values()) + rows["total"]
    assert not [ch for ch in printed if not ch.isspace() and ord(ch) not in cmap]


def test_a_receipt_names_each_payment_in_the_clients_language_never_by_its_code(salon):
    appointment = book(salon)
    with business_scope(salon.business):
        done = services.checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            appointment_id=appointment.pk,
            shown_total=4500,
            currency="EUR",
            tenders=[TenderIn("card", 2500), TenderIn("cash", 2000)],
            language="fr",
            now=NOW,
        )
        checkout = Checkout.objects.select_related("location", "business").get(pk=done.pk)
        labels = [p["label"] for p in receipt_rows(checkout)["payments"]]
        assert labels == ["Carte", "Espèces"]
        # A way of paying the till no longer offers (an old import's code) reads "Other".
        checkout.payments.filter(tender="cash").update(tender="legacy_voucher_x")
        labels = [p["label"] for p in receipt_rows(checkout)["payments"]]
    assert labels == ["Carte", "Autre"]
