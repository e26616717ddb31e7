"""Online payment through the real Stripe SDK against a local fake of its API:
deposits (manual capture), webhooks verified for real, fees, refunds."""

import json
import time
from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.booking import services as booking
from solibook.booking.models import BookingSegment, Source, Status
from solibook.booking.services.no_show import no_show_finalise, no_show_mark
from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance import services
from solibook.finance.models import (
    CheckoutLine,
    LineRefund,
    Payment,
    ProviderEvent,
    Refund,
    SavedPaymentMethod,
)
from solibook.finance.services import RefundLineIn, TenderIn
from solibook.finance.tests.conftest import ACCOUNT, WEBHOOK_SECRET
from solibook.finance.tests.helpers import bal, books_balance
from solibook.finance.tests.stripe_fake import DECLINED, sign
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db


def online_booking(salon, client, start=None):
    return book(salon, start or paris(10), account=client, source=Source.MARKETPLACE)


def start_deposit(salon, appointment):
    with business_scope(salon.business):
        return services.deposit_start(
            business=salon.business, appointment_id=appointment.pk, now=NOW
        )


def deliver(fake, kind, obj, *, event_id=None, timestamp=None, secret=WEBHOOK_SECRET, now=NOW):
    payload = fake.event(kind, obj, account=ACCOUNT, event_id=event_id)
    return services.webhook_receive(
        provider_code="stripe", payload=payload, signature=sign(payload, secret, timestamp), now=now
    ), payload


def pay_deposit(salon, fake, client):
    appointment = online_booking(salon, client)
    payment = start_deposit(salon, appointment)
    intent = fake.client_confirms(payment.provider_ref)
    result, _payload = deliver(fake, "payment_intent.amount_capturable_updated", intent)
    assert result == "processed"
    appointment.refresh_from_db()
    payment.refresh_from_db()
    return appointment, payment


def test_online_booking_waits_for_its_deposit(deposit_salon, fake_stripe):
    client = UserFactory()
    appointment = online_booking(deposit_salon, client)
    assert appointment.status == Status.AWAITING_DEPOSIT
    assert appointment.deposit_amount == 2000
    assert appointment.hold_expires_at == NOW + timedelta(minutes=30)
    assert appointment.policy["late_fee_percent"] == 50
    payment = start_deposit(deposit_salon, appointment)
    assert payment.state == Payment.State.PENDING and payment.client_secret.startswith(
        payment.provider_ref
    )
    [create] = [r for r in fake_stripe.requests if r["path"] == "/v1/payment_intents"]
    assert create["account"] == ACCOUNT  # Connect: the salon's money
    assert create["params"]["capture_method"] == "manual"
    assert create["params"]["setup_future_usage"] == "off_session"
    assert create["key"] == f"payment:{payment.pk}:create"
    # Asking again gives the same intent (no second authorisation).
    assert start_deposit(deposit_salon, appointment).pk == payment.pk
    assert len([r for r in fake_stripe.requests if r["path"] == "/v1/payment_intents"]) == 1


def test_back_office_booking_needs_no_deposit(deposit_salon):
    appointment = book(deposit_salon)
    assert appointment.status == Status.CONFIRMED and appointment.deposit_amount == 0


def test_signed_webhook_confirms_the_visit_and_saves_the_card(deposit_salon, fake_stripe):
    client = UserFactory()
    appointment, payment = pay_deposit(deposit_salon, fake_stripe, client)
    assert appointment.status == Status.CONFIRMED and appointment.hold_expires_at is None
    assert payment.state == Payment.State.AUTHORIZED
    with scopes_disabled():
        saved = SavedPaymentMethod.objects.get(account=client)
        assert saved.method_ref == "pm_card_visa" and saved.customer_ref.startswith("cus_")
        assert not BookingSegment.objects.filter(
            appointment=appointment, hold_expires_at__isnull=False
        ).exists()
    # An authorisation is not money yet: nothing in the ledger.
    assert bal(deposit_salon.business, "online") == 0


def test_bad_signature_and_replays_are_refused(deposit_salon, fake_stripe):
    client = UserFactory()
    appointment = online_booking(deposit_salon, client)
    payment = start_deposit(deposit_salon, appointment)
    intent = fake_stripe.client_confirms(payment.provider_ref)
    with pytest.raises(ValidationFailed) as err:
        deliver(
            fake_stripe, "payment_intent.amount_capturable_updated", intent, secret="whsec_wrong"
        )
    assert err.value.code == "webhook_bad_signature"
    with pytest.raises(ValidationFailed):
        deliver(
            fake_stripe,
            "payment_intent.amount_capturable_updated",
            intent,
            timestamp=int(time.time()) - 3600,
        )  # replayed later
    payload = fake_stripe.event("payment_intent.amount_capturable_updated", intent, account=ACCOUNT)
    tampered = payload.replace(b'"amount": 2000', b'"amount": 1')
    with pytest.raises(ValidationFailed):
        services.webhook_receive(
            provider_code="stripe",
            payload=tampered,
            signature=sign(payload, WEBHOOK_SECRET),
            now=NOW,
        )
    with scopes_disabled():
        assert not ProviderEvent.objects.exists()
    appointment.refresh_from_db()
    assert appointment.status == Status.AWAITING_DEPOSIT
    first, _ = deliver(
        fake_stripe, "payment_intent.amount_capturable_updated", intent, event_id="evt_same"
    )
    again, _ = deliver(
        fake_stripe, "payment_intent.amount_capturable_updated", intent, event_id="evt_same"
    )
    assert (first, again) == ("processed", "duplicate")


def test_unpaid_hold_expires_and_frees_the_slot(deposit_salon, fake_stripe):
    client = UserFactory()
    appointment = online_booking(deposit_salon, client)
    payment = start_deposit(deposit_salon, appointment)
    assert services.deposits_expire(now=NOW + timedelta(minutes=29)) == 0
    assert services.deposits_expire(now=NOW + timedelta(minutes=31)) == 1
    appointment.refresh_from_db()
    payment.refresh_from_db()
    assert appointment.status == Status.EXPIRED and payment.state == Payment.State.CANCELLED
    assert fake_stripe.intents[payment.provider_ref]["status"] == "canceled"
    with scopes_disabled():
        assert not BookingSegment.objects.filter(appointment=appointment, is_active=True).exists()
    other = book(deposit_salon, paris(10), now=NOW + timedelta(minutes=31))
    assert other.status == Status.CONFIRMED


def test_payment_after_the_hold_expired_keeps_the_time_when_still_free(deposit_salon, fake_stripe):
    # Issue #14: paid late, the visit keeps its time if nobody took it meanwhile
    # (test_pay_online.py: taken meanwhile, the money goes back).
    client = UserFactory()
    appointment = online_booking(deposit_salon, client)
    payment = start_deposit(deposit_salon, appointment)
    intent = fake_stripe.client_confirms(payment.provider_ref)
    deliver(
        fake_stripe,
        "payment_intent.amount_capturable_updated",
        intent,
        now=NOW + timedelta(hours=1),
    )
    appointment.refresh_from_db()
    payment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    assert payment.state == Payment.State.AUTHORIZED and payment.detail["late"] == "kept"
    assert fake_stripe.intents[payment.provider_ref]["status"] == "requires_capture"


def test_payment_after_the_hold_expired_and_the_time_went_is_released(deposit_salon, fake_stripe):
    client = UserFactory()
    appointment = online_booking(deposit_salon, client)
    payment = start_deposit(deposit_salon, appointment)
    book(deposit_salon, paris(10), now=NOW + timedelta(hours=1))  # the desk took the time
    intent = fake_stripe.client_confirms(payment.provider_ref)
    deliver(
        fake_stripe,
        "payment_intent.amount_capturable_updated",
        intent,
        now=NOW + timedelta(hours=1),
    )
    appointment.refresh_from_db()
    payment.refresh_from_db()
    assert appointment.status == Status.EXPIRED
    assert payment.state == Payment.State.CANCELLED and payment.detail["late"] == "released"
    assert fake_stripe.intents[payment.provider_ref]["status"] == "canceled"


def test_deposit_captured_and_applied_at_checkout_then_refunded_in_part(deposit_salon, fake_stripe):
    salon, client = deposit_salon, UserFactory()
    appointment, deposit = pay_deposit(salon, fake_stripe, client)
    with business_scope(salon.business):
        deposit = services.payment_capture(business=salon.business, payment_id=deposit.pk, now=NOW)
    assert deposit.state == Payment.State.CAPTURED
    assert bal(salon.business, "online") == 2000 and bal(salon.business, "deposits_held") == -2000
    with business_scope(salon.business):
        done = services.checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            appointment_id=appointment.pk,
            shown_total=4500,
            currency="EUR",
            now=NOW,
            tenders=[TenderIn("online", 2000, {"payment_id": deposit.pk}), TenderIn("card", 2500)],
        )
    assert bal(salon.business, "deposits_held") == 0
    with scopes_disabled():
        online_part = Payment.objects.get(checkout=done, tender="online")
    # Using the same deposit twice is refused.
    second = book(salon, paris(14))
    with business_scope(salon.business), pytest.raises(ValidationFailed):
        services.checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            appointment_id=second.pk,
            shown_total=4500,
            currency="EUR",
            now=NOW,
            tenders=[TenderIn("online", 2000, {"payment_id": deposit.pk}), TenderIn("card", 2500)],
        )
    with business_scope(salon.business):
        refund = services.refund_create(
            business=salon.business,
            payment_id=online_part.pk,
            amount=1500,
            reason="service_issue",
            now=NOW,
        )
    assert refund.state == Refund.State.SUCCEEDED and refund.provider_ref.startswith("re_")
    assert fake_stripe.intents[deposit.provider_ref]["amount_refunded"] == 1500
    with business_scope(salon.business), pytest.raises(ValidationFailed) as err:
        services.refund_create(
            business=salon.business,
            payment_id=online_part.pk,
            amount=501,
            reason="service_issue",
            now=NOW,
        )
    assert err.value.code == "refund_too_large"
    assert bal(salon.business, "online") == 500
    assert books_balance(salon.business)
    done.refresh_from_db()
    assert done.status == "partially_refunded" and done.refunded_total == 1500


def test_late_cancellation_charges_the_accepted_fee_from_deposit_then_saved_card(
    deposit_salon, fake_stripe, django_capture_on_commit_callbacks
):
    salon, client = deposit_salon, UserFactory()
    appointment, deposit = pay_deposit(salon, fake_stripe, client)
    # The salon raises its fee afterwards: the client is charged what they accepted (50%).
    salon.business.cancellation_fee_percent = 100
    salon.business.save(update_fields=["cancellation_fee_percent"])
    with business_scope(salon.business), django_capture_on_commit_callbacks(execute=True):
        booking.appointment_cancel(
            business=salon.business, appointment_id=appointment.pk, by_client=True, now=paris(9)
        )
    fee = 4500 * 50 // 100
    assert bal(salon.business, "fee_revenue") == -fee
    assert bal(salon.business, "online") == fee
    assert bal(salon.business, "deposits_held") == 0
    off_session = [
        r
        for r in fake_stripe.requests
        if r["path"] == "/v1/payment_intents" and r["params"].get("off_session") == "true"
    ]
    assert len(off_session) == 1 and off_session[0]["params"]["amount"] == str(fee - 2000)
    assert books_balance(salon.business)
    # Settling again does nothing more.
    with business_scope(salon.business):
        assert (
            services.appointment_settle(business=salon.business, appointment_id=appointment.pk)
            == []
        )
    assert bal(salon.business, "fee_revenue") == -fee


def test_timely_cancellation_releases_the_deposit(
    deposit_salon, fake_stripe, django_capture_on_commit_callbacks
):
    salon, client = deposit_salon, UserFactory()
    appointment, deposit = pay_deposit(salon, fake_stripe, client)
    with business_scope(salon.business), django_capture_on_commit_callbacks(execute=True):
        booking.appointment_cancel(
            business=salon.business, appointment_id=appointment.pk, by_client=True, now=NOW
        )
    deposit.refresh_from_db()
    assert deposit.state == Payment.State.CANCELLED
    assert fake_stripe.intents[deposit.provider_ref]["status"] == "canceled"
    assert bal(salon.business, "fee_revenue") == 0


def no_show_then_window_closes(salon, appointment, capture):
    """Marked no-show after the grace period; the fee only once the undo window closes."""
    late = appointment.starts_at + timedelta(minutes=30)
    with business_scope(salon.business), capture(execute=True):
        no_show_mark(business=salon.business, appointment_id=appointment.pk, now=late)
    with scopes_disabled():
        assert not Payment.objects.filter(appointment=appointment, purpose="fee").exists()
    with business_scope(salon.business), capture(execute=True):
        assert no_show_finalise(
            business=salon.business, appointment_id=appointment.pk, now=late + timedelta(hours=1)
        )


def test_no_show_with_a_declined_card_charges_nothing(
    deposit_salon, fake_stripe, django_capture_on_commit_callbacks
):
    salon, client = deposit_salon, UserFactory()
    with scopes_disabled():
        SavedPaymentMethod.objects.create(
            business=salon.business,
            account=client,
            provider="stripe",
            customer_ref="cus_x",
            method_ref=DECLINED,
        )
    appointment = book(salon, account=client)  # back office: no deposit
    no_show_then_window_closes(salon, appointment, django_capture_on_commit_callbacks)
    with scopes_disabled():
        fee = Payment.objects.get(appointment=appointment, purpose="fee")
    assert fee.state == Payment.State.FAILED
    assert bal(salon.business, "fee_revenue") == 0


def test_no_show_charges_the_saved_card(
    deposit_salon, fake_stripe, django_capture_on_commit_callbacks
):
    salon, client = deposit_salon, UserFactory()
    with scopes_disabled():
        SavedPaymentMethod.objects.create(
            business=salon.business,
            account=client,
            provider="stripe",
            customer_ref="cus_x",
            method_ref="pm_card_visa",
        )
    appointment = book(salon, account=client)
    no_show_then_window_closes(salon, appointment, django_capture_on_commit_callbacks)
    assert bal(salon.business, "fee_revenue") == -2250 and bal(salon.business, "online") == 2250
    captures = [r for r in fake_stripe.requests if r["path"].endswith("/capture")]
    assert captures and all(r["account"] == ACCOUNT for r in captures)


def test_webhook_for_another_account_is_ignored(deposit_salon, fake_stripe):
    client = UserFactory()
    appointment = online_booking(deposit_salon, client)
    payment = start_deposit(deposit_salon, appointment)
    intent = fake_stripe.client_confirms(payment.provider_ref)
    payload = json.dumps(
        {
            "id": "evt_x",
            "object": "event",
            "type": "payment_intent.amount_capturable_updated",
            "account": "acct_other",
            "data": {"object": intent},
        }
    ).encode()
    assert (
        services.webhook_receive(
            provider_code="stripe",
            payload=payload,
            signature=sign(payload, WEBHOOK_SECRET),
            now=NOW,
        )
        == "ignored"
    )
    appointment.refresh_from_db()
    assert appointment.status == Status.AWAITING_DEPOSIT


def _paid_with_deposit_and_card(salon, fake_stripe):
    """A €45 cut paid with the captured €20 online deposit and €25 on the terminal."""
    appointment, deposit = pay_deposit(salon, fake_stripe, UserFactory())
    with business_scope(salon.business):
        services.payment_capture(business=salon.business, payment_id=deposit.pk, now=NOW)
        done = services.checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            appointment_id=appointment.pk,
            shown_total=4500,
            currency="EUR",
            now=NOW,
            tenders=[TenderIn("online", 2000, {"payment_id": deposit.pk}), TenderIn("card", 2500)],
        )
    with scopes_disabled():
        line = CheckoutLine.objects.get(checkout=done, kind="service")
    return done, line, deposit


def test_a_refund_by_line_reaching_the_online_deposit_goes_back_through_the_provider(
    deposit_salon, fake_stripe
):
    salon = deposit_salon
    done, line, deposit = _paid_with_deposit_and_card(salon, fake_stripe)
    with business_scope(salon.business):
        line_refund = services.refund_by_lines(
            business=salon.business,
            checkout_id=done.pk,
            lines=[RefundLineIn(line.pk, 1)],
            reason="service_issue",
            now=NOW,
        )
    assert line_refund.amount == 4500
    # The terminal first, then the online part: €20 back on the client's card at Stripe.
    assert fake_stripe.intents[deposit.provider_ref]["amount_refunded"] == 2000
    with scopes_disabled():
        online = Refund.objects.get(line_refund=line_refund, payment__tender="online")
        card = Refund.objects.get(line_refund=line_refund, payment__tender="card")
    assert online.amount == 2000 and online.provider_ref in fake_stripe.refunds
    assert online.state == Refund.State.SUCCEEDED and card.amount == 2500
    assert bal(salon.business, "online") == 0
    assert books_balance(salon.business)
    done.refresh_from_db()
    assert done.status == "refunded" and done.refunded_total == 4500


def test_a_refund_by_line_the_provider_refuses_writes_nothing(deposit_salon, fake_stripe):
    salon = deposit_salon
    done, line, deposit = _paid_with_deposit_and_card(salon, fake_stripe)
    # Refunded at Stripe by other means meanwhile: nothing is left there to give back.
    fake_stripe.intents[deposit.provider_ref]["amount_refunded"] = 2000
    with business_scope(salon.business), pytest.raises(ValidationFailed) as err:
        services.refund_by_lines(
            business=salon.business,
            checkout_id=done.pk,
            lines=[RefundLineIn(line.pk, 1)],
            reason="service_issue",
            now=NOW,
        )
    assert err.value.code.startswith("refund_")
    with scopes_disabled():
        assert not LineRefund.objects.filter(checkout=done).exists()
        assert not Refund.objects.filter(payment__checkout=done).exists()
        assert CheckoutLine.objects.get(pk=line.pk).refunded_quantity == 0
        assert all(p.amount_refunded == 0 for p in Payment.objects.filter(checkout=done))
    done.refresh_from_db()
    assert done.refunded_total == 0
    assert books_balance(salon.business)
