"""Paying online on a hosted page: the test-mode provider (cards, 3-D Secure,
refunds, one charge per payment, kept in the database), Stripe Checkout
against the local fake, late payments, the balance, tenant isolation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from solibook.booking.models import Source, Status
from solibook.core.errors import Conflict, NotFound
from solibook.core.tenancy import business_scope
from solibook.finance import services
from solibook.finance.models import FinanceSettings, Payment, TestModeIntent
from solibook.finance.payments import ProviderError, provider_named
from solibook.finance.payments.testmode import TestModeProvider
from solibook.finance.tests.conftest import ACCOUNT, WEBHOOK_SECRET
from solibook.finance.tests.helpers import books_balance
from solibook.finance.tests.stripe_fake import sign
from solibook.testing.booking import book
from solibook.testing.factories import BusinessFactory, UserFactory
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db

SUCCESS = "https://salon.test/back"
CANCEL = "https://salon.test/pay"


def card(intent_id, number, expiry="12/34", cvc="123"):
    return TestModeProvider().card_submit(intent_id, number=number, expiry=expiry, cvc=cvc)


@pytest.fixture
def test_salon(salon, settings):
    """A salon asking a fixed 20.00 deposit, paid online in test mode."""
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE = True
    business = salon.business
    business.deposit_rule, business.deposit_value = "fixed", 2000
    business.save(update_fields=["deposit_rule", "deposit_value"])
    with scopes_disabled():
        FinanceSettings.objects.filter(business=business).update(online_provider="test")
    return salon


def held(salon, client=None, start=None):
    return book(salon, start or paris(10), account=client, source=Source.MARKETPLACE)


def start(salon, appointment, purpose="deposit", now=NOW, business=None):
    with business_scope(business or salon.business):
        return services.online_checkout_start(
            business=business or salon.business,
            appointment_id=appointment.pk,
            purpose=purpose,
            success_url=SUCCESS,
            cancel_url=CANCEL,
            language="fr",
            now=now,
        )


def back(salon, payment, now=NOW):
    with business_scope(salon.business):
        return services.online_checkout_return(
            business=salon.business, payment_id=payment.pk, now=now
        )


# --- the test-mode provider ------------------------------------------------------


def test_test_cards_behave_like_stripes(test_salon):
    provider = TestModeProvider()
    ok = provider.create_intent(
        amount=500,
        currency="EUR",
        capture_manual=True,
        account="",
        idempotency_key="k1",
        metadata={"a": 1},
    )
    assert ok.status == "requires_payment_method"
    with pytest.raises(ProviderError) as declined:
        card(ok.id, "4000 0000 0000 0002")
    assert declined.value.code == "card_declined"
    assert declined.value.message == "Your card was declined."
    with pytest.raises(ProviderError) as wrong:
        card(ok.id, "4242 4242 4242 4241")  # fails the Luhn check
    assert wrong.value.code == "incorrect_number"
    with pytest.raises(ProviderError) as expired:
        card(ok.id, "4242424242424242", expiry="01/20")
    assert expired.value.code == "expired_card"
    assert card(ok.id, "4242 4242 4242 4242").status == "requires_capture"
    # The same key gives the same intent, seen by any process (it is a row).
    again = TestModeProvider().create_intent(
        amount=500,
        currency="EUR",
        capture_manual=True,
        account="",
        idempotency_key="k1",
        metadata={},
    )
    assert again.id == ok.id and again.status == "requires_capture"
    captured = provider.capture(ok.id, amount=300, account="", idempotency_key="c")
    assert captured.status == "succeeded" and captured.amount_received == 300
    refund = provider.refund(ok.id, amount=200, account="", reason="", idempotency_key="r1")
    assert refund.status == "succeeded" and refund.amount == 200
    assert provider.refund(ok.id, amount=200, account="", reason="", idempotency_key="r1") == refund
    with pytest.raises(ProviderError):
        provider.refund(ok.id, amount=200, account="", reason="", idempotency_key="r2")  # 100 left
    assert TestModeIntent.objects.get(pk=ok.id).amount_refunded == 200


def test_3d_secure_card_waits_for_the_challenge(test_salon):
    provider = TestModeProvider()
    intent = provider.create_intent(
        amount=500,
        currency="EUR",
        capture_manual=False,
        account="",
        idempotency_key="k",
        metadata={},
    )
    assert card(intent.id, "4000002760003184").status == "requires_action"
    with pytest.raises(ProviderError) as failed:
        provider.challenge_answer(intent.id, complete=False)
    assert failed.value.code == "authentication_failed"
    assert provider.retrieve(intent.id, account="").status == "requires_payment_method"
    card(intent.id, "4000002760003184")
    assert provider.challenge_answer(intent.id, complete=True).status == "succeeded"


def test_a_card_sent_twice_charges_once(test_salon):
    intent = TestModeProvider().create_intent(
        amount=500,
        currency="EUR",
        capture_manual=False,
        account="",
        idempotency_key="k",
        metadata={},
    )
    card(intent.id, "4242424242424242")
    card(intent.id, "4242424242424242")
    row = TestModeIntent.objects.get(pk=intent.id)
    assert row.amount_received == 500 and row.attempts == 1


def test_stripe_code_falls_back_to_test_mode_only_without_keys(settings):
    settings.STRIPE_SECRET_KEY, settings.PAYMENTS_TEST_MODE = "", True
    assert provider_named("stripe").code == "test"
    settings.STRIPE_SECRET_KEY = "sk_live_x"
    assert provider_named("stripe").code == "stripe"
    settings.STRIPE_SECRET_KEY, settings.PAYMENTS_TEST_MODE = "", False
    assert provider_named("stripe").code == "stripe"  # refuses: "not configured"
    assert provider_named("test").code == "venue"  # never fake money when switched off


# --- the deposit on the hosted page -------------------------------------------------


def test_deposit_paid_on_the_test_page_confirms_the_visit(test_salon):
    client = UserFactory()
    appointment = held(test_salon, client)
    assert appointment.status == Status.AWAITING_DEPOSIT
    started = start(test_salon, appointment)
    assert started.url == reverse("finance:testmode_pay", args=[started.payment.provider_ref])
    assert start(test_salon, appointment).url == started.url  # a double click: same page
    assert TestModeIntent.objects.count() == 1
    with pytest.raises(ProviderError):
        card(started.payment.provider_ref, "4000000000000002")
    assert back(test_salon, started.payment).state == Payment.State.PENDING
    card(started.payment.provider_ref, "4242424242424242")
    payment = back(test_salon, started.payment)
    appointment.refresh_from_db()
    assert payment.state == Payment.State.AUTHORIZED and payment.amount == 2000
    assert appointment.status == Status.CONFIRMED
    # The back button, then "Pay" again: the paid payment, no second page.
    again = start(test_salon, appointment)
    assert again.url == "" and again.payment.pk == payment.pk
    assert TestModeIntent.objects.count() == 1


def test_an_expired_hold_cannot_start_paying(test_salon):
    appointment = held(test_salon)
    with pytest.raises(Conflict) as refused:
        start(test_salon, appointment, now=NOW + timedelta(minutes=31))
    assert refused.value.code == "hold_expired"


def test_paid_after_the_hold_ran_out_keeps_a_free_time(test_salon):
    appointment = held(test_salon)
    started = start(test_salon, appointment)
    card(started.payment.provider_ref, "4242424242424242")
    payment = back(test_salon, started.payment, now=NOW + timedelta(minutes=40))
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    assert payment.state == Payment.State.AUTHORIZED and payment.detail["late"] == "kept"


def test_paid_after_the_hold_ran_out_and_the_time_went_gives_the_money_back(test_salon):
    appointment = held(test_salon)
    started = start(test_salon, appointment)
    later = NOW + timedelta(minutes=40)
    taken = book(test_salon, paris(10), now=later)  # the desk books the freed time
    assert taken.status == Status.CONFIRMED
    card(started.payment.provider_ref, "4242424242424242")
    payment = back(test_salon, started.payment, now=later)
    appointment.refresh_from_db()
    assert appointment.status == Status.EXPIRED
    assert payment.state == Payment.State.CANCELLED and payment.detail["late"] == "released"
    assert TestModeIntent.objects.get(pk=payment.provider_ref).status == "canceled"


def test_expiry_releases_an_abandoned_payment(test_salon):
    appointment = held(test_salon)
    started = start(test_salon, appointment)
    assert services.deposits_expire(now=NOW + timedelta(minutes=31)) == 1
    started.payment.refresh_from_db()
    assert started.payment.state == Payment.State.CANCELLED
    assert TestModeIntent.objects.get(pk=started.payment.provider_ref).status == "canceled"


# --- the balance ------------------------------------------------------------------


def test_the_balance_is_paid_and_captured_at_once(test_salon):
    client = UserFactory()
    appointment = held(test_salon, client)
    deposit = start(test_salon, appointment)
    card(deposit.payment.provider_ref, "4242424242424242")
    back(test_salon, deposit.payment)
    assert start(test_salon, appointment, purpose="deposit").url == ""  # paid: no new page
    started = services.balance_checkout(
        appointment_id=appointment.pk,
        success_url=SUCCESS,
        cancel_url=CANCEL,
        account=client,
        now=NOW,
    )
    assert started.payment.amount == appointment.price_amount - 2000
    card(started.payment.provider_ref, "4000002760003184")
    TestModeProvider().challenge_answer(started.payment.provider_ref, complete=True)
    payment = back(test_salon, started.payment)
    assert payment.state == Payment.State.CAPTURED
    assert payment.amount_captured == appointment.price_amount - 2000
    with business_scope(test_salon.business):
        assert books_balance(test_salon.business)
    paid = services.balance_checkout(
        appointment_id=appointment.pk, success_url=SUCCESS, cancel_url=CANCEL, now=NOW
    )
    assert paid.url == "" and paid.payment.pk == payment.pk  # nothing charged twice
    with pytest.raises(NotFound):  # someone else's visit
        services.balance_checkout(
            appointment_id=appointment.pk,
            success_url=SUCCESS,
            cancel_url=CANCEL,
            account=UserFactory(),
            now=NOW,
        )


def test_another_salon_cannot_start_paying_this_visit(test_salon):
    other = BusinessFactory(name="Salon B")
    with scopes_disabled():
        FinanceSettings.objects.filter(business=other).update(online_provider="test")
    appointment = held(test_salon)
    with pytest.raises(NotFound):
        start(test_salon, appointment, business=other)
    with scopes_disabled():
        assert not Payment.objects.filter(business=other).exists()


# --- Stripe Checkout (production) ---------------------------------------------------


def test_stripe_checkout_then_the_webhook_confirms_the_visit(deposit_salon, fake_stripe):
    client = UserFactory()
    appointment = held(deposit_salon, client)
    started = start(deposit_salon, appointment)
    [create] = [r for r in fake_stripe.requests if r["path"] == "/v1/checkout/sessions"]
    assert create["account"] == ACCOUNT
    assert create["key"] == f"payment:{started.payment.pk}:checkout"
    params = create["params"]
    assert params["payment_intent_data"]["capture_method"] == "manual"
    assert params["payment_intent_data"]["metadata"]["payment_id"] == str(started.payment.pk)
    assert params["line_items"]["0"]["price_data"]["unit_amount"] == "2000"
    assert params["success_url"] == SUCCESS and params["locale"] == "fr"
    assert started.url.startswith("https://checkout.stripe.test/")
    assert start(deposit_salon, appointment).url == started.url
    session = fake_stripe.customer_pays(started.payment.detail["checkout_id"])
    payload = fake_stripe.event("checkout.session.completed", session, account=ACCOUNT)
    assert (
        services.webhook_receive(
            provider_code="stripe",
            payload=payload,
            signature=sign(payload, WEBHOOK_SECRET),
            now=NOW,
        )
        == "processed"
    )
    appointment.refresh_from_db()
    started.payment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    assert started.payment.state == Payment.State.AUTHORIZED
    assert started.payment.provider_ref == session["payment_intent"]


def test_stripe_checkout_return_reads_the_session_when_the_webhook_is_late(
    deposit_salon, fake_stripe
):
    appointment = held(deposit_salon)
    started = start(deposit_salon, appointment)
    assert back(deposit_salon, started.payment).state == Payment.State.PENDING  # not paid yet
    fake_stripe.customer_pays(started.payment.detail["checkout_id"])
    assert back(deposit_salon, started.payment).state == Payment.State.AUTHORIZED
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
