"""The demo has upcoming group classes a client can book online: seats left in
most sessions, two sessions full."""

import pytest
from django.db.models import Count, Q
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking.models import ClassSession, Status

pytestmark = pytest.mark.django_db


def test_every_group_class_has_upcoming_sessions_two_of_them_full(demo):
    assert demo.missed == []
    with scopes_disabled():
        sessions = (
            ClassSession.objects.filter(is_active=True, starts_at__gt=timezone.now())
            .annotate(taken=Count("attendees", filter=Q(attendees__status=Status.CONFIRMED)))
            .select_related("service", "business")
        )
        by_service: dict = {}
        for session in sessions:
            by_service.setdefault(session.service, []).append(session)
    assert {s.business.slug for s in by_service} >= {"spa-des-canuts"}
    assert len(by_service) == 2  # the yoga in Lyon and the nail class in Moscow
    for service, rows in by_service.items():
        assert service.bookable_online and service.is_group
        assert len(rows) >= 3
        assert sum(r.taken == r.capacity for r in rows) == 2
        assert any(0 < r.taken < r.capacity for r in rows)
