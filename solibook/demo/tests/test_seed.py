import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from solibook.accounts.models import Membership, User
from solibook.catalog.models import Business, Location
from solibook.demo.data import DEMO_PASSWORD
from solibook.demo.seed import seed_scale

pytestmark = pytest.mark.django_db


def test_demo_covers_four_cities_three_currencies_and_every_role(client):
    call_command("seed_demo", "--if-empty", verbosity=0)
    with scopes_disabled():
        cities = set(Location.objects.values_list("city", flat=True))
        roles = set(Membership.objects.values_list("role", flat=True))
    assert cities == {"Paris", "Lyon", "Москва", "الرياض"}
    assert set(Business.objects.values_list("currency", flat=True)) == {"EUR", "RUB", "SAR"}
    assert roles == {"owner", "receptionist", "master", "accountant"}
    assert User.objects.get(email="admin@solibook.demo").is_staff

    # The demo owner logs into the back office; the client logs in.
    assert client.login(username="owner@solibook.demo", password=DEMO_PASSWORD)
    assert client.get("/en/office/atelier-lumiere/").status_code == 200
    assert client.login(username="client@solibook.demo", password=DEMO_PASSWORD)

    # --if-empty leaves an existing database alone.
    call_command("seed_demo", "--if-empty", verbosity=0)
    assert User.objects.filter(email="owner@solibook.demo").count() == 1


def _snapshot():
    with scopes_disabled():
        return list(Location.objects.order_by("business__slug").values_list("business__name", "city", "latitude", "longitude"))


def test_scale_data_is_deterministic_for_a_seed():
    assert seed_scale(salons=30, seed=7, batch=8) == 30
    first = _snapshot()
    Business.objects.filter(slug__startswith="scale-7-").delete()
    User.objects.filter(email__endswith="@scale.solibook.test").delete()
    seed_scale(salons=30, seed=7, batch=8)
    assert _snapshot() == first
    assert len({row[1] for row in first}) == 7
