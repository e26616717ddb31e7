"""`expire_unpaid_deposits` run again after its worker died between expiring a
visit and releasing its deposit (core.workers requeues it): the deposit is
released by the next run, and a further run changes nothing."""

from datetime import timedelta

import pytest

from solibook.booking import services as booking
from solibook.booking.models import Source, Status
from solibook.core.tenancy import business_scope
from solibook.finance import services
from solibook.finance.models import Payment
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db


def test_a_deposit_left_open_by_a_killed_run_is_released_by_the_next(deposit_salon, fake_stripe):
    appointment = book(deposit_salon, paris(10), account=UserFactory(), source=Source.MARKETPLACE)
    with business_scope(deposit_salon.business):
        payment = services.deposit_start(
            business=deposit_salon.business, appointment_id=appointment.pk, now=NOW
        )
        later = NOW + timedelta(minutes=31)
        # The first run expired the visit (committed) and died before releasing.
        booking.appointment_expire_unpaid(
            business=deposit_salon.business, appointment_id=appointment.pk, now=later
        )
    payment.refresh_from_db()
    assert payment.state == Payment.State.PENDING

    assert services.deposits_expire(now=later) == 0  # nothing left to expire...
    payment.refresh_from_db()
    appointment.refresh_from_db()
    assert appointment.status == Status.EXPIRED
    assert payment.state == Payment.State.CANCELLED  # ...but the deposit is released
    assert fake_stripe.intents[payment.provider_ref]["status"] == "canceled"
    calls = len(fake_stripe.requests)
    assert services.deposits_expire(now=later) == 0
    assert len(fake_stripe.requests) == calls  # a third run calls nobody
