"""One write path (issue #14, point 5): a client's cancel or reschedule has the
same effects through every page and API route that offers it."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from solibook.booking.manage_link import manage_token
from solibook.booking.models import Appointment, AppointmentEvent, Source, Status
from solibook.booking.selectors import ItemSpec
from solibook.booking.services import appointment_create
from solibook.core.models import OutboxEvent
from solibook.offers.models import PromoCode, Redemption
from solibook.offers.services import client_key_for, promo_redeem
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db


def booked_with_a_promo(salon, user) -> Appointment:
    with scopes_disabled():
        PromoCode.objects.create(
            business=salon.business,
            code="SPRING",
            discount_amount=1000,
            currency=salon.business.currency,
            max_redemptions=5,
        )
        appointment = appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(service_id=salon.cut.pk, master_id=salon.lea.pk)],
            start=paris(10),
            source=Source.MARKETPLACE,
            account=user,
            now=NOW,
        )
        promo_redeem(
            appointment=appointment,
            code="spring",
            price_amount=appointment.price_amount,
            account=user,
            client_key=client_key_for(account=user),
            now=NOW,
        )
        assert PromoCode.objects.get().redeemed_count == 1
    return appointment


def _account_page(client, user, pk, action, body):
    client.force_login(user)
    return client.post(reverse(f"clientarea:visit_{action}", args=[pk]), body)


def _account_api(client, user, pk, action, body):
    api = APIClient()
    api.force_authenticate(user)
    return api.post(f"/api/v1/me/visits/{pk}/{action}/", body, format="json")


def _booking_api(client, user, pk, action, body):
    api = APIClient()
    api.force_authenticate(user)
    return api.post(f"/api/v1/appointments/{pk}/{action}/", body, format="json")


def _manage_page(client, user, pk, action, body):
    return client.post(reverse(f"clientarea:manage_{action}", args=[manage_token(pk)]), body)


CHANNELS = {
    "account page": _account_page,
    "account API": _account_api,
    "booking API": _booking_api,
    "manage link": _manage_page,
}


def _after_commit(callbacks) -> list[str]:
    """What was queued for after the commit, by the function that queued it."""
    return sorted(cb.__qualname__.split(".<locals>")[0] for cb in callbacks)


@pytest.mark.parametrize("channel", CHANNELS)
def test_cancelling_has_the_same_effects_through_every_entry(
    channel, client, salon, django_capture_on_commit_callbacks
):
    user = UserFactory()
    appointment = booked_with_a_promo(salon, user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = CHANNELS[channel](client, user, appointment.pk, "cancel", {"reason": "ill"})
    assert response.status_code in (200, 302), (channel, response.content[:300])
    with scopes_disabled():
        cancelled = Appointment.objects.get(pk=appointment.pk)
        event = AppointmentEvent.objects.get(appointment=cancelled, kind="cancelled")
        effects = {
            "status": cancelled.status,
            "by_client": cancelled.cancelled_by_client,
            "late": cancelled.late_cancellation,
            "reason": cancelled.cancellation_reason,
            "promo_uses": PromoCode.objects.get().redeemed_count,
            "active_redemptions": Redemption.objects.filter(is_active=True).count(),
            "audit": (event.actor_id == user.pk or channel == "manage link", event.data),
            "outbox": list(
                OutboxEvent.objects.filter(topic__startswith="appointment.")
                .exclude(topic="appointment.created")
                .values_list("topic", flat=True)
            ),
        }
    assert effects == {
        "status": Status.CANCELLED,
        "by_client": True,
        "late": False,
        "reason": "ill",
        "promo_uses": 0,  # the code is given back on every route (the booking API kept it)
        "active_redemptions": 0,
        "audit": (True, {"by_client": True, "late": False, "fee": 0}),
        "outbox": ["appointment.cancelled"],
    }
    # Waitlist offer of the freed time, and the deposit settled by the policy.
    queued = _after_commit(callbacks)
    assert "_offer_freed_time_after_commit" in queued and "on_appointment_changed" in queued


@pytest.mark.parametrize("channel", CHANNELS)
def test_rescheduling_has_the_same_effects_through_every_entry(
    channel, client, salon, django_capture_on_commit_callbacks
):
    user = UserFactory()
    appointment = booked_with_a_promo(salon, user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = CHANNELS[channel](
            client, user, appointment.pk, "reschedule", {"start": paris(15).isoformat()}
        )
    assert response.status_code in (200, 302), (channel, response.content[:300])
    with scopes_disabled():
        moved = Appointment.objects.get(pk=appointment.pk)
        assert (moved.starts_at, moved.status) == (paris(15), Status.CONFIRMED)
        assert [i.master_id for i in moved.items.all()] == [salon.lea.pk]  # the same master
        assert PromoCode.objects.get().redeemed_count == 1  # a move keeps the code
        assert AppointmentEvent.objects.filter(appointment=moved, kind="rescheduled").count() == 1
        assert OutboxEvent.objects.filter(topic="appointment.rescheduled").count() == 1
    assert "_offer_freed_time_after_commit" in _after_commit(callbacks)


@pytest.mark.parametrize("channel", ["account page", "account API", "booking API"])
def test_no_route_reaches_another_clients_visit(channel, client, salon):
    owner, stranger = UserFactory(), UserFactory()
    appointment = booked_with_a_promo(salon, owner)
    response = CHANNELS[channel](client, stranger, appointment.pk, "cancel", {})
    assert response.status_code == 404
    with scopes_disabled():
        assert Appointment.objects.get(pk=appointment.pk).status == Status.CONFIRMED
