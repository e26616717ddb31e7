"""The wizard's payment step and paying later from the account, through the
pages (test-mode provider): what the page says before paying, a declined
card, 3-D Secure, the done page, the back button, the API, another client."""

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, Status
from solibook.finance.models import FinanceSettings, Payment, TestModeIntent
from solibook.testing.factories import TEST_PASSWORD, UserFactory
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def deposit_salon(salon, settings):
    settings.STRIPE_SECRET_KEY, settings.PAYMENTS_TEST_MODE = "", True
    business = salon.business
    business.deposit_rule, business.deposit_value = "fixed", 2000
    business.save(update_fields=["deposit_rule", "deposit_value"])
    with scopes_disabled():
        FinanceSettings.objects.filter(business=business).update(online_provider="test")
    return salon


def signed_in(client):
    user = UserFactory()
    client.login(email=user.email, password=TEST_PASSWORD)
    return user


def confirm(client, salon, hour=10):
    held = client.post(
        reverse("clientarea:book_time", args=[salon.business.slug]),
        {
            "location": salon.location.pk,
            "service": salon.cut.pk,
            "master": "any",
            "start": paris(hour).isoformat(),
        },
    )
    confirm_url = held["Location"]
    page = client.get(confirm_url).content.decode()
    assert "Continue to payment" in page
    done = client.post(confirm_url, {"action": "confirm", "promo_code": ""})
    assert done.status_code == 302 and done["Location"].endswith("/done/")
    pay = client.get(done["Location"])
    assert pay.status_code == 302 and pay["Location"].endswith("/pay/")
    return pay["Location"]


def test_a_client_pays_the_deposit_after_a_declined_card_and_3d_secure(client, deposit_salon):
    signed_in(client)
    pay_url = confirm(client, deposit_salon)
    page = client.get(pay_url).content.decode()
    assert "Deposit to pay now" in page and "20.00" in page and "45.00" in page
    assert 'id="refund-rule"' in page and "50% of the price" in page
    assert "Test payments — no real money" in page
    with scopes_disabled():
        assert Appointment.objects.get().status == Status.AWAITING_DEPOSIT
    card_page = client.post(pay_url)
    assert card_page.status_code == 302 and "/pay/test/" in card_page["Location"]
    # A double click on "Pay" opens the same card page: one intent.
    assert client.post(pay_url)["Location"] == card_page["Location"]
    assert TestModeIntent.objects.count() == 1
    card_url = card_page["Location"]
    form = {"number": "4000 0000 0000 0002", "expiry": "12/34", "cvc": "123"}
    declined = client.post(card_url, form)
    assert declined.status_code == 402 and "Your card was declined." in declined.content.decode()
    challenge = client.post(card_url, {**form, "number": "4000 0027 6000 3184"})
    assert challenge["Location"].endswith("/3ds/")
    back = client.post(challenge["Location"], {"action": "complete"})
    assert "/pay/return/" in back["Location"]
    done = client.get(back["Location"])
    assert done["Location"].endswith("/done/")
    body = client.get(done["Location"]).content.decode()
    assert "You are booked" in body and 'id="paid-online"' in body and "20.00" in body
    with scopes_disabled():
        appointment = Appointment.objects.get()
        payment = Payment.objects.get()
    assert appointment.status == Status.CONFIRMED
    assert payment.state == Payment.State.AUTHORIZED and payment.amount == 2000
    # The back button: the payment page and the card page lead to the paid state.
    assert client.get(pay_url)["Location"].endswith("/done/")
    assert client.post(pay_url)["Location"].endswith("/done/")
    assert "/pay/return/" in client.post(card_url, form)["Location"]
    with scopes_disabled():
        assert Payment.objects.count() == 1
    assert TestModeIntent.objects.get().attempts == 2  # the decline, then the 3-D Secure card


def test_coming_back_without_paying_says_so_in_russian(client, deposit_salon):
    signed_in(client)
    pay_url = confirm(client, deposit_salon)
    card_url = client.post(pay_url)["Location"]
    page = client.get(card_url).content.decode()
    assert "Test payments — no real money" in page
    with translation.override("ru"):
        ru_pay = pay_url.replace("/en/", "/ru/")
        unpaid = client.get(ru_pay.replace("/pay/", "/pay/return/"))
        assert unpaid["Location"].endswith("?unpaid=1")
        body = client.get(unpaid["Location"]).content.decode()
    assert "Оплата ещё не прошла" in body and "Тестовые платежи — без реальных денег" in body


def test_the_balance_is_paid_later_from_the_account_and_only_by_its_client(client, deposit_salon):
    user = signed_in(client)
    pay_url = confirm(client, deposit_salon, hour=11)
    card_url = client.post(pay_url)["Location"]
    client.post(card_url, {"number": "4242424242424242", "expiry": "12/34", "cvc": "123"})
    client.get(pay_url.replace("/pay/", "/pay/return/"))
    visits = client.get(reverse("clientarea:visits")).content.decode()
    assert "Pay the balance" in visits and "Paid online" in visits
    with scopes_disabled():
        appointment = Appointment.objects.get(account=user)
    balance_url = reverse("clientarea:visit_pay", args=[appointment.pk])
    page = client.get(balance_url).content.decode()
    assert "Balance to pay now" in page and "25.00" in page
    card = client.post(balance_url)["Location"]
    back = client.post(card, {"number": "4242424242424242", "expiry": "12/34", "cvc": "123"})
    assert client.get(back["Location"])["Location"].startswith(reverse("clientarea:visits"))
    with scopes_disabled():
        balance = Payment.objects.get(purpose=Payment.Purpose.BALANCE)
    assert balance.state == Payment.State.CAPTURED and balance.amount_captured == 2500
    assert "Pay the balance" not in client.get(reverse("clientarea:visits")).content.decode()
    # Another client reaches nothing.
    client.logout()
    signed_in(client)
    assert client.get(balance_url).status_code == 404
    assert client.post(balance_url).status_code == 404


def test_the_api_pays_the_draft_deposit_through_the_same_service(client, deposit_salon):
    signed_in(client)
    pay_url = confirm(client, deposit_salon, hour=12)
    token = pay_url.rstrip("/").split("/")[-2]
    api = reverse("clientarea_api:draft_payment", args=[token])
    started = client.post(api, content_type="application/json")
    assert started.status_code == 200, started.content
    data = started.json()
    assert data["purpose"] == "deposit" and data["amount"] == 2000 and data["test_mode"]
    assert "/pay/test/" in data["url"] and data["state"] == "pending"
    assert client.post(api, content_type="application/json").json()["url"] == data["url"]
    client.post(data["url"], {"number": "4242424242424242", "expiry": "12/34", "cvc": "123"})
    state = client.get(api).json()
    assert state["state"] == "authorized" and state["appointment_status"] == "confirmed"
    assert state["url"] == ""
    assert client.get(reverse("clientarea_api:draft_payment", args=["nope"])).status_code == 404
