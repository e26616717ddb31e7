"""A promo code at a deposit salon: when the discounts take the whole price
nothing is left to pay, so the wizard confirms the visit without a payment
step (no deposit kept, no card page); a code that leaves something to pay
still asks for the deposit, capped at what is left."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking import services as booking
from solibook.booking.models import Appointment, Status
from solibook.core.errors import Conflict, NotFound
from solibook.core.tenancy import business_scope
from solibook.finance.models import FinanceSettings, Payment, TestModeIntent
from solibook.offers.models import PromoCode
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
        PromoCode.objects.create(
            business=business, code="FREE", discount_percent=100, currency=business.currency
        )
        PromoCode.objects.create(
            business=business, code="MINUS40", discount_amount=4000, currency=business.currency
        )
    return salon


def hold(client, salon, hour=10) -> str:
    user = UserFactory()
    client.login(email=user.email, password=TEST_PASSWORD)
    held = client.post(
        reverse("clientarea:book_time", args=[salon.business.slug]),
        {
            "location": salon.location.pk,
            "service": salon.cut.pk,
            "master": "any",
            "start": paris(hour).isoformat(),
        },
    )
    assert held.status_code == 302 and held["Location"].endswith("/confirm/")
    return held["Location"]


def the_visit() -> Appointment:
    with scopes_disabled():
        return Appointment.objects.get()


def test_a_promo_code_that_takes_the_whole_price_confirms_without_paying(client, deposit_salon):
    confirm_url = hold(client, deposit_salon)
    assert the_visit().status == Status.AWAITING_DEPOSIT
    done = client.post(confirm_url, {"action": "confirm", "promo_code": "FREE"})
    assert done.status_code == 302 and done["Location"].endswith("/done/")
    page = client.get(done["Location"])
    assert page.status_code == 200, "the done page, not the payment step"
    body = page.content.decode()
    assert "You are booked" in body and 'id="paid-online"' not in body
    visit = the_visit()
    assert visit.status == Status.CONFIRMED and visit.hold_expires_at is None
    assert visit.deposit_amount == 0
    with scopes_disabled():
        assert not Payment.objects.exists()
    assert not TestModeIntent.objects.exists()
    # The payment page, reached by hand, has nothing to charge.
    pay = client.get(done["Location"].replace("/done/", "/pay/"))
    assert pay.status_code == 302 and pay["Location"].endswith("/done/")


def test_a_promo_code_that_leaves_less_than_the_deposit_asks_for_what_is_left(
    client, deposit_salon
):
    confirm_url = hold(client, deposit_salon)
    done = client.post(confirm_url, {"action": "confirm", "promo_code": "MINUS40"})
    pay = client.get(done["Location"])
    assert pay.status_code == 302 and pay["Location"].endswith("/pay/")
    body = client.get(pay["Location"]).content.decode()
    assert 'data-testid="amount-due">' in body
    amount = body.split('data-testid="amount-due">', 1)[1].split("<", 1)[0]
    assert "5.00" in amount  # 45.00 − 40.00 left, below the 20.00 deposit
    assert the_visit().status == Status.AWAITING_DEPOSIT


def test_a_refused_promo_code_changes_nothing_and_the_deposit_is_still_due(client, deposit_salon):
    confirm_url = hold(client, deposit_salon)
    refused = client.post(confirm_url, {"action": "confirm", "promo_code": "NOPE"})
    assert refused.status_code == 400
    visit = the_visit()
    assert visit.status == Status.AWAITING_DEPOSIT and visit.deposit_amount == 2000


def test_waiving_refuses_a_hold_that_ran_out_and_is_idempotent(client, deposit_salon):
    hold(client, deposit_salon)
    visit = the_visit()
    business = deposit_salon.business
    later = visit.hold_expires_at + timedelta(seconds=1)
    with business_scope(business), pytest.raises(Conflict) as refused:
        booking.appointment_deposit_waive(business=business, appointment_id=visit.pk, now=later)
    assert refused.value.code == "hold_expired"
    assert the_visit().status == Status.AWAITING_DEPOSIT
    with business_scope(business):
        first = booking.appointment_deposit_waive(
            business=business, appointment_id=visit.pk, now=timezone.now()
        )
        again = booking.appointment_deposit_waive(business=business, appointment_id=visit.pk)
    assert first.status == again.status == Status.CONFIRMED


def test_waiving_is_scoped_to_the_visits_business(client, deposit_salon, two_salons):
    hold(client, deposit_salon)
    visit = the_visit()
    other = two_salons[0]
    with business_scope(other), pytest.raises(NotFound):
        booking.appointment_deposit_waive(business=other, appointment_id=visit.pk)
    assert the_visit().status == Status.AWAITING_DEPOSIT
