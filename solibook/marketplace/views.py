"""Public marketplace pages. They read across salons on purpose, so their
selectors open `scopes_disabled()` explicitly."""

from django.shortcuts import get_object_or_404, render
from django_scopes import scopes_disabled

from solibook.catalog.models import Business, Location


def home(request):
    with scopes_disabled():
        locations = list(
            Location.objects.filter(business__is_listed=True).select_related("business").order_by("city", "business__name")[:60]
        )
    cities: dict[str, list[Location]] = {}
    for location in locations:
        cities.setdefault(location.city, []).append(location)
    return render(request, "marketplace/home.html", {"cities": cities})


def salon(request, slug: str):
    business = get_object_or_404(Business, slug=slug, is_listed=True)
    with scopes_disabled():
        locations = list(Location.objects.filter(business=business).order_by("name"))
    return render(request, "marketplace/salon.html", {"business": business, "locations": locations})
