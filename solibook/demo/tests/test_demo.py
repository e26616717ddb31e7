"""The demo world, seeded once for this module through the real services:
every catalogue feature, and a living calendar of appointments."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking.models import (
    Appointment,
    AppointmentEvent,
    AppointmentItem,
    BookingSegment,
    Source,
    Status,
)
from solibook.catalog.models import (
    Business,
    DateOverride,
    Location,
    LocationClosure,
    Master,
    MasterService,
    OpeningHours,
    Resource,
    Service,
    ServiceStep,
    ServiceVariant,
    ShiftBreak,
    TimeOff,
    WeeklyShift,
)
from solibook.core.models import AuditEvent, OutboxEvent
from solibook.demo.catalogue import clock
from solibook.demo.catalogue_data import CATALOGUES
from solibook.demo.noshow import NO_SHOW_CLIENTS
from solibook.demo.tests.sql import overlapping_active_segments
from solibook.demo.till import TILL_CLIENTS
from solibook.demo.visits_data import CLIENT_VISITS, FUTURE_DAYS, PAST_DAYS

pytestmark = pytest.mark.django_db


# --- the catalogue ---------------------------------------------------------------

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
ARABIC = re.compile("[\u0600-\u06ff]")


def test_services_are_local_priced_in_the_business_currency_and_mapped_to_categories(demo):
    with scopes_disabled():
        for business in Business.objects.all():
            services = list(Service.objects.filter(business=business).select_related("category"))
            assert len(services) >= 5, business.name
            assert {s.currency for s in services} == {business.currency}
            assert all(s.price_amount > 0 and s.category_id for s in services)
            script = {"RU": CYRILLIC, "SA": ARABIC}.get(business.country)
            if script:
                assert all(script.search(s.name) for s in services), business.name
                assert all(
                    script.search(m.display_name) for m in Master.objects.filter(business=business)
                )
        categories = set(Service.objects.values_list("category__slug", flat=True))
    assert {
        "womens-haircut",
        "mens-haircut",
        "highlights",
        "blow-dry",
        "keratin",
        "relaxing-massage",
        "hammam",
        "manicure",
        "gel-nails",
        "beard",
        "henna",
        "bridal-makeup",
        "fitness-class",
    } <= categories


def test_paris_balayage_has_processing_time_and_blow_dry_has_variants(demo):
    with scopes_disabled():
        balayage = Service.objects.get(
            business__slug="atelier-lumiere", category__slug="highlights"
        )
        steps = list(
            balayage.steps.filter(variant__isnull=True).values_list(
                "duration_minutes", "master_busy"
            )
        )
        assert steps == [(30, True), (35, False), (30, True)]
        assert ServiceStep.objects.filter(master_busy=False).count() >= 10

        blow_dry = Service.objects.get(business__slug="atelier-lumiere", category__slug="blow-dry")
        variants = list(blow_dry.variants.order_by("position"))
        assert [v.name for v in variants] == ["Cheveux courts", "Cheveux mi-longs", "Cheveux longs"]
        assert len({v.price_amount for v in variants}) == 3
        durations = [sum(v.steps.values_list("duration_minutes", flat=True)) for v in variants]
        assert durations == sorted(durations) and len(set(durations)) == 3
        assert ServiceVariant.objects.values("service__business").distinct().count() >= 5


def test_service_rules_patch_test_consultation_class_buffers(demo):
    with scopes_disabled():
        keratin = Service.objects.get(business__slug="atelier-lumiere", category__slug="keratin")
        assert keratin.requires_patch_test
        assert Service.objects.filter(requires_consultation=True).exists()
        assert Service.objects.filter(bookable_online=False).exists()
        assert Service.objects.filter(price_is_from=True).exists()
        assert Service.objects.filter(buffer_after_minutes__gt=0).exists()
        assert Service.objects.filter(buffer_before_minutes__gt=0).exists()
        yoga = Service.objects.get(category__slug="fitness-class")
        assert yoga.group_capacity > 1 and yoga.is_group


def test_spa_massage_needs_one_of_two_rooms_and_the_hammam_seats_several(demo):
    with scopes_disabled():
        spa = Location.objects.get(name="Spa des Canuts")
        rooms = Resource.objects.filter(location=spa, resource_type__name="Cabine de massage")
        assert rooms.count() == 2
        massage = Service.objects.get(business=spa.business, category__slug="relaxing-massage")
        assert list(massage.resource_types.values_list("name", flat=True)) == ["Cabine de massage"]
        assert Resource.objects.filter(capacity__gt=1).count() >= 3  # hammams and pedicure chairs
        assert (
            Service.objects.filter(category__slug="hammam", resource_types__isnull=False).count()
            == 2
        )


def test_masters_have_own_prices_paces_and_one_is_the_demo_master_user(demo):
    with scopes_disabled():
        assert MasterService.objects.filter(price_amount__isnull=False).count() >= 5
        assert MasterService.objects.exclude(duration_delta_minutes=0).count() >= 5
        lea = Master.objects.select_related("business").get(user__email="master@solibook.demo")
        assert lea.display_name == "Léa Martin" and lea.business.name == "Atelier Lumière"
        assert lea.locations.count() == 2  # Marais on weekdays, Batignolles on Saturdays
        for location in Location.objects.all():
            assert location.masters.count() >= 2, location.name
        assert not Master.objects.annotate(n=Count("weekly_shifts")).filter(n=0).exists()


def test_schedules_have_split_shifts_breaks_overrides_and_time_off(demo):
    now = timezone.now()
    with scopes_disabled():
        split = (
            WeeklyShift.objects.values("master", "location", "weekday")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        )
        assert split.count() >= 10
        assert ShiftBreak.objects.count() >= 20
        assert DateOverride.objects.filter(start__isnull=True).exists()  # a day off
        assert (
            DateOverride.objects.filter(start__isnull=False).count() >= 5
        )  # extra or shorter days
        assert TimeOff.objects.filter(ends_at__lt=now).exists()
        assert TimeOff.objects.filter(starts_at__gt=now).exists()
        assert set(TimeOff.objects.values_list("reason", flat=True)) == {
            "vacation",
            "sickness",
            "training",
        }
        # Riyadh closes in the afternoon: two opening periods a day.
        olaya = Location.objects.get(city="الرياض", business__name="صالون لمسة ورد")
        assert (
            OpeningHours.objects.filter(location=olaya)
            .values("weekday")
            .annotate(n=Count("id"))
            .filter(n=2)
            .count()
            == 6
        )
        assert not Location.objects.annotate(n=Count("opening_hours")).filter(n=0).exists()


def test_public_holidays_are_imported_for_this_year_and_next(demo):
    year = timezone.now().year
    with scopes_disabled():
        for location in Location.objects.all():
            holidays = LocationClosure.objects.filter(
                location=location, source=LocationClosure.Source.HOLIDAY
            )
            assert holidays.filter(date__year=year).exists(), location.name
            assert holidays.filter(date__year=year + 1).exists(), location.name
        assert LocationClosure.objects.filter(source=LocationClosure.Source.MANUAL).count() == 2
        assert (
            AuditEvent.objects.filter(action="location.holidays_import").count()
            == 2 * Location.objects.count()
        )


def test_business_settings_are_filled_in(demo):
    with scopes_disabled():
        businesses = list(Business.objects.all())
    assert all(b.legal_name and b.registration_number and b.languages for b in businesses)
    assert {b.deposit_rule for b in businesses} == {"none", "fixed", "percent"}
    assert len({b.slot_step_minutes for b in businesses}) > 1
    assert any(b.cancellation_fee_percent for b in businesses)


def test_demo_data_is_consistent():
    """Without a database: shifts lie inside opening hours, names resolve."""
    for name, spec in CATALOGUES.items():
        keys = {s["key"] for s in spec["services"]}
        hours = {
            (location, weekday): [(clock(o), clock(c)) for o, c in periods]
            for location, rows in spec["opening_hours"].items()
            for weekdays, periods in rows
            for weekday in weekdays
        }
        for master in spec["masters"]:
            assert {
                link if isinstance(link, str) else link[0] for link in master["services"]
            } <= keys, master["name"]
            for location, rows in master["schedule"].items():
                for weekdays, shifts in rows:
                    for weekday in weekdays:
                        for start, end, _breaks in shifts:
                            assert any(
                                o <= clock(start) and clock(end) <= c
                                for o, c in hours.get((location, weekday), [])
                            ), (name, master["name"], weekday)
    for _email, location, items, *_rest in CLIENT_VISITS:
        spec = next(s for s in CATALOGUES.values() if location in s["opening_hours"])
        services = {s["key"]: s for s in spec["services"]}
        for key, variant, _master in items:
            assert key in services
            assert variant is None or variant in {
                v["name"] for v in services[key].get("variants", ())
            }


# --- the appointments ------------------------------------------------------------


def test_a_few_hundred_visits_past_and_future_with_believable_statuses(demo):
    now = timezone.now()
    with scopes_disabled():
        appointments = Appointment.objects.all()
        assert 300 <= appointments.count() <= 1000
        # Past visits are settled, except the no-show journey's (left unchecked on purpose).
        # The till's visits are due today as near to now as the day allows: after
        # closing time that is earlier today, still waiting for the receptionist.
        unchecked = [name for name, _phone in (*NO_SHOW_CLIENTS, *TILL_CLIENTS)]
        past = set(
            appointments.filter(ends_at__lte=now)
            .exclude(client_name__in=unchecked)
            .values_list("status", flat=True)
        )
        future = set(appointments.filter(starts_at__gt=now).values_list("status", flat=True))
        assert past == {Status.COMPLETED, Status.NO_SHOW, Status.CANCELLED}
        assert future == {Status.CONFIRMED, Status.CANCELLED}
        assert {Source.MARKETPLACE, Source.BACK_OFFICE, Source.BOOKING_LINK} <= set(
            appointments.values_list("source", flat=True)
        )
        assert not appointments.filter(
            Q(starts_at__lt=now - timedelta(days=PAST_DAYS + 2))
            | Q(starts_at__gt=now + timedelta(days=FUTURE_DAYS + 2))
        ).exists()
        for location in Location.objects.all():
            assert appointments.filter(location=location, status=Status.COMPLETED).count() >= 10, (
                location.name
            )
            assert appointments.filter(location=location, status=Status.CONFIRMED).count() >= 5, (
                location.name
            )
        # Prices come from the catalogue: the visit's total is its items'.
        assert not appointments.annotate(total=Count("items")).filter(total=0).exists()
        mismatched = [
            a.pk
            for a in appointments.prefetch_related("items")
            if a.price_amount != sum(i.price_amount for i in a.items.all())
        ]
        assert mismatched == []
        assert AppointmentItem.objects.filter(variant__isnull=False).count() >= 20
        assert Appointment.objects.annotate(n=Count("items")).filter(n__gt=1).count() >= 5


def test_every_planned_visit_was_booked(demo):
    assert demo.missed == []
    with scopes_disabled():
        assert Appointment.objects.count() == demo.appointments


def test_demo_clients_have_past_and_upcoming_visits(demo):
    now = timezone.now()
    with scopes_disabled():
        for email in (
            "client@solibook.demo",
            "client.moscow@solibook.demo",
            "client.riyadh@solibook.demo",
        ):
            visits = Appointment.objects.filter(account__email=email)
            assert visits.filter(starts_at__lt=now, status=Status.COMPLETED).count() >= 2, email
            assert visits.filter(starts_at__gt=now, status=Status.CONFIRMED).count() >= 2, email
            assert visits.filter(status=Status.CANCELLED).exists(), email
        # The keratin visit was allowed by the client's patch test; the bridal
        # make-up by her approved consultation.
        assert Appointment.objects.filter(
            account__email="client@solibook.demo",
            items__service__requires_patch_test=True,
            status=Status.CONFIRMED,
        ).exists()
        assert Appointment.objects.filter(
            account__email="client.riyadh@solibook.demo", items__service__requires_consultation=True
        ).exists()
        assert Appointment.objects.filter(
            account__email="client@solibook.demo", status=Status.NO_SHOW
        ).exists()


def test_the_demo_master_user_has_a_calendar(demo):
    now = timezone.now()
    with scopes_disabled():
        lea = Master.objects.get(user__email="master@solibook.demo")
        items = AppointmentItem.objects.filter(master=lea)
        assert items.filter(starts_at__lt=now).count() >= 5
        assert items.filter(starts_at__gt=now).count() >= 3
        # Processing time: Léa's balayage blocks her twice, not for the whole visit.
        balayage = items.filter(service__category__slug="highlights").first()
        assert balayage is not None
        assert balayage.segments.filter(master=lea).count() == 2


def test_no_overlaps_and_cancelled_visits_free_their_time(demo):
    with scopes_disabled():
        assert overlapping_active_segments() == 0
        assert not BookingSegment.objects.filter(
            appointment__status=Status.CANCELLED, is_active=True
        ).exists()
        assert BookingSegment.objects.filter(resource__isnull=False, is_active=True).count() >= 20
        cancelled = Appointment.objects.filter(status=Status.CANCELLED)
        assert cancelled.count() >= 10
        assert not cancelled.filter(cancelled_at__isnull=True).exists()
        assert (
            cancelled.filter(cancelled_by_client=True).exists()
            and cancelled.filter(cancelled_by_client=False).exists()
        )


def test_visits_respect_opening_hours_and_history_is_dated(demo):
    now = timezone.now()
    with scopes_disabled():
        for appointment in Appointment.objects.select_related("location").prefetch_related(
            "location__opening_hours"
        ):
            zone = ZoneInfo(appointment.location.time_zone)
            start, end = (
                appointment.starts_at.astimezone(zone),
                appointment.ends_at.astimezone(zone),
            )
            periods = [
                h for h in appointment.location.opening_hours.all() if h.weekday == start.weekday()
            ]
            assert any(h.opens <= start.time() and end.time() <= h.closes for h in periods), (
                appointment
            )
        # Booked before it started; events carry their own moments.
        assert not Appointment.objects.filter(created_at__gte=F("starts_at")).exists()
        assert not AppointmentEvent.objects.filter(
            kind="status", created_at__lt=F("appointment__starts_at")
        ).exists()
        assert not AppointmentEvent.objects.filter(created_at__gt=now).exists()
        assert not OutboxEvent.objects.filter(
            topic__startswith="appointment.", processed_at__isnull=True
        ).exists()


def test_public_availability_api_offers_paris_slots_after_seeding(demo, api_client):
    with scopes_disabled():
        marais = Location.objects.get(name="Atelier Lumière Marais")
        cut = Service.objects.get(business=marais.business, category__slug="womens-haircut")
        blow_dry = Service.objects.get(business=marais.business, category__slug="blow-dry")
        long_hair = blow_dry.variants.get(name="Cheveux longs")
    tomorrow = (timezone.now().astimezone(ZoneInfo("Europe/Paris")) + timedelta(days=1)).date()
    url = f"/api/v1/locations/{marais.pk}/availability/"

    response = api_client.get(url, {"service": cut.pk, "date": tomorrow.isoformat(), "days": 7})
    assert response.status_code == 200, response.content
    slots = response.json()["slots"]
    assert len(slots) >= 20
    assert {s["currency"] for s in slots} == {"EUR"}
    assert {s["price_amount"] for s in slots} <= {6500, 7500}  # Chloé's own price

    response = api_client.get(
        url,
        {"service": blow_dry.pk, "variant": long_hair.pk, "date": tomorrow.isoformat(), "days": 7},
    )
    assert response.status_code == 200, response.content
    assert {s["price_amount"] for s in response.json()["slots"]} == {4800}
