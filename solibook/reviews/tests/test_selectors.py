from decimal import Decimal

import pytest

from solibook.reviews.models import ReviewStatus
from solibook.reviews.selectors import master_rating_summary, rating_summary
from solibook.reviews.services import review_create
from solibook.reviews.tests.helpers import visit
from solibook.testing.factories import BusinessFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_rating_summary_counts_published_reviews_per_salon(salon, django_assert_num_queries):
    client = UserFactory()
    for hour, stars in ((9, 5), (11, 4), (13, 4)):
        review_create(user=client, appointment_id=visit(salon, client, hour=hour).pk, rating=stars)
    hidden = review_create(user=client, appointment_id=visit(salon, client, hour=15).pk, rating=1)
    hidden.status = ReviewStatus.HIDDEN
    hidden.save()
    other = BusinessFactory()

    with django_assert_num_queries(1):
        summary = rating_summary([salon.business.pk, other.pk])

    mine = summary[salon.business.pk]
    assert mine["count"] == 3
    assert mine["average"] == Decimal("4.3")
    assert mine["distribution"] == {1: 0, 2: 0, 3: 0, 4: 2, 5: 1}
    assert summary[other.pk] == {
        "average": None,
        "count": 0,
        "distribution": {1: 0, 2: 0, 3: 0, 4: 0, 5: 0},
    }


def test_rating_summary_of_nothing_is_empty_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert rating_summary([]) == {}
        assert master_rating_summary([]) == {}


def test_master_rating_summary_counts_each_review_for_the_masters_who_served(salon):
    client = UserFactory()
    review_create(
        user=client, appointment_id=visit(salon, client, hour=9, master=salon.lea).pk, rating=5
    )
    review_create(
        user=client, appointment_id=visit(salon, client, hour=11, master=salon.marc).pk, rating=2
    )
    review_create(
        user=client, appointment_id=visit(salon, client, hour=14, master=salon.marc).pk, rating=3
    )

    summary = master_rating_summary([salon.lea.pk, salon.marc.pk])

    assert summary[salon.lea.pk]["count"] == 1 and summary[salon.lea.pk]["average"] == Decimal(
        "5.0"
    )
    assert summary[salon.marc.pk]["count"] == 2 and summary[salon.marc.pk]["average"] == Decimal(
        "2.5"
    )
    assert summary[salon.marc.pk]["distribution"][2] == 1
