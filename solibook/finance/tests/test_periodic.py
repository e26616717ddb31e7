"""`run_periodic` (started by `make run`) runs the money jobs: an unpaid
deposit hold whose time ran out is expired and its slot freed."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking.models import BookingSegment, Source, Status
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db


def test_the_scheduler_expires_an_unpaid_deposit_hold(deposit_salon):
    booked_at = timezone.now() - timedelta(hours=2)  # its 30-minute hold ran out long ago
    unpaid = book(
        deposit_salon, paris(10), account=UserFactory(), source=Source.MARKETPLACE, now=booked_at
    )
    fresh = book(
        deposit_salon,
        paris(14),
        account=UserFactory(),
        source=Source.MARKETPLACE,
        now=timezone.now(),
    )
    assert unpaid.status == fresh.status == Status.AWAITING_DEPOSIT
    call_command("run_periodic", once=True)
    unpaid.refresh_from_db()
    fresh.refresh_from_db()
    assert unpaid.status == Status.EXPIRED
    assert fresh.status == Status.AWAITING_DEPOSIT
    with scopes_disabled():
        assert not BookingSegment.objects.filter(appointment=unpaid, is_active=True).exists()
