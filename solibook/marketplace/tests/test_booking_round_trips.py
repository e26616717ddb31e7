"""A client's booking through the API at a listed salon (issue #24, point 1):
each round trip to the database is a share of the booking's time, so the
location is read once and no savepoint is opened, while the free-time
summary still follows the booking in its transaction."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from solibook.booking.selectors import to_minutes
from solibook.marketplace.index import refresh_locations
from solibook.marketplace.models import FreeTime
from solibook.testing.factories import UserFactory
from solibook.testing.salon import MONDAY, paris

pytestmark = pytest.mark.django_db


def test_an_api_booking_reads_its_location_once_opens_no_savepoint_and_updates_the_summary(
    api_client, salon
):
    with scopes_disabled():
        refresh_locations([salon.location], start=MONDAY, days=0)
    api_client.force_authenticate(UserFactory())

    def book(start):
        body = {
            "location_id": salon.location.pk,
            "items": [{"service_id": salon.cut.pk, "master_id": salon.lea.pk}],
            "start": start.isoformat(),
        }
        return api_client.post("/api/v1/appointments/", body, format="json")

    # The first booking makes the client's card and loads the catalogue: a
    # client's next booking is the common case measured here.
    assert book(paris(15)).status_code == 201
    start = paris(10)
    with CaptureQueriesContext(connection) as captured:
        response = book(start)
    assert response.status_code == 201, response.content
    sql = [q["sql"] for q in captured.captured_queries]
    assert sum('FROM "catalog_location"' in q for q in sql) == 1, sql
    # One: the view's own transaction, a savepoint only because the test runs
    # inside one; the booking and its summary refresh open none of their own.
    assert sum(q.startswith("SAVEPOINT") for q in sql) == 1, sql
    with scopes_disabled():
        row = FreeTime.objects.get(location=salon.location, day=MONDAY, subject=f"m:{salon.lea.pk}")
    assert not any(s <= to_minutes(start) < e for s, e in row.free)
