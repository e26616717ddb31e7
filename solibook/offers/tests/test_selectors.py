from datetime import date, datetime, time

import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from solibook.offers.models import OffPeakRule
from solibook.offers.selectors import OffPeakPricer, offer_badges
from solibook.testing.factories import BusinessFactory

pytestmark = pytest.mark.django_db
MONDAY = date(2030, 6, 3)


@pytest.fixture(autouse=True)
def english():
    """Labels are checked in English, whatever a previous test activated."""
    with translation.override("en"):
        yield


def rule(business, **fields):
    values = {
        "weekdays": [0, 1, 2],
        "start": time(14),
        "end": time(17),
        "discount_percent": 20,
        **fields,
    }
    with scopes_disabled():
        return OffPeakRule.objects.create(business=business, **values)


def test_offer_badges_label_the_running_off_peak_discounts(django_assert_num_queries):
    one, two, none = BusinessFactory(), BusinessFactory(), BusinessFactory()
    rule(one)
    rule(two, discount_percent=10)
    rule(two, discount_percent=30, weekdays=[5])
    rule(none, is_active=False)
    rule(none, valid_until=date(2020, 1, 1))

    with django_assert_num_queries(1):
        badges = offer_badges([one.pk, two.pk, none.pk])

    assert badges[one.pk] == ["−20% off-peak"]
    assert badges[two.pk] == ["Up to −30% off-peak"]
    assert badges[none.pk] == []


def test_offer_badges_on_a_day_keep_that_weekday_only():
    business = BusinessFactory()
    rule(business, discount_percent=10, weekdays=[0])
    rule(business, discount_percent=30, weekdays=[5])
    rule(business, discount_percent=50, weekdays=[0], valid_from=date(2030, 7, 1))

    assert offer_badges([business.pk], day=MONDAY)[business.pk] == ["−10% off-peak"]
    assert offer_badges([business.pk], day=date(2030, 6, 8))[business.pk] == ["−30% off-peak"]


def test_offer_badges_are_translated():
    business = BusinessFactory()
    rule(business)
    with translation.override("fr"):
        label = offer_badges([business.pk])[business.pk][0]
    assert "20" in label and label != "−20% off-peak"


def test_pricer_applies_the_best_rule_of_the_window_in_integer_minor_units():
    business = BusinessFactory(currency="EUR")
    rule(business, discount_percent=15)
    rule(business, discount_percent=25, start=time(15), end=time(16))
    pricer = OffPeakPricer(business_id=business.pk, location_id=0, day_from=MONDAY, day_to=MONDAY)

    assert pricer.price(datetime.combine(MONDAY, time(13, 45)), 4599) is None
    at_two = pricer.price(datetime.combine(MONDAY, time(14)), 4599)
    assert (at_two.percent, at_two.discount_amount, at_two.price_amount) == (15, 689, 3910)
    assert pricer.price(datetime.combine(MONDAY, time(15, 30)), 4599).percent == 25
    assert pricer.price(datetime.combine(MONDAY, time(17)), 4599) is None  # the end is excluded
    assert pricer.price(datetime.combine(date(2030, 6, 6), time(15)), 4599) is None  # Thursday
