"""Business B's reviews and offers for platform/tests/test_isolation.py."""

from datetime import time

from django_scopes import scopes_disabled

from solibook.offers.models import OffPeakRule, PromoCode
from solibook.reviews.models import Review


def objects_of_b(b, location_b, appointment) -> dict:
    with scopes_disabled():
        review = Review.objects.create(
            business=b, appointment=appointment, location=location_b, author_name="B", rating=4
        )
        rule = OffPeakRule.objects.create(
            business=b, weekdays=[0], start=time(9), end=time(10), discount_percent=10
        )
        promo = PromoCode.objects.create(
            business=b, code="BCODE", discount_percent=10, currency=b.currency
        )
    return {"review_id": review.pk, "rule_id": rule.pk, "promo_id": promo.pk}
