"""Benchmark-scale data: bulk inserts, deterministic for a seed, never overlapping."""

from collections import defaultdict
from datetime import timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, AppointmentItem, BookingSegment, Status
from solibook.catalog.models import (
    Business,
    Category,
    Location,
    Master,
    MasterService,
    Service,
    ServiceStep,
    ShiftBreak,
    WeeklyShift,
)
from solibook.catalog.taxonomy import CATEGORIES
from solibook.demo.scale import seed_scale
from solibook.demo.tests.sql import overlapping_active_segments

pytestmark = pytest.mark.django_db

SCALE = ["seed_demo", "--no-demo", "--scale", "50", "--appointments-per-salon", "30", "--seed", "3"]


class _Undo(Exception):
    """Raised to roll a run back, so the same seed can run again."""


def _snapshot(prefix: str):
    """Everything generated, without database ids."""
    with scopes_disabled():
        salons = Business.objects.filter(slug__startswith=prefix)
        return {
            "locations": list(
                Location.objects.filter(business__in=salons)
                .order_by("business__slug")
                .values_list(
                    "business__slug", "business__name", "city", "time_zone", "latitude", "longitude"
                )
            ),
            "masters": list(
                Master.objects.filter(business__in=salons)
                .order_by("business__slug", "position")
                .values_list("business__slug", "display_name")
            ),
            "links": sorted(
                MasterService.objects.filter(business__in=salons).values_list(
                    "business__slug",
                    "master__display_name",
                    "service__name",
                    "price_amount",
                    "duration_delta_minutes",
                )
            ),
            "steps": sorted(
                ServiceStep.objects.filter(business__in=salons).values_list(
                    "business__slug", "service__name", "position", "duration_minutes", "master_busy"
                )
            ),
            "shifts": sorted(
                WeeklyShift.objects.filter(business__in=salons).values_list(
                    "business__slug", "master__position", "weekday", "start", "end"
                )
            ),
            "breaks": sorted(
                ShiftBreak.objects.filter(business__in=salons).values_list(
                    "business__slug", "shift__master__position", "shift__weekday", "start", "end"
                )
            ),
            "appointments": sorted(
                AppointmentItem.objects.filter(business__in=salons).values_list(
                    "business__slug",
                    "starts_at",
                    "ends_at",
                    "master__position",
                    "service__name",
                    "price_amount",
                    "appointment__status",
                    "appointment__source",
                    "appointment__client_name",
                    "appointment__client_phone",
                )
            ),
            "segments": sorted(
                BookingSegment.objects.filter(business__in=salons).values_list(
                    "business__slug", "master__position", "starts_at", "ends_at"
                )
            ),
        }


def _run_and_undo(run, prefix: str):
    try:
        with transaction.atomic():
            run()
            snapshot = _snapshot(prefix)
            raise _Undo
    except _Undo:
        return snapshot


def test_scale_command_is_deterministic_for_a_seed_and_never_overlaps():
    def run():
        call_command(*SCALE, stdout=StringIO())

    first = _run_and_undo(run, "scale-3-")
    run()
    assert _snapshot("scale-3-") == first
    assert len(first["locations"]) == 50
    assert len(first["appointments"]) == 50 * 30
    assert 50 <= len(first["masters"]) <= 150
    assert {s[4] for s in first["steps"]} == {True, False}  # some services have processing time

    with scopes_disabled():
        assert overlapping_active_segments() == 0
        assert Appointment.objects.filter(status=Status.CONFIRMED).count() == 1500
        # Every row belongs to the business of what it refers to.
        assert not AppointmentItem.objects.exclude(business=F("appointment__business")).exists()
        assert not AppointmentItem.objects.exclude(business=F("master__business")).exists()
        assert not BookingSegment.objects.exclude(business=F("appointment__business")).exists()
        assert not BookingSegment.objects.exclude(business=F("master__business")).exists()
        assert not Appointment.objects.exclude(business=F("location__business")).exists()
        now = timezone.now()
        assert (
            Appointment.objects.filter(starts_at__lt=now).exists()
            and Appointment.objects.filter(starts_at__gt=now).exists()
        )


def test_scale_segments_lie_inside_shifts_and_outside_breaks():
    seed_scale(salons=20, seed=5, appointments_per_salon=60)
    with scopes_disabled():
        working = defaultdict(list)
        for shift in WeeklyShift.objects.prefetch_related("breaks"):
            working[(shift.master_id, shift.weekday)].append(
                (shift.start, shift.end, [(b.start, b.end) for b in shift.breaks.all()])
            )
        segments = list(BookingSegment.objects.select_related("appointment__location"))
        assert len(segments) >= 20 * 60
        for segment in segments:
            zone = ZoneInfo(segment.appointment.location.time_zone)
            start, end = segment.starts_at.astimezone(zone), segment.ends_at.astimezone(zone)
            assert start.date() == end.date() and start.minute % 5 == 0
            shifts = working[(segment.master_id, start.weekday())]
            assert any(
                s <= start.time()
                and end.time() <= e
                and all(end.time() <= bs or start.time() >= be for bs, be in breaks)
                for s, e, breaks in shifts
            ), segment


def test_scale_data_does_not_depend_on_the_batch_size():
    first = _run_and_undo(
        lambda: seed_scale(salons=30, seed=7, batch=8, appointments_per_salon=5), "scale-7-"
    )
    seed_scale(salons=30, seed=7, batch=30, appointments_per_salon=5)
    assert _snapshot("scale-7-") == first
    assert len({row[2] for row in first["locations"]}) == 7  # every scale city


def test_generated_salons_answer_the_public_availability_api(api_client):
    seed_scale(salons=3, seed=11, appointments_per_salon=10)
    with scopes_disabled():
        location = (
            Location.objects.filter(business__slug__startswith="scale-11-")
            .order_by("business__slug")
            .first()
        )
        service = Service.objects.filter(business=location.business).order_by("position").first()
    day = (timezone.now() + timedelta(days=1)).date()
    response = api_client.get(
        f"/api/v1/locations/{location.pk}/availability/",
        {"service": service.pk, "date": day.isoformat(), "days": 7},
    )
    assert response.status_code == 200, response.content
    assert response.json()["slots"]


def test_seeding_reloads_a_flushed_taxonomy():
    """`manage.py flush` and transactional tests remove the categories the data migration loaded."""
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.all().delete()
    assert seed_scale(salons=2, seed=13, appointments_per_salon=3).appointments == 6
    assert Category.objects.count() == len(CATEGORIES)
