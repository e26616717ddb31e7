"""The public availability answer: what it costs per request (issue #24, point 2)."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from solibook.booking.selectors import local_isoformat, to_minutes
from solibook.testing.salon import MONDAY

pytestmark = pytest.mark.django_db


def test_the_location_is_read_once_per_availability_request(api_client, salon):
    """The view reads the listed location (404 for an unlisted salon) and hands
    it to the selector, which used to read the same row again."""
    url = f"/api/v1/locations/{salon.location.pk}/availability/"
    query = {"service": [salon.cut.pk], "date": MONDAY.isoformat(), "days": 1}
    api_client.get(url, query)  # the catalogue snapshot is cached after this
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(url, query)
    assert response.status_code == 200, response.content
    assert response.json()["slots"]
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "catalog_location"' in q["sql"]]
    assert len(reads) == 1, reads


@pytest.mark.parametrize(
    ("zone", "moment", "expected"),
    [
        # Either side of Paris's spring change (01:00 UTC on 31 March 2030).
        ("Europe/Paris", datetime(2030, 3, 31, 0, 59, tzinfo=UTC), "2030-03-31T01:59:00+01:00"),
        ("Europe/Paris", datetime(2030, 3, 31, 1, 0, tzinfo=UTC), "2030-03-31T03:00:00+02:00"),
        ("Asia/Kolkata", datetime(2030, 6, 3, 7, 15, tzinfo=UTC), "2030-06-03T12:45:00+05:30"),
        ("UTC", datetime(2030, 6, 3, 7, 15, tzinfo=UTC), "2030-06-03T07:15:00+00:00"),
    ],
)
def test_local_isoformat_is_the_zone_s_local_time_with_its_offset(zone, moment, expected):
    assert local_isoformat(zone, to_minutes(moment)) == expected
    assert local_isoformat(zone, to_minutes(moment)) == expected  # cached: the same
