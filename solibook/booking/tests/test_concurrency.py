"""No double booking under concurrency: the service, the database, and HTTP.

32 clients race for one slot. Exactly one wins; every other gets a 409; the
database holds no overlapping active segments afterwards.
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from django_scopes import scopes_disabled

from solibook.booking import services
from solibook.booking.models import Appointment, BookingSegment, Source
from solibook.booking.selectors import ItemSpec
from solibook.core.errors import Conflict
from solibook.core.tenancy import business_scope
from solibook.testing.factories import UserFactory
from solibook.testing.races import race
from solibook.testing.salon import NOW, paris

RACERS = 32
ROOT = Path(__file__).resolve().parents[3]


def overlapping_active_segments() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM booking_bookingsegment a JOIN booking_bookingsegment b
               ON a.id < b.id AND a.is_active AND b.is_active AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
               AND ((a.master_id = b.master_id) OR (a.resource_id = b.resource_id AND a.unit = b.unit))"""
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_32_threads_booking_one_slot_give_one_success(salon):
    def attempt(i):
        with business_scope(salon.business), transaction.atomic():
            return services.appointment_create(
                business=salon.business,
                location_id=salon.location.pk,
                specs=[ItemSpec(salon.cut.pk, master_id=salon.lea.pk)],
                start=paris(10),
                source=Source.MARKETPLACE,
                now=NOW,
            )

    results = race(RACERS, attempt)
    wins = [r for r in results if isinstance(r, Appointment)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(wins) == 1, results
    assert len(conflicts) == RACERS - 1, [
        r for r in results if not isinstance(r, Appointment | Conflict)
    ]
    assert {c.code for c in conflicts} <= {"slot_taken", "busy"}
    with scopes_disabled():
        assert Appointment.objects.count() == 1
    assert overlapping_active_segments() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_any_master_race_fills_each_master_once(salon):
    def attempt(i):
        with business_scope(salon.business), transaction.atomic():
            return services.appointment_create(
                business=salon.business,
                location_id=salon.location.pk,
                specs=[ItemSpec(salon.cut.pk)],
                start=paris(10),
                source=Source.MARKETPLACE,
                now=NOW,
            )

    results = race(8, attempt)
    wins = [r for r in results if isinstance(r, Appointment)]
    assert len(wins) == 2  # Léa and Marc, once each
    assert overlapping_active_segments() == 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_itself_refuses_overlapping_segments(salon):
    appointment = Appointment.objects.create(
        business=salon.business,
        location=salon.location,
        starts_at=paris(10),
        ends_at=paris(11),
        price_amount=1,
        currency="EUR",
    )
    with scopes_disabled():
        from solibook.booking.models import AppointmentItem

        item = AppointmentItem.objects.create(
            business=salon.business,
            appointment=appointment,
            service=salon.cut,
            master=salon.lea,
            starts_at=paris(10),
            ends_at=paris(11),
            price_amount=1,
        )
    BookingSegment.objects.create(
        business=salon.business,
        appointment=appointment,
        item=item,
        master=salon.lea,
        starts_at=paris(10),
        ends_at=paris(11),
    )
    # Back to back is fine: ranges are half-open.
    BookingSegment.objects.create(
        business=salon.business,
        appointment=appointment,
        item=item,
        master=salon.lea,
        starts_at=paris(11),
        ends_at=paris(12),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingSegment.objects.create(
            business=salon.business,
            appointment=appointment,
            item=item,
            master=salon.lea,
            starts_at=paris(10, 30),
            ends_at=paris(10, 45),
        )
    # An inactive (cancelled) segment does not block.
    BookingSegment.objects.create(
        business=salon.business,
        appointment=appointment,
        item=item,
        master=salon.lea,
        starts_at=paris(10, 30),
        ends_at=paris(10, 45),
        is_active=False,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_32_http_clients_race_against_a_running_server(live_server, salon):
    users = [UserFactory() for _ in range(RACERS)]
    tokens = []
    for user in users:
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/auth/token/",
            data=json.dumps({"email": user.email, "password": "a-long-test-password-42"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own live server
            tokens.append(json.load(response)["access"])
    body = json.dumps(
        {
            "location_id": salon.location.pk,
            "items": [{"service_id": salon.cut.pk, "master_id": salon.lea.pk}],
            "start": paris(10).isoformat(),
            "source": "marketplace",
        }
    ).encode()

    def attempt(i):
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/appointments/",
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {tokens[i]}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    results = race(RACERS, attempt)
    statuses = sorted(status for status, _body in results)
    assert statuses == [201] + [409] * (RACERS - 1), results
    assert all(body["error"]["message"] for status, body in results if status == 409)
    assert overlapping_active_segments() == 0


SQLITE_RACE = r"""
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.db import transaction
from django_scopes import scopes_disabled
from solibook.booking import services
from solibook.booking.models import Appointment, Source
from solibook.booking.selectors import ItemSpec
from solibook.core.errors import Conflict
from solibook.core.tenancy import business_scope
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, make_service
from solibook.testing.races import race
from solibook.testing.salon import NOW, give_shifts, paris

with scopes_disabled():
    business = BusinessFactory(lead_time_minutes=0, horizon_days=3650)
    location = LocationFactory(business=business, time_zone="Europe/Paris")
    cut = make_service(business, steps=[(60, True)])
    master = make_master(business, locations=[location], services=[cut])
    give_shifts(master, location)

def attempt(i):
    with business_scope(business), transaction.atomic():
        services.appointment_create(business=business, location_id=location.pk, specs=[ItemSpec(cut.pk, master_id=master.pk)],
                                    start=paris(10), source=Source.MARKETPLACE, now=NOW)
    return "ok"
outcome = ["conflict" if isinstance(r, Conflict) else r for r in race(16, attempt)]
with scopes_disabled():
    print(outcome.count("ok"), outcome.count("conflict"), Appointment.objects.count())
"""


def test_sqlite_serialises_concurrent_bookings(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "localhost",
        "DEBUG": "0",
        "SOLIBOOK_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_RACE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split()[-3:] == ["1", "15", "1"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_class_never_takes_more_clients_than_its_capacity(salon):
    from solibook.catalog.models import MasterService
    from solibook.catalog.versioning import catalog_changed
    from solibook.testing.factories import make_service

    yoga = make_service(
        salon.business,
        name="Yoga",
        steps=[(60, True)],
        category_slug="fitness-class",
        group_capacity=3,
    )
    with scopes_disabled():
        MasterService.objects.create(business=salon.business, master=salon.marc, service=yoga)
    catalog_changed(salon.business.pk)

    def attempt(i):
        with business_scope(salon.business), transaction.atomic():
            return services.appointment_create(
                business=salon.business,
                location_id=salon.location.pk,
                specs=[ItemSpec(yoga.pk, master_id=salon.marc.pk)],
                start=paris(16),
                source=Source.MARKETPLACE,
                now=NOW,
            )

    results = race(12, attempt)
    seats = [r for r in results if isinstance(r, Appointment)]
    assert len(seats) == 3, results
    assert len({a.session_id for a in seats}) == 1
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, Appointment))
    assert overlapping_active_segments() == 0
