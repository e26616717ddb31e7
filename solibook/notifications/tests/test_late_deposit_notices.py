"""A deposit paid after its hold ran out (issue #14, point 1): the client is
told, through the normal path (finance's outbox event → a notification →
the worker), whether the visit was kept or the money given back; in their
language, by SMS when they gave only a phone, once per payment however often
the payment is read again."""

from datetime import timedelta

import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from solibook.booking.models import Source, Status
from solibook.core.tenancy import business_scope
from solibook.finance import services as finance
from solibook.finance.models import FinanceSettings, Payment
from solibook.finance.payments.testmode import TestModeProvider
from solibook.notifications.consumer import consume_outbox
from solibook.notifications.defaults import default_template
from solibook.notifications.dispatcher import dispatch_due
from solibook.notifications.models import Channel, Kind, Notification, NotificationStatus
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db

LATER = NOW + timedelta(minutes=40)  # the 30-minute hold has run out


@pytest.fixture
def deposit_salon(salon, settings):
    settings.STRIPE_SECRET_KEY, settings.PAYMENTS_TEST_MODE = "", True
    settings.NOTIFICATIONS_CHANNELS = ["email"]
    business = salon.business
    business.deposit_rule, business.deposit_value = "fixed", 2000
    business.save(update_fields=["deposit_rule", "deposit_value"])
    with scopes_disabled():
        FinanceSettings.objects.filter(business=business).update(online_provider="test")
    return salon


def pay_late(salon, *, taken: bool = False, **who) -> Payment:
    """A marketplace visit held for its deposit, paid 40 minutes later with the card that succeeds."""
    appointment = book(salon, paris(10), source=Source.MARKETPLACE, **who)
    assert appointment.status == Status.AWAITING_DEPOSIT
    business = salon.business
    with business_scope(business):
        started = finance.online_checkout_start(
            business=business,
            appointment_id=appointment.pk,
            purpose="deposit",
            success_url="https://salon.test/back",
            cancel_url="https://salon.test/pay",
            now=NOW,
        )
    if taken:
        book(salon, paris(10), now=LATER)  # the desk books the freed time
    TestModeProvider().card_submit(
        started.payment.provider_ref, number="4242424242424242", expiry="12/34", cvc="123"
    )
    return read_again(salon, started.payment)


def read_again(salon, payment) -> Payment:
    with business_scope(salon.business):
        return finance.online_checkout_return(
            business=salon.business, payment_id=payment.pk, now=LATER
        )


def notices(kind):
    with scopes_disabled():
        return list(Notification.objects.filter(kind=kind))


def said(language: str, message: str, salon) -> str:
    with translation.override(language):
        return translation.gettext(message).replace("{{ salon }}", salon.business.name)


def test_a_late_payment_that_kept_the_time_is_told_in_the_clients_language(deposit_salon, smtp):
    client = UserFactory(email="kept@example.test", language="fr")
    payment = pay_late(deposit_salon, account=client)
    assert payment.detail["late"] == "kept"
    read_again(deposit_salon, payment)  # the return page reloaded: nothing new
    consume_outbox(now=LATER)
    consume_outbox(now=LATER)
    [notice] = notices(Kind.DEPOSIT_KEPT)
    assert notice.channel == Channel.EMAIL and notice.email == "kept@example.test"
    assert not notices(Kind.DEPOSIT_RELEASED)
    dispatch_due(now=LATER)
    notice.refresh_from_db()
    assert notice.status == NotificationStatus.SENT
    subjects = [m["Subject"].strip() for m in smtp.to("kept@example.test")]
    expected = said(
        "fr", "Your payment reached {{ salon }} late: your visit is kept", deposit_salon
    )
    assert expected != "Your payment reached {{ salon }} late: your visit is kept"
    assert expected in subjects, subjects
    [message] = [m for m in smtp.to("kept@example.test") if m["Subject"].strip() == expected]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "/m/" in body  # the manage link, to move or cancel the kept visit


def test_a_late_payment_whose_time_went_is_told_nothing_was_charged(deposit_salon, smtp):
    client = UserFactory(email="released@example.test", language="ru")
    payment = pay_late(deposit_salon, taken=True, account=client)
    assert payment.state == Payment.State.CANCELLED and payment.detail["late"] == "released"
    consume_outbox(now=LATER)
    [notice] = notices(Kind.DEPOSIT_RELEASED)
    assert not notices(Kind.DEPOSIT_KEPT)
    dispatch_due(now=LATER)
    expected = said(
        "ru", "Your payment reached {{ salon }} late: nothing is charged", deposit_salon
    )
    assert [m["Subject"].strip() for m in smtp.to("released@example.test")] == [expected]


def test_a_phone_guest_is_told_once_by_sms(deposit_salon, settings, tmp_path):
    settings.NOTIFICATIONS_PROVIDERS = {
        **settings.NOTIFICATIONS_PROVIDERS,
        "sms": "solibook.notifications.providers.FileSmsProvider",
    }
    settings.NOTIFICATIONS_SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    payment = pay_late(
        deposit_salon,
        taken=True,
        client_name="Phone Guest",
        client_phone="+33 6 12 34 56 78",
    )
    assert payment.detail["late"] == "released"
    read_again(deposit_salon, payment)
    read_again(deposit_salon, payment)
    consume_outbox(now=LATER)
    [notice] = notices(Kind.DEPOSIT_RELEASED)
    assert notice.channel == Channel.SMS and notice.phone.replace(" ", "").endswith("612345678")
    dispatch_due(now=LATER)
    sent = (tmp_path / "sms.jsonl").read_text()
    assert sent.count("nothing is charged") == 1, sent


@pytest.mark.parametrize("kind", [Kind.DEPOSIT_KEPT, Kind.DEPOSIT_RELEASED])
@pytest.mark.parametrize("language", ["en", "fr", "ru", "ar"])
def test_the_late_payment_messages_exist_in_every_language(kind, language):
    for channel in (Channel.EMAIL, Channel.SMS):
        subject, body = default_template(kind, channel, language)
        if language != "en":
            english = default_template(kind, channel, "en")
            assert body != english[1] and (channel != Channel.EMAIL or subject != english[0])
        assert "{{ salon }}" in body
