"""Reads of social publishing: posts with their effect, free slots to offer,
the salon's pictures, and what a tracked link led to."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone

from solibook.booking import services as booking
from solibook.booking.selectors import ItemSpec
from solibook.catalog.models import Location, LocationPhoto, MasterPhoto
from solibook.offers.services import appointment_discounts
from solibook.social.models import Attribution, Post, TrackedLink

BOOKED = ("confirmed", "arrived", "in_progress", "completed", "no_show")


@dataclass(frozen=True)
class Effect:
    clicks: int
    bookings: int
    revenue: int  # minor units: the visits' prices after discounts


def link_effects(link_ids: list[int]) -> dict[int, Effect]:
    """{link id: clicks, bookings and revenue} of bookings still standing
    (held or cancelled visits do not count). Three queries whatever the number."""
    ids = list(link_ids)
    if not ids:
        return {}
    clicks = dict(TrackedLink.objects.filter(pk__in=ids).values_list("pk", "clicks"))
    rows = list(
        Attribution.objects.filter(link_id__in=ids, appointment__status__in=BOOKED).values_list(
            "link_id", "appointment_id", "appointment__price_amount"
        )
    )
    discounts = appointment_discounts(a for _l, a, _p in rows)
    bookings: dict[int, int] = {}
    revenue: dict[int, int] = {}
    for link_id, appointment_id, price in rows:
        bookings[link_id] = bookings.get(link_id, 0) + 1
        revenue[link_id] = revenue.get(link_id, 0) + price - discounts.get(appointment_id, 0)
    return {
        i: Effect(clicks=clicks.get(i, 0), bookings=bookings.get(i, 0), revenue=revenue.get(i, 0))
        for i in ids
    }


def posts_with_effect(*, business, limit: int = 200) -> list[tuple[Post, Effect]]:
    posts = list(
        Post.objects.filter(business=business)
        .select_related("link", "promo", "service", "location")
        .prefetch_related("deliveries__profile")
        .annotate(published=Count("deliveries", filter=Q(deliveries__status="published")))[:limit]
    )
    effects = link_effects([p.link_id for p in posts])
    return [(p, effects[p.link_id]) for p in posts]


def post_effect(post: Post) -> Effect:
    return link_effects([post.link_id])[post.link_id]


def attributed_bookings(*, link_id: int, limit: int = 50):
    return (
        Attribution.objects.filter(link_id=link_id)
        .select_related("appointment")
        .order_by("-created_at")[:limit]
    )


@dataclass(frozen=True)
class FreeSlot:
    start: datetime  # local
    master_names: list[str]
    price_amount: int


def last_minute_slots(
    *, business, location_id: int, service_id: int, days: int = 2, limit: int = 24
) -> list[FreeSlot]:
    """The next bookable starts of a service (today and tomorrow by default),
    read from the booking engine as the wizard offers them."""
    location = Location.objects.get(business=business, pk=location_id)
    zone = ZoneInfo(location.time_zone)
    loaded, slots = booking.slots_available(
        business=business,
        location_id=location_id,
        specs=[ItemSpec(service_id=service_id)],
        start_date=timezone.now().astimezone(zone).date(),
        days=days,
        online=True,
        limit=limit,
    )
    found = []
    for slot in slots[:limit]:
        data = booking.slot_as_dict(loaded, slot)
        found.append(
            FreeSlot(
                start=datetime.fromisoformat(data["start"]).astimezone(zone),
                master_names=list(dict.fromkeys(i["master_name"] for i in data["items"])),
                price_amount=data["price_amount"],
            )
        )
    return found


def pictures(*, business) -> list[tuple[str, str, str]]:
    """[("location:12", caption, file name)]: the salon's and its masters' work pictures."""
    found = [
        (f"location:{p.pk}", p.caption or p.location.name, p.image.name)
        for p in LocationPhoto.objects.filter(business=business, kind="photo").select_related(
            "location"
        )[:100]
    ]
    found += [
        (f"master:{p.pk}", p.caption or p.master.display_name, p.image.name)
        for p in MasterPhoto.objects.filter(business=business, kind="portfolio").select_related(
            "master"
        )[:100]
    ]
    return found


def revenue_total(link_ids: list[int]) -> int:
    return sum(e.revenue for e in link_effects(link_ids).values())
