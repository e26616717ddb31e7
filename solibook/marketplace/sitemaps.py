"""sitemap.xml: every public page in the four languages (hreflang alternates)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django_scopes import scopes_disabled

from solibook.marketplace.models import SalonListing, ServiceListing


class _Localised(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(_Localised):
    changefreq = "weekly"

    def items(self):
        return ["marketplace:home", "marketplace:ranking"]

    def location(self, item):
        return reverse(item)


class CitySitemap(_Localised):
    changefreq = "daily"

    def items(self):
        return sorted(set(SalonListing.objects.values_list("city_slug", flat=True)))

    def location(self, item):
        return reverse("marketplace:city", args=[item])


class CityCategorySitemap(_Localised):
    changefreq = "daily"

    def items(self):
        return sorted(set(ServiceListing.objects.values_list("salon__city_slug", "category__slug")))

    def location(self, item):
        return reverse("marketplace:city_category", args=list(item))


class SalonSitemap(_Localised):
    changefreq = "daily"

    def items(self):
        return sorted(set(SalonListing.objects.values_list("business_slug", flat=True)))

    def location(self, item):
        return reverse("marketplace:salon", args=[item])


class MasterSitemap(_Localised):
    changefreq = "weekly"

    def items(self):
        masters = set()
        with scopes_disabled():
            for slug, plans in ServiceListing.objects.values_list("salon__business_slug", "plans"):
                masters.update((slug, plan[0]) for plan in plans)
        return sorted(masters)

    def location(self, item):
        return reverse("marketplace:master", args=list(item))


SITEMAPS = {
    "pages": StaticSitemap,
    "cities": CitySitemap,
    "city-categories": CityCategorySitemap,
    "salons": SalonSitemap,
    "masters": MasterSitemap,
}
