"""schema.org JSON-LD of a salon page: the business, its services and offers, its rating."""

from django.urls import reverse

from solibook.core.money import minor_digits


def _price(amount: int, currency: str) -> str:
    digits = minor_digits(currency)
    return f"{amount / 10**digits:.{digits}f}"


def salon_jsonld(request, data) -> list[dict]:
    business = data.business
    url = request.build_absolute_uri(reverse("marketplace:salon", args=[business.slug]))
    out = []
    for listing in data.listings:
        item = {
            "@context": "https://schema.org",
            "@type": ["BeautySalon", "HealthAndBeautyBusiness"],
            "@id": f"{url}#location-{listing.location_id}",
            "name": f"{business.name} — {listing.location_name}",
            "url": url,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": listing.address,
                "addressLocality": listing.city,
                "addressCountry": listing.country,
            },
            "currenciesAccepted": listing.currency,
        }
        if business.description:
            item["description"] = business.description
        if listing.latitude is not None:
            item["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": listing.latitude,
                "longitude": listing.longitude,
            }
        if data.photos:
            item["image"] = [request.build_absolute_uri(p.image.url) for p in data.photos[:3]]
        if data.rating and data.rating.get("count"):
            item["aggregateRating"] = {
                "@type": "AggregateRating",
                "ratingValue": str(data.rating["average"]),
                "reviewCount": data.rating["count"],
                "bestRating": 5,
                "worstRating": 1,
            }
        item["makesOffer"] = [
            {
                "@type": "Offer",
                "price": _price(service.price_amount, service.currency),
                "priceCurrency": service.currency,
                "itemOffered": {
                    "@type": "Service",
                    "name": service.name,
                    "serviceType": category.name,
                },
            }
            for category, services in data.services
            for service in services
        ]
        out.append(item)
    return out
