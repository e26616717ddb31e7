"""Selectors read everything in a fixed number of queries, however many
masters, days and appointments there are."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from solibook.booking import services
from solibook.booking.models import Source
from solibook.booking.selectors import ItemSpec
from solibook.core.tenancy import business_scope
from solibook.testing.factories import make_master
from solibook.testing.salon import MONDAY, NOW, give_shifts, paris

pytestmark = pytest.mark.django_db


def count_queries(salon, specs, days):
    with business_scope(salon.business), CaptureQueriesContext(connection) as captured:
        _loaded, slots = services.slots_available(
            business=salon.business,
            location_id=salon.location.pk,
            specs=specs,
            start_date=MONDAY,
            days=days,
            now=NOW,
        )
    return len(captured.captured_queries), slots


def test_query_count_does_not_grow_with_masters_days_or_appointments(salon):
    specs = [ItemSpec(salon.cut.pk)]
    count_queries(salon, specs, 1)  # warms the catalogue snapshot
    small, _slots = count_queries(salon, specs, 1)

    for i in range(8):
        extra = make_master(
            salon.business, locations=[salon.location], services=[salon.cut], name=f"Extra {i}"
        )
        give_shifts(extra, salon.location)
    with business_scope(salon.business):
        for day in range(7):
            for hour in (9, 11, 14):
                services.appointment_create(
                    business=salon.business,
                    location_id=salon.location.pk,
                    specs=[ItemSpec(salon.cut.pk, master_id=salon.lea.pk)],
                    start=paris(hour, day=MONDAY + timedelta(days=day)),
                    source=Source.BACK_OFFICE,
                    now=NOW,
                )
    count_queries(salon, specs, 7)  # the catalogue changed: one cold load
    large, slots = count_queries(salon, specs, 7)
    assert large == small == 2  # the location, then what is taken
    with scopes_disabled():
        assert {a.master_id for s in slots for a in s.items} >= {salon.marc.pk}


def test_a_cold_catalogue_load_is_a_fixed_number_of_queries(salon):
    cold, _slots = count_queries(salon, [ItemSpec(salon.cut.pk)], 1)
    for i in range(5):
        make_master(
            salon.business,
            locations=[salon.location],
            services=[salon.cut, salon.colour],
            name=f"More {i}",
        )
    cold_again, _slots = count_queries(
        salon, [ItemSpec(salon.cut.pk), ItemSpec(salon.colour.pk)], 3
    )
    assert cold == cold_again
