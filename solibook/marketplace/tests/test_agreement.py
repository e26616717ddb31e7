"""Free-time search agrees with the booking engine: every salon the search
says has a free time really offers that time through the availability API
(processing time, resources, breaks, a master's own pace, bookings)."""

import contextlib
import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking import services
from solibook.booking.models import Source
from solibook.booking.selectors import ItemSpec
from solibook.catalog.models import (
    Category,
    MasterService,
    Resource,
    ResourceType,
    ServiceResourceType,
    ShiftBreak,
    WeeklyShift,
)
from solibook.catalog.versioning import catalog_changed
from solibook.core.errors import DomainError
from solibook.core.tenancy import business_scope
from solibook.marketplace.models import FreeTime, SalonListing, ServiceListing
from solibook.marketplace.search import SearchQuery, category_ids, earliest_slot, salon_search
from solibook.marketplace.tests.conftest import refresh
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, make_service
from solibook.testing.salon import MONDAY, NOW, give_shifts

pytestmark = pytest.mark.django_db


def _salon(rng: random.Random, n: int):
    business = BusinessFactory(
        lead_time_minutes=0, horizon_days=3650, slot_step_minutes=rng.choice([10, 15, 30])
    )
    location = LocationFactory(
        business=business, time_zone=rng.choice(["Europe/Paris", "Europe/Moscow", "Asia/Riyadh"])
    )
    cut = make_service(
        business,
        name=f"Cut {n}",
        steps=[(rng.choice([30, 45, 60]), True)],
        price=3000,
        buffer_after_minutes=rng.choice([0, 10]),
    )
    colour = make_service(
        business,
        name=f"Colour {n}",
        steps=[(30, True), (35, False), (20, True)],
        price=8000,
        category_slug="colouring",
    )
    masters = []
    for i in range(rng.randint(1, 3)):
        master = make_master(
            business, locations=[location], services=[cut, colour], name=f"M{n}.{i}"
        )
        start = rng.choice([8, 9, 10, 12])
        give_shifts(
            master, location, start=time(start), end=time(min(start + rng.choice([6, 8, 10]), 22))
        )
        masters.append(master)
    with scopes_disabled():
        if rng.random() < 0.5:  # a lunch break
            shift = WeeklyShift.objects.filter(master=masters[0], weekday=MONDAY.weekday()).first()
            ShiftBreak.objects.create(business=business, shift=shift, start=time(13), end=time(14))
        if rng.random() < 0.5:  # colour needs the only basin
            kind = ResourceType.objects.create(business=business, name="Basin")
            Resource.objects.create(
                business=business, location=location, resource_type=kind, name="Basin 1"
            )
            ServiceResourceType.objects.create(
                business=business, service=colour, resource_type=kind
            )
        if rng.random() < 0.5:  # a faster senior
            MasterService.objects.filter(master=masters[0], service=cut).update(
                duration_delta_minutes=-10
            )
    catalog_changed(business.pk)
    with business_scope(business):
        for _ in range(rng.randint(0, 8)):
            zone_day = datetime.combine(MONDAY, time(8), tzinfo=ZoneInfo(location.time_zone))
            start = zone_day + timedelta(minutes=15 * rng.randint(0, 48))
            service = rng.choice([cut, colour])
            with contextlib.suppress(
                DomainError
            ):  # taken or outside hours: the calendar is just fuller
                services.appointment_create(
                    business=business,
                    location_id=location.pk,
                    specs=[ItemSpec(service.pk, master_id=rng.choice(masters).pk)],
                    start=start,
                    source=Source.BACK_OFFICE,
                    now=NOW,
                )
    refresh(business)
    return business, location


def _slot_over_the_range(listing, category, window):
    """`earliest_slot` over the whole range, from the listing's rows."""
    with scopes_disabled():
        ids = list(category_ids(category).values_list("pk", flat=True))
        services = list(
            ServiceListing.objects.filter(salon=listing, category_id__in=ids).order_by(
                "price_amount", "id"
            )
        )
        rows = dict(
            FreeTime.objects.filter(location_id=listing.location_id, day=MONDAY).values_list(
                "subject", "free"
            )
        )
    query = SearchQuery(day=MONDAY, time_from=window[0], time_to=window[1])
    return earliest_slot(listing, services, rows, query, timezone.now())


@pytest.mark.parametrize("seed", [1, 2])
def test_every_salon_search_says_is_free_is_offered_by_the_availability_api(
    api_client, salon, seed
):
    rng = random.Random(seed)
    salons = [_salon(rng, n) for n in range(6)]
    refresh(salon.business)
    checked = 0
    with scopes_disabled():
        categories = [
            Category.objects.get(slug="womens-haircut"),
            Category.objects.get(slug="colouring"),
        ]
    for category in categories:
        for window in (
            (time(8), time(11)),
            (time(12), time(15)),
            (time(17), time(20)),
            (None, None),
        ):
            with scopes_disabled():
                page = salon_search(
                    query=SearchQuery(
                        category=category,
                        day=MONDAY,
                        time_from=window[0],
                        time_to=window[1],
                        per_page=100,
                    )
                )
            for result in page.results:
                # The start every candidate is ranked by (no master chosen)
                # is the one the kernel's choice for the page starts at, and
                # the kernel weighing that start alone chooses as it does
                # weighing the whole range.
                assert result.first_start * 60 == result.slot.start.timestamp()
                full = _slot_over_the_range(result.salon, category, window)
                assert (full.start, full.service_id, full.master_id) == (
                    result.slot.start,
                    result.slot.service_id,
                    result.slot.master_id,
                )
                response = api_client.get(
                    f"/api/v1/locations/{result.salon.location_id}/availability/",
                    {"service": result.slot.service_id, "date": MONDAY.isoformat(), "days": 1},
                )
                assert response.status_code == 200, response.content
                starts = {datetime.fromisoformat(s["start"]) for s in response.json()["slots"]}
                assert result.slot.start in starts, (
                    result.salon.name,
                    category.slug,
                    window,
                    result.slot,
                )
                checked += 1
    assert checked >= 10, "the test salons offer free times"
    assert len(salons) == 6


@pytest.mark.parametrize("seed", [3, 4])
def test_search_misses_no_salon_the_availability_api_offers_and_finds_its_earliest_time(
    api_client, salon, seed
):
    """The other direction: the SQL pre-filter on the summary (longest free
    run, first and last free minute) and the kernel hide no salon that has a
    free time in the range, and the time shown is the earliest offered."""
    rng = random.Random(seed)
    made = [_salon(rng, n) for n in range(6)]
    refresh(salon.business)
    with scopes_disabled():
        categories = [
            Category.objects.get(slug="womens-haircut"),
            Category.objects.get(slug="colouring"),
        ]
        listed = list(
            SalonListing.objects.filter(
                location_id__in=[loc.pk for _b, loc in made] + [salon.location.pk]
            )
        )
    offered: dict[tuple[int, int], list[datetime]] = {}

    def starts(listing, service_id):
        if (listing.pk, service_id) not in offered:
            response = api_client.get(
                f"/api/v1/locations/{listing.location_id}/availability/",
                {"service": service_id, "date": MONDAY.isoformat(), "days": 1},
            )
            assert response.status_code == 200, response.content
            offered[(listing.pk, service_id)] = sorted(
                datetime.fromisoformat(s["start"]) for s in response.json()["slots"]
            )
        return offered[(listing.pk, service_id)]

    found = 0
    for category in categories:
        with scopes_disabled():
            ids = set(category_ids(category).values_list("pk", flat=True))
            in_category = {
                listing.pk: list(
                    ServiceListing.objects.filter(salon=listing, category_id__in=ids).values_list(
                        "service_id", flat=True
                    )
                )
                for listing in listed
            }
        for window in (
            (time(8), time(11)),
            (time(12), time(15)),
            (time(17), time(20)),
            (time(21), None),
            (None, None),
        ):
            with scopes_disabled():
                page = salon_search(
                    query=SearchQuery(
                        category=category,
                        day=MONDAY,
                        time_from=window[0],
                        time_to=window[1],
                        per_page=100,
                    )
                )
            shown = {r.salon.pk: r.slot.start for r in page.results}
            for listing in listed:
                zone = ZoneInfo(listing.time_zone)
                inside = [
                    s
                    for service_id in in_category[listing.pk]
                    for s in starts(listing, service_id)
                    if s.astimezone(zone).date() == MONDAY
                    and (window[0] is None or s.astimezone(zone).time() >= window[0])
                    and (window[1] is None or s.astimezone(zone).time() < window[1])
                ]
                expected = min(inside) if inside else None
                assert shown.get(listing.pk) == expected, (listing.name, category.slug, window)
                found += expected is not None
    assert found >= 10
