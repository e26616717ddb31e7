"""A waitlist offer at a salon that asks a deposit is held for its deposit
(awaiting_deposit): its message is sent like any offer, with the link to the
offer page, and dropped once the offer is paid and confirmed or expired."""

from datetime import time, timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.booking.models import Status
from solibook.booking.services import appointment_deposit_paid
from solibook.booking.services.waitlist import waitlist_join, waitlist_offer
from solibook.core.tenancy import business_scope
from solibook.notifications.consumer import consume_outbox
from solibook.notifications.dispatcher import dispatch_due
from solibook.testing.factories import UserFactory
from solibook.testing.salon import MONDAY, NOW

pytestmark = pytest.mark.django_db


def offer_at_a_deposit_salon(salon, email: str):
    business = salon.business
    business.deposit_rule, business.deposit_value = "fixed", 2000
    business.save(update_fields=["deposit_rule", "deposit_value"])
    client = UserFactory(email=email)
    with business_scope(business):
        waitlist_join(
            business=business,
            account=client,
            location_id=salon.location.pk,
            service_id=salon.cut.pk,
            day=MONDAY,
            time_from=time(9),
            time_to=time(12),
            now=NOW,
        )
        [entry] = waitlist_offer(
            business=business, location_id=salon.location.pk, day=MONDAY, now=NOW
        )
    with scopes_disabled():
        assert entry.offer.status == Status.AWAITING_DEPOSIT
    consume_outbox(now=NOW)
    return entry


def test_an_offer_awaiting_its_deposit_is_sent_with_its_link(salon, smtp):
    entry = offer_at_a_deposit_salon(salon, "deposit.wait@example.test")
    assert dispatch_due(now=NOW).sent == 1
    [message] = smtp.to("deposit.wait@example.test")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"/me/waitlist/{entry.pk}/offer/" in body


def test_an_offer_expired_before_its_deposit_is_not_sent(salon, smtp):
    entry = offer_at_a_deposit_salon(salon, "deposit.late@example.test")
    result = dispatch_due(now=entry.offer_expires_at + timedelta(minutes=1))
    assert result.sent == 0 and result.cancelled == 1
    assert smtp.to("deposit.late@example.test") == []


def test_an_offer_paid_before_its_message_went_is_not_sent(salon, smtp):
    entry = offer_at_a_deposit_salon(salon, "deposit.paid@example.test")
    with business_scope(salon.business):
        appointment_deposit_paid(business=salon.business, appointment_id=entry.offer_id, now=NOW)
    result = dispatch_due(now=NOW)  # the offer's message: the offer is taken
    assert result.sent == 0 and result.cancelled == 1
    assert smtp.to("deposit.paid@example.test") == []
