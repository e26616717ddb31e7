"""Reads of the public pages: cities, a salon's page, a master, comparison.

Public reads cross salons on purpose, so they open `scopes_disabled()`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.catalog.models import Business, Category, LocationPhoto, Master, MasterPhoto
from solibook.core.errors import NotFound, ValidationFailed
from solibook.marketplace import extras
from solibook.marketplace.cities import city_key, city_name
from solibook.marketplace.models import FreeTime, OldSlug, SalonListing, ServiceListing
from solibook.marketplace.search import FreeSlot, SearchQuery, earliest_slot, haversine_km

WEEKDAYS = range(7)


class Moved(NotFound):
    """The page lives under another slug now (`slug`): pages answer with a
    permanent redirect, the API with a 404."""

    def __init__(self, *, kwarg: str, slug: str):
        super().__init__(_("This page has moved."))
        self.kwarg, self.slug = kwarg, slug


def cities() -> list[dict]:
    """[{"city", "city_slug", "country", "salons"}] of listed salons, one per
    city slug, named in the active language ("Moscou" in French)."""
    rows: dict[str, dict] = {}
    for row in SalonListing.objects.values("city", "city_slug", "country").annotate(
        salons=Count("id")
    ):
        found = rows.setdefault(row["city_slug"], {**row, "salons": 0})
        found["salons"] += row["salons"]
    for row in rows.values():
        row["city"] = city_name(row["city_slug"], fallback=row["city"])
    return sorted(rows.values(), key=lambda c: (c["country"], c["city"]))


def city_or_404(slug: str) -> dict:
    """A listed city by its slug; another name or spelling of a listed city
    ("москва", "moscou") raises `Moved` to its slug."""
    listed = cities()
    found = next((c for c in listed if c["city_slug"] == slug), None)
    if found is None:
        canonical = city_key(slug.replace("-", " "))
        if canonical != slug and any(c["city_slug"] == canonical for c in listed):
            raise Moved(kwarg="city_slug", slug=canonical)
        raise NotFound(_("We do not list salons in this city yet."))
    return found


def _moved_salon(slug: str) -> None:
    """Raise `Moved` when `slug` is a listed salon's former slug."""
    old = OldSlug.objects.filter(slug=slug, business__is_listed=True).values("business__slug")
    new_slug = old.first()
    if new_slug is not None:
        raise Moved(kwarg="slug", slug=new_slug["business__slug"])


def city_categories(slug: str) -> list[Category]:
    ids = set(
        ServiceListing.objects.filter(salon__city_slug=slug).values_list("category_id", flat=True)
    )
    return list(Category.objects.filter(pk__in=ids).order_by("position", "slug"))


def category_or_404(slug: str) -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise NotFound(_("Unknown category."))
    return category


@dataclass
class SalonPage:
    business: Business
    listings: list[SalonListing]
    services: list[tuple[Category, list[ServiceListing]]]
    masters: list[Master]
    photos: list[LocationPhoto]
    panoramas: list[LocationPhoto]
    rating: dict | None
    master_ratings: dict[int, dict]
    reviews: list
    offers: list[str]
    distribution: list[tuple[int, int, int]] = field(
        default_factory=list
    )  # (stars, count, percent)
    cover: LocationPhoto | None = None
    avatars: dict[int, object] = field(default_factory=dict)  # master id -> picture
    aspects: list[tuple[str, float, int]] = field(default_factory=list)  # (aspect, avg, n)

    @property
    def images(self) -> list[LocationPhoto]:
        """The cover first, then the gallery: what a search engine may show."""
        return [p for p in [self.cover, *self.photos] if p is not None]

    @property
    def hero(self) -> LocationPhoto | None:
        """The picture at the top of the page: the cover, else the first photo."""
        return self.cover or (self.photos[0] if self.photos else None)


def _menu_entry(service: ServiceListing) -> ServiceListing:
    """A listed service as the salon page shows it: the least and the most any
    master charges and takes (the wizard computes the same from the same
    catalogue), "from" for a salon's own "from" price (options), and the
    location its Book button opens the wizard at."""
    prices = [plan[3] for plan in service.plans] or [service.price_amount]
    service.price_max = max(prices)
    service.duration_max = max(service.duration_max, service.duration_minutes)
    service.price_from = service.service.price_is_from
    service.book_location_id = service.salon.location_id
    return service


def _widen(entry: ServiceListing, other: ServiceListing) -> None:
    prices = [plan[3] for plan in other.plans] or [other.price_amount]
    entry.price_amount = min(entry.price_amount, other.price_amount)
    entry.price_max = max(entry.price_max, *prices)
    entry.duration_minutes = min(entry.duration_minutes, other.duration_minutes)
    entry.duration_max = max(entry.duration_max, other.duration_max, other.duration_minutes)


def salon_page(*, slug: str) -> SalonPage:
    with scopes_disabled():
        business = Business.objects.filter(slug=slug, is_listed=True).first()
        if business is None:
            _moved_salon(slug)
            raise NotFound(_("This salon is not listed."))
        listings = list(SalonListing.objects.filter(business=business).select_related("location"))
        services = list(
            ServiceListing.objects.filter(salon__business=business)
            .select_related("category", "salon", "service")
            .order_by("category__position", "price_amount", "id")
        )
        grouped: dict[int, tuple[Category, list]] = {}
        merged: dict[int, ServiceListing] = {}
        for service in services:
            first = merged.get(service.service_id)
            if first is None:
                merged[service.service_id] = _menu_entry(service)
                grouped.setdefault(service.category_id, (service.category, []))[1].append(
                    merged[service.service_id]
                )
            else:  # the same service at another address: widen the ranges
                _widen(first, service)
        masters = list(
            Master.objects.filter(
                business=business, is_active=True, locations__in=[s.location_id for s in listings]
            )
            .distinct()
            .order_by("position", "display_name", "id")
        )
        photos = list(
            LocationPhoto.objects.filter(
                business=business, location_id__in=[s.location_id for s in listings]
            )
        )
        avatars = _avatars(masters)
        for master in masters:
            master.avatar = avatars.get(master.pk)
    rating = extras.ratings([business.pk]).get(business.pk)
    distribution = []
    if rating and rating.get("count"):
        for stars in (5, 4, 3, 2, 1):
            n = rating["distribution"].get(stars, 0)
            distribution.append((stars, n, round(100 * n / rating["count"])))
    return SalonPage(
        business=business,
        listings=listings,
        services=list(grouped.values()),
        masters=masters,
        photos=[p for p in photos if p.kind == LocationPhoto.Kind.PHOTO],
        panoramas=[p for p in photos if p.kind == LocationPhoto.Kind.PANORAMA],
        cover=next((p for p in photos if p.kind == LocationPhoto.Kind.COVER), None),
        avatars=avatars,
        aspects=extras.aspects(business.pk),
        rating=rating,
        master_ratings=extras.master_ratings(m.pk for m in masters),
        reviews=extras.reviews(business.pk),
        offers=extras.offer_badges([business.pk]).get(business.pk, []),
        distribution=distribution,
    )


def _avatars(masters: list[Master]) -> dict[int, object]:
    """Each master's avatar picture, else the photo on the master's record."""
    out: dict[int, object] = {m.pk: m.photo for m in masters if m.photo}
    for picture in MasterPhoto.objects.filter(
        master__in=[m.pk for m in masters], kind=MasterPhoto.Kind.AVATAR
    ).order_by("position", "id"):
        out[picture.master_id] = picture
    return out


def master_page(
    *, slug: str, master_id: int
) -> tuple[Business, Master, list[ServiceListing], dict | None]:
    with scopes_disabled():
        business = Business.objects.filter(slug=slug, is_listed=True).first()
        master = (
            Master.objects.filter(business=business, pk=master_id, is_active=True).first()
            if business
            else None
        )
        if master is None:
            if business is None:
                _moved_salon(slug)
            raise NotFound(_("This master is not listed."))
        services = [
            s
            for s in ServiceListing.objects.filter(salon__business=business)
            .select_related("salon")
            .order_by("price_amount")
            if any(p[0] == master.pk for p in s.plans)
        ]
        pictures = list(master.pictures.all())  # avatar first, then the portfolio in order
    master.avatar_picture = next((p for p in pictures if p.kind == MasterPhoto.Kind.AVATAR), None)
    master.portfolio = [p for p in pictures if p.kind == MasterPhoto.Kind.PORTFOLIO]
    unique = list({s.service_id: s for s in services}.values())
    for service in unique:  # this master's own price and pace, as the wizard charges
        plan = next(p for p in service.plans if p[0] == master.pk)
        service.price_amount, service.duration_minutes = plan[3], plan[2]
        service.book_location_id = service.salon.location_id
    unique.sort(key=lambda s: (s.price_amount, s.name))
    return business, master, unique, extras.master_ratings([master.pk]).get(master.pk)


@dataclass
class Compared:
    salon: SalonListing
    price: int | None
    currency: str
    service_name: str
    rating: dict | None
    distance_km: float | None
    slot: FreeSlot | None

    @property
    def rating_average(self):
        return extras.rating_average(self.rating)

    @property
    def local_slot(self) -> datetime | None:
        return self.slot.start.astimezone(ZoneInfo(self.salon.time_zone)) if self.slot else None


def compare_salons(
    *,
    salon_ids: list[int],
    category: Category | None,
    day: date | None,
    lat: float | None,
    lng: float | None,
    now: datetime,
) -> list[Compared]:
    """Two to four listings side by side, in the order asked."""
    ids = list(dict.fromkeys(salon_ids))
    if not 2 <= len(ids) <= 4:
        message = _("Choose two to four salons to compare.")
        raise ValidationFailed(message, fields={"salon": [message]})
    salons = {s.pk: s for s in SalonListing.objects.filter(pk__in=ids)}
    missing = [i for i in ids if i not in salons]
    if missing:
        raise NotFound(
            _("Some of these salons are not listed."),
            fields={"salon": [_("Unknown salon: %(id)s.") % {"id": missing[0]}]},
        )
    services = ServiceListing.objects.filter(salon_id__in=ids)
    if category is not None:
        services = services.filter(
            category_id__in=[
                category.pk,
                *Category.objects.filter(parent=category).values_list("pk", flat=True),
            ]
        )
    by_salon: dict[int, list[ServiceListing]] = {}
    for service in services.order_by("price_amount", "id"):
        by_salon.setdefault(service.salon_id, []).append(service)
    day = day or now.date()
    rows: dict[int, dict] = {}
    for location_id, subject, free in FreeTime.objects.filter(
        day=day, location_id__in=[s.location_id for s in salons.values()]
    ).values_list("location_id", "subject", "free"):
        rows.setdefault(location_id, {})[subject] = free
    ratings = extras.ratings({s.business_id for s in salons.values()})
    query = SearchQuery(day=day)
    out = []
    for pk in ids:
        salon = salons[pk]
        offered = by_salon.get(pk, [])
        distance = (
            haversine_km(lat, lng, salon.latitude, salon.longitude)
            if lat is not None and lng is not None and salon.latitude is not None
            else None
        )
        out.append(
            Compared(
                salon=salon,
                price=offered[0].price_amount if offered else None,
                currency=salon.currency,
                service_name=offered[0].name if offered else "",
                rating=ratings.get(salon.business_id),
                distance_km=distance,
                slot=earliest_slot(salon, offered, rows.get(salon.location_id, {}), query, now)
                if offered
                else None,
            )
        )
    return out
