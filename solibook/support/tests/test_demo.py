"""The demo's support desk (solibook/demo/support.py): canned replies in four
languages, tickets in several languages at each stage, one breached, and the
support login can answer. Seeded into a small world of the demo's own logins
(the whole demo is seeded by demo/tests)."""

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from solibook.accounts.models import User
from solibook.demo.platform_staff import make_platform_staff
from solibook.demo.support import seed_support
from solibook.support import selectors
from solibook.support.models import CannedReply, Status, Ticket
from solibook.testing.factories import BusinessFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_support_desk():
    now = timezone.now()
    make_platform_staff(password_hash=make_password("x"), now=now)
    users = {
        email: UserFactory(email=email, email_verified_at=now)
        for email in (
            "client@solibook.demo",
            "client.moscow@solibook.demo",
            "client.riyadh@solibook.demo",
            "owner@solibook.demo",
        )
    }
    BusinessFactory(name="Atelier Lumière")
    seed_support(users=users, now=now)
    support = User.objects.get(email="support@solibook.demo")
    assert selectors.is_support_staff(support)
    assert CannedReply.objects.count() >= 4
    assert all(r.body_fr and r.body_ru and r.body_ar for r in CannedReply.objects.all())
    tickets = Ticket.objects.all()
    assert {t.language for t in tickets} >= {"en", "fr", "ru", "ar"}
    assert {t.status for t in tickets} >= {Status.NEW, Status.WAITING, Status.RESOLVED}
    assert tickets.filter(rating=5).exists() and tickets.exclude(transcript=[]).exists()
    breached = selectors.queue(user=support, filters=selectors.QueueFilter(breached=True), now=now)
    assert breached.filter(business__name="Atelier Lumière").exists()
    emma = users["client@solibook.demo"]
    assert selectors.tickets_of_requester(emma).count() == 1
