"""Staffing advice on a constructed schedule: two colourists work Saturday
9-19; the forecast expects 2.6 hours of colouring an hour from 10 to 14."""

from datetime import time

import pytest
from django_scopes import scope, scopes_disabled

from solibook.catalog.models import TimeOff
from solibook.forecasting.selectors import staffing_advice
from solibook.forecasting.tests.stored import store
from solibook.forecasting.tests.synthetic import NOW
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, make_service
from solibook.testing.salon import give_shifts, paris

pytestmark = pytest.mark.django_db

SATURDAY = NOW.date()  # 2030-06-01, a Saturday in Paris too


@pytest.fixture
def salon():
    business = BusinessFactory()
    location = LocationFactory(business=business)
    colour = make_service(business, name="Colour", category_slug="colouring")
    cut = make_service(business, name="Cut", category_slug="womens-haircut")
    marc = make_master(business, locations=[location], services=[colour], name="Marc")
    zoe = make_master(business, locations=[location], services=[colour, cut], name="Zoé")
    for master in (marc, zoe):
        give_shifts(master, location, start=time(9), end=time(19), weekdays=[5])
    colouring = colour.category_id

    def load(day):
        return 1.0 if day.weekday() == 5 else 0.0

    def peak(day):
        return 2.6 if day == SATURDAY else load(day)

    store(
        location,
        first=SATURDAY,
        hourly={
            **{(colouring, h): load for h in range(9, 19)},
            **{(colouring, h): peak for h in range(10, 14)},
        },
    )
    return business, location, colouring, marc


def test_saturday_ten_to_two_needs_one_more_colourist(salon):
    business, location, colouring, _marc = salon
    with scope(business=business):
        staffing = staffing_advice(location=location, days=7, now=NOW)
    advice = [(a.day, a.start, a.end, a.category_id, a.more) for a in staffing.advice]
    assert advice == [(SATURDAY, 10, 14, colouring, 1)]
    (line,) = staffing.advice
    assert line.scheduled == 2 and line.expected == 2.6
    assert line.text == "10:00–14:00: Colouring needs 1 more master"


def test_a_colourist_on_leave_makes_the_whole_day_short(salon):
    business, location, colouring, marc = salon
    with scopes_disabled():
        TimeOff.objects.create(
            business=business,
            master=marc,
            starts_at=paris(8, day=SATURDAY),
            ends_at=paris(20, day=SATURDAY),
        )
    with scope(business=business):
        staffing = staffing_advice(location=location, days=7, now=NOW)
    advice = [(a.start, a.end, a.more) for a in staffing.advice]
    # 10-14: 2.6 expected, 1 scheduled -> 2 more; the other hours: 1.0 expected, 1 scheduled.
    assert advice == [(10, 14, 2)]


def test_no_forecast_means_no_advice_rather_than_a_guess():
    business = BusinessFactory()
    location = LocationFactory(business=business)
    with scope(business=business):
        staffing = staffing_advice(location=location, days=7, now=NOW)
    assert staffing.run is None and staffing.advice == [] and staffing.cells == []
