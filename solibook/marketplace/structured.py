"""schema.org JSON-LD of the public pages, per Google's rich-result guidance.

- a salon page: one `BeautySalon` (a `HealthAndBeautyBusiness`) per address
  with name, url, image, telephone, priceRange, full `PostalAddress`, `geo`,
  `openingHoursSpecification`, `aggregateRating`, `review` and its offers;
- a `BreadcrumbList` wherever a breadcrumb shows, built from the very list
  the page renders, so the two cannot disagree;
- the home page: a `WebSite` with a `SearchAction` into the search page;
- city and category pages: an `ItemList` of the salons listed.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language

from solibook.core.money import format_money, minor_digits

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_REVIEWS = 5


def _price(amount: int, currency: str) -> str:
    digits = minor_digits(currency)
    return f"{amount / 10**digits:.{digits}f}"


def _clock(minutes: int) -> str:
    minutes = min(minutes, 24 * 60 - 1)  # "24:00" is not a schema.org Time
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def opening_hours_specification(opening_hours: dict) -> list[dict]:
    """{"0": [[540, 1140]], ...} (local minutes, Monday = 0) as schema.org
    specifications, one per period, the days that share it grouped."""
    by_period: dict[tuple[int, int], list[str]] = {}
    for weekday in range(7):
        for opens, closes in opening_hours.get(str(weekday), []):
            by_period.setdefault((opens, closes), []).append(WEEKDAYS[weekday])
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [f"https://schema.org/{day}" for day in days],
            "opens": _clock(opens),
            "closes": _clock(closes),
        }
        for (opens, closes), days in sorted(
            by_period.items(), key=lambda kv: WEEKDAYS.index(kv[1][0])
        )
    ]


def price_range(services, currency: str) -> str:
    """ "35,00 € – 150,00 €" over the services listed (least to most), or ""."""
    prices = [s.price_amount for s in services] + [getattr(s, "price_max", 0) for s in services]
    prices = [p for p in prices if p]
    if not prices:
        return ""
    language = get_language() or settings.LANGUAGE_CODE
    low, high = min(prices), max(prices)
    if low == high:
        return format_money(low, currency, language)
    return f"{format_money(low, currency, language)} – {format_money(high, currency, language)}"


def _offer(service) -> dict:
    offer = {
        "@type": "Offer",
        "price": _price(service.price_amount, service.currency),
        "priceCurrency": service.currency,
        "itemOffered": {"@type": "Service", "name": service.name},
    }
    if getattr(service, "price_max", 0) > service.price_amount:
        offer["priceSpecification"] = {
            "@type": "PriceSpecification",
            "minPrice": _price(service.price_amount, service.currency),
            "maxPrice": _price(service.price_max, service.currency),
            "priceCurrency": service.currency,
        }
    return offer


def _review(review) -> dict:
    item = {
        "@type": "Review",
        "author": {"@type": "Person", "name": review.author_name},
        "datePublished": review.created_at.date().isoformat(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": review.rating,
            "bestRating": 5,
            "worstRating": 1,
        },
    }
    if review.text:
        item["reviewBody"] = review.text
    return item


def salon_jsonld(request, data) -> list[dict]:
    business = data.business
    url = request.build_absolute_uri(reverse("marketplace:salon", args=[business.slug]))
    images = [request.build_absolute_uri(p.image.url) for p in data.images[:3]]
    services = [s for _category, listed in data.services for s in listed]
    out = []
    for listing in data.listings:
        location = listing.location
        item: dict = {
            "@context": "https://schema.org",
            "@type": "BeautySalon",
            "@id": f"{url}#location-{listing.location_id}",
            "name": f"{business.name} — {listing.location_name}",
            "url": url,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": listing.address,
                "addressLocality": listing.city,
                "postalCode": location.postal_code,
                "addressCountry": listing.country,
            },
            "currenciesAccepted": listing.currency,
        }
        if not location.postal_code:
            del item["address"]["postalCode"]
        if images:
            item["image"] = images
        if location.phone:
            item["telephone"] = str(location.phone)
        if business.description:
            item["description"] = business.description
        if listing.latitude is not None:
            item["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": round(listing.latitude, 5),
                "longitude": round(listing.longitude, 5),
            }
        prices = price_range(services, listing.currency)
        if prices:
            item["priceRange"] = prices
        hours = opening_hours_specification(listing.opening_hours or {})
        if hours:
            item["openingHoursSpecification"] = hours
        if data.rating and data.rating.get("count"):
            item["aggregateRating"] = {
                "@type": "AggregateRating",
                "ratingValue": str(data.rating["average"]),
                "reviewCount": data.rating["count"],
                "bestRating": 5,
                "worstRating": 1,
            }
            item["review"] = [_review(r) for r in data.reviews[:MAX_REVIEWS]]
        item["makesOffer"] = [_offer(s) for s in services]
        out.append(item)
    return out


def breadcrumb_jsonld(request, crumbs: list[tuple[str, str]]) -> dict:
    """The page's breadcrumb [(name, path)] as a BreadcrumbList (absolute URLs)."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for position, (name, path) in enumerate(crumbs, start=1)
        ],
    }


def website_jsonld(request) -> dict:
    """The site with its search box (Google's sitelinks search box markup)."""
    search = request.build_absolute_uri(reverse("marketplace:search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": getattr(settings, "SITE_NAME", "Solibook"),
        "url": request.build_absolute_uri(reverse("marketplace:home")),
        "inLanguage": get_language() or settings.LANGUAGE_CODE,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def item_list_jsonld(request, page, *, name: str) -> dict | None:
    """The salons a city or category page lists, in the order shown."""
    if page is None or not page.results:
        return None
    elements, seen = [], set()
    for result in page.results:
        slug = result.salon.business_slug
        if slug in seen:
            continue
        seen.add(slug)
        elements.append(
            {
                "@type": "ListItem",
                "position": len(elements) + 1,
                "url": request.build_absolute_uri(reverse("marketplace:salon", args=[slug])),
                "name": result.salon.name,
            }
        )
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": name,
        "numberOfItems": len(elements),
        "itemListElement": elements,
    }
