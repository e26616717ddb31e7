"""The synthetic year (solibook.demo.history): its rows read like the product's,
never overlap, keep their truth, and are the same for the same seed."""

from collections import Counter
from datetime import time, timedelta

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, AppointmentItem, Status
from solibook.catalog.models import Business, Location
from solibook.clients.models import Client
from solibook.demo.history import seed_history
from solibook.demo.scale import seed_scale
from solibook.demo.tests.sql import overlapping_active_segments
from solibook.finance.models import Checkout, CheckoutLine, Payment

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


def _salon():
    seed_scale(salons=1, seed=11, appointments_per_salon=40)
    business = Business.objects.get(slug="scale-11-0")
    return business, Location.objects.get(business=business)


def _rows(business):
    return sorted(
        AppointmentItem.objects.filter(business=business).values_list(
            "appointment__status", "appointment__source", "service__name",
            "master__display_name", "starts_at", "price_amount", "appointment__client_card__phone",
        )
    )  # fmt: skip


def test_history_is_consistent_and_keeps_its_truth():
    now = timezone.now()
    with scopes_disabled():
        business, location = _salon()
        before = Appointment.objects.filter(business=business).count()
        truth = seed_history(business=business, location=location, now=now, days=120, clients=80)
        visits = Appointment.objects.filter(business=business, client_card__isnull=False)
        assert (
            truth.appointments
            == visits.count()
            == Appointment.objects.filter(business=business).count() - before
        )
        assert truth.appointments > 100
        assert overlapping_active_segments() == 0
        # Strictly in the past, within the days asked.
        assert not visits.filter(starts_at__gte=now).exists()
        assert not visits.filter(starts_at__lt=now - timedelta(days=122)).exists()
        statuses = Counter(visits.values_list("status", flat=True))
        assert set(statuses) <= {Status.COMPLETED, Status.NO_SHOW, Status.CANCELLED}
        assert statuses[Status.COMPLETED] == truth.completed == truth.checkouts
        assert 0 < statuses[Status.NO_SHOW] < 0.15 * truth.appointments
        # Checkouts add up, as the till would write them.
        checkouts = Checkout.objects.filter(business=business, appointment__in=visits)
        assert checkouts.count() == truth.completed
        for checkout in checkouts.prefetch_related("lines")[:50]:
            lines = list(checkout.lines.all())
            assert checkout.total == sum(line.gross_amount for line in lines)
            assert checkout.net_total + checkout.tax_total == checkout.total
        paid = Payment.objects.filter(checkout__in=checkouts).aggregate(s=Sum("amount"))["s"]
        assert paid == checkouts.aggregate(s=Sum("total"))["s"]
        assert CheckoutLine.objects.filter(
            checkout__in=checkouts, kind=CheckoutLine.Kind.PRODUCT
        ).exists()
        # Booked before the visit; cards created at their first booking.
        assert all(a.created_at < a.starts_at for a in visits[:200])
        cards = Client.objects.filter(pk__in=truth.profiles)
        assert cards.count() == len(truth.profiles) > 20
        assert set(truth.churned) <= set(truth.profiles)
        assert all(card in truth.profiles for card, _s in truth.intervals)
        assert not cards.filter(hair_type="").exists()


def test_same_seed_same_rows():
    now = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    runs = []
    with scopes_disabled():
        for _ in range(2):
            try:
                with transaction.atomic():
                    business, location = _salon()
                    seed_history(business=business, location=location, now=now, days=60, clients=40)
                    runs.append(_rows(business))
                    raise _Undo
            except _Undo:
                pass
    assert runs[0] and runs[0] == runs[1]


def test_an_add_on_after_a_buffered_service_never_overlaps_it():
    """A pedicure keeps its master 10 minutes after the client leaves; the
    brows a nail client adds start after that, never inside it (PostgreSQL's
    exclusion constraint refuses the insert otherwise)."""
    from solibook.testing.factories import (
        BusinessFactory,
        LocationFactory,
        make_master,
        make_service,
    )
    from solibook.testing.salon import give_shifts

    business = BusinessFactory(country="FR")
    location = LocationFactory(business=business, time_zone="Europe/Paris", country="FR")
    pedicure = make_service(
        business, name="Pedicure", steps=[(75, True)], category_slug="pedicure",
        buffer_after_minutes=10,
    )  # fmt: skip
    brows = make_service(
        business, name="Brows", steps=[(15, True), (10, False), (10, True)],
        category_slug="brow-shaping",
    )  # fmt: skip
    master = make_master(business, locations=[location], services=[pedicure, brows])
    give_shifts(master, location)
    with scopes_disabled():
        from solibook.catalog.models import OpeningHours

        OpeningHours.objects.bulk_create(
            [
                OpeningHours(
                    business=business, location=location, weekday=d, opens=time(9), closes=time(18)
                )  # fmt: skip
                for d in range(7)
            ]
        )
        truth = seed_history(
            business=business, location=location, now=timezone.now(), days=90, clients=150
        )
        two_items = Appointment.objects.filter(business=business).annotate(n=Count("items"))
        assert two_items.filter(n=2).exists()  # some nail visits added brows
    assert truth.appointments > 50
    assert overlapping_active_segments() == 0
