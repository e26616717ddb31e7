from io import StringIO

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from solibook.accounts.models import Membership, User
from solibook.booking.models import Appointment
from solibook.catalog.models import Business, Location
from solibook.demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_demo_covers_four_cities_three_currencies_and_every_role(client):
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "appointments" in out.getvalue()
    with scopes_disabled():
        cities = set(Location.objects.values_list("city", flat=True))
        roles = set(Membership.objects.values_list("role", flat=True))
        appointments = Appointment.objects.count()
    assert cities == {"Paris", "Lyon", "Москва", "الرياض"}
    assert set(Business.objects.values_list("currency", flat=True)) == {"EUR", "RUB", "SAR"}
    assert roles == {"owner", "receptionist", "master", "accountant"}
    assert User.objects.get(email="admin@solibook.demo").is_staff

    # The demo owner logs into the back office; the client logs in.
    assert client.login(username="owner@solibook.demo", password=DEMO_PASSWORD)
    assert client.get("/en/office/atelier-lumiere/").status_code == 200
    assert client.login(username="client@solibook.demo", password=DEMO_PASSWORD)

    # --if-empty leaves an existing database alone.
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    assert User.objects.filter(email="owner@solibook.demo").count() == 1
    with scopes_disabled():
        assert Appointment.objects.count() == appointments
