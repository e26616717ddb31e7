"""A front-desk status change at a listed salon refreshes the summary (and
does not mistake the previous status for a previous start)."""

import pytest
from django_scopes import scopes_disabled

from solibook.booking import services
from solibook.booking.models import Status
from solibook.core.tenancy import business_scope
from solibook.marketplace.models import FreeTime
from solibook.testing.booking import book
from solibook.testing.salon import MONDAY, paris

pytestmark = pytest.mark.django_db


def test_a_status_change_keeps_the_summary_in_step(listed_salon):
    salon = listed_salon
    visit = book(salon, paris(17), master=salon.lea)
    with scopes_disabled():
        assert (
            FreeTime.objects.get(
                location=salon.location, day=MONDAY, subject=f"m:{salon.lea.pk}"
            ).longest
            == 8 * 60
        )
    with business_scope(salon.business):
        services.appointment_set_status(
            business=salon.business, appointment_id=visit.pk, status=Status.ARRIVED
        )
    with scopes_disabled():
        row = FreeTime.objects.get(location=salon.location, day=MONDAY, subject=f"m:{salon.lea.pk}")
    assert row.longest == 8 * 60  # an arrived client still takes the time
