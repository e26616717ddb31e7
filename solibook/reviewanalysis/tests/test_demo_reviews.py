"""The demo's reviews keep the reviews app's rules and, once read, show an alert."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment
from solibook.demo.review_history import seed_review_history
from solibook.reviewanalysis.models import ReviewAlert, ReviewAnalysis
from solibook.reviewanalysis.services import reviews_analyse
from solibook.reviews.models import Review
from solibook.reviews.tests.helpers import visit
from solibook.testing.factories import UserFactory
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db


def test_demo_reviews_one_per_completed_visit_then_one_alert(salon):
    online = [visit(salon, UserFactory(language="ru"), hour=h) for h in (9, 10, 11, 12)]
    walk_ins = [visit(salon, UserFactory(), hour=h, master=salon.marc) for h in range(9, 17)]
    pending = visit(salon, UserFactory(), hour=17, completed=False)
    with scopes_disabled():
        Appointment.objects.filter(pk__in=[v.pk for v in walk_ins]).update(account=None)
    now = NOW + timedelta(days=10)
    catalogues = {"salon": SimpleNamespace(business=salon.business)}
    count = seed_review_history(catalogues, now=now, seed=1, history_slug=salon.business.slug)
    with scopes_disabled():
        reviews = list(Review.objects.filter(business=salon.business))
        assert len(reviews) == count >= 5
        assert not any(r.appointment_id == pending.pk for r in reviews)  # completed visits only
        assert all(1 <= r.rating <= 5 and r.text for r in reviews)
        assert all(r.created_at > r.appointment.ends_at for r in reviews)
        by_online = [r for r in reviews if r.appointment_id in {v.pk for v in online}]
        assert all(r.author is not None for r in by_online)
        reviews_analyse(business=salon.business)
        assert ReviewAnalysis.objects.filter(business=salon.business).count() == count
        # The last three walk-ins (Marc's) were reviewed badly: one alert for the salon, one
        # for Marc.
        alerts = ReviewAlert.objects.filter(business=salon.business)
        assert {a.master_id for a in alerts} == {None, salon.marc.pk}
