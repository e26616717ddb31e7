"""Public marketplace pages: server-rendered, indexable, fast.

They read across salons on purpose (selectors open `scopes_disabled()`),
and never write. Bad input gets the page back with the error shown and a
4xx status, never a 500.
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django_scopes import scopes_disabled

from solibook.booking.selectors import class_sessions_upcoming
from solibook.catalog.models import Category, Weekday
from solibook.commissions import services as commissions
from solibook.core.errors import DomainError, NotFound
from solibook.core.refusals import refusals
from solibook.marketplace import selectors
from solibook.marketplace.forms import CompareForm, SearchForm, has_search
from solibook.marketplace.search import SearchQuery, salon_search
from solibook.marketplace.seo import seo
from solibook.marketplace.structured import (
    breadcrumb_jsonld,
    item_list_jsonld,
    salon_jsonld,
    website_jsonld,
)

SEARCH_KEEP = ("category", "city")
ASPECT_LABELS = {
    "quality": gettext_lazy("Quality"),
    "cleanliness": gettext_lazy("Cleanliness"),
    "welcome": gettext_lazy("Welcome"),
    "value": gettext_lazy("Value for money"),
    "punctuality": gettext_lazy("Punctuality"),
}


def _moved(request, exc: selectors.Moved) -> HttpResponsePermanentRedirect:
    """The same page under its slug now, with the same query string."""
    match = request.resolver_match
    url = reverse(match.view_name, kwargs={**match.kwargs, exc.kwarg: exc.slug})
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def _not_found(request, exc: DomainError, **context):
    if isinstance(exc, selectors.Moved):
        return _moved(request, exc)
    with scopes_disabled():
        context.setdefault("cities", selectors.cities())
    return render(
        request,
        "marketplace/public/not_found.html",
        {"message": exc.message, **context, **seo(request, title=exc.message, noindex=True)},
        status=404,
    )


def _search_context(request, form: SearchForm, query: SearchQuery | None = None):
    """Run the search the form describes; errors go on the form (status 400)."""
    page, status = None, 200
    if form.is_valid():
        with refusals(form) as refused, scopes_disabled():
            page = salon_search(query=query or form.to_query())
        if refused:
            status = 404 if refused.status == 404 else 400
    else:
        status = 400
    return page, status


def _home_crumb() -> tuple[str, str]:
    return (getattr(settings, "SITE_NAME", "Solibook"), reverse("marketplace:home"))


def _city_crumbs(found: dict, category=None) -> list[tuple[str, str]]:
    crumbs = [
        _home_crumb(),
        (found["city"], reverse("marketplace:city", args=[found["city_slug"]])),
    ]
    if category is not None:
        crumbs.append(
            (
                category.name,
                reverse("marketplace:city_category", args=[found["city_slug"], category.slug]),
            )
        )
    return crumbs


def _listing_jsonld(request, page, crumbs, name: str) -> list[dict]:
    items = item_list_jsonld(request, page, name=name)
    return [breadcrumb_jsonld(request, crumbs), *([items] if items else [])]


@require_safe
def home(request):
    if has_search(request.GET):
        return search(request)
    with scopes_disabled():
        cities = selectors.cities()
        categories = list(Category.objects.filter(parent__isnull=True))
    context = {"form": SearchForm(), "cities": cities, "categories": categories}
    context.update(
        seo(
            request,
            title=_("Book beauty and wellness near you"),
            description=_(
                "Hair, nails, massage, spa: compare salons and book a free time in a minute."
            ),
            jsonld=[website_jsonld(request)],
        )
    )
    return render(request, "marketplace/public/home.html", context)


@require_safe
def search(request):
    form = SearchForm(request.GET)
    page, status = _search_context(request, form)
    with scopes_disabled():
        categories = list(Category.objects.all())
    context = {"form": form, "page": page, "categories": categories, "today": timezone.now().date()}
    context.update(seo(request, title=_("Search results"), keep=SEARCH_KEEP, noindex=True))
    return render(request, "marketplace/public/search.html", context, status=status)


@require_safe
def city(request, city_slug: str):
    try:
        with scopes_disabled():
            found = selectors.city_or_404(city_slug)
            categories = selectors.city_categories(city_slug)
    except NotFound as exc:
        return _not_found(request, exc)
    form = SearchForm({**request.GET.dict(), "city": found["city"]})
    page, status = _search_context(request, form)
    title = _("Beauty salons in %(city)s") % {"city": found["city"]}
    crumbs = _city_crumbs(found)
    context = {
        "form": form,
        "page": page,
        "city": found,
        "categories": categories,
        "heading": title,
        "crumbs": crumbs,
    }
    context.update(
        seo(
            request,
            title=title,
            description=_("Compare %(n)s salons in %(city)s and book a free time online.")
            % {"n": found["salons"], "city": found["city"]},
            jsonld=_listing_jsonld(request, page, crumbs, title),
        )
    )
    return render(request, "marketplace/public/city.html", context, status=status)


@require_safe
def city_category(request, city_slug: str, category_slug: str):
    try:
        with scopes_disabled():
            found = selectors.city_or_404(city_slug)
            category = selectors.category_or_404(category_slug)
            categories = selectors.city_categories(city_slug)
    except NotFound as exc:
        return _not_found(request, exc)
    form = SearchForm({**request.GET.dict(), "city": found["city"], "category": category.slug})
    page, status = _search_context(request, form)
    title = _("%(category)s in %(city)s") % {"category": category.name, "city": found["city"]}
    crumbs = _city_crumbs(found, category)
    context = {
        "form": form,
        "page": page,
        "city": found,
        "category": category,
        "categories": categories,
        "heading": title,
        "crumbs": crumbs,
    }
    context.update(
        seo(
            request,
            title=title,
            description=_("Salons offering %(category)s in %(city)s, with prices and free times.")
            % {"category": category.name, "city": found["city"]},
            jsonld=_listing_jsonld(request, page, crumbs, title),
        )
    )
    return render(request, "marketplace/public/city.html", context, status=status)


def _weekday_hours(listing) -> list[tuple[str, list[tuple[str, str]]]]:
    out = []
    for weekday in range(7):
        periods = [
            (f"{o // 60:02d}:{o % 60:02d}", f"{c // 60:02d}:{c % 60:02d}")
            for o, c in listing.opening_hours.get(str(weekday), [])
        ]
        out.append((Weekday(weekday).label, periods))
    return out


@require_safe
def salon(request, slug: str):
    try:
        data = selectors.salon_page(slug=slug)
    except NotFound as exc:
        return _not_found(request, exc)
    business = data.business
    if request.GET.get("via"):  # came from a search result (promoted or not) or the salon's link
        commissions.touch_seen(
            session=request.session, business_id=business.pk, via=request.GET["via"]
        )
    image = request.build_absolute_uri(data.images[0].image.url) if data.images else ""
    crumbs = [_home_crumb()]
    if data.listings:
        first = data.listings[0]
        crumbs.append((first.city, reverse("marketplace:city", args=[first.city_slug])))
    crumbs.append((business.name, reverse("marketplace:salon", args=[business.slug])))
    context = {
        "data": data,
        "crumbs": crumbs,
        "aspects": [(ASPECT_LABELS[a], average, n) for a, average, n in data.aspects],
        "marker_icons": {
            "icon": static("vendor/leaflet/images/marker-icon.png"),
            "icon2x": static("vendor/leaflet/images/marker-icon-2x.png"),
            "shadow": static("vendor/leaflet/images/marker-shadow.png"),
        },
        "business": business,
        # The first address with upcoming group classes (classes are not in the
        # listing's menu: they are booked by session, on the client area's page).
        "classes_location_id": next(
            (
                listing.location_id
                for listing in data.listings
                if class_sessions_upcoming(location=listing.location, now=timezone.now())
            ),
            None,
        ),
        "hours": [(listing, _weekday_hours(listing)) for listing in data.listings],
        "map_points": [
            {
                "lat": listing.latitude,
                "lng": listing.longitude,
                "name": f"{business.name} — {listing.location_name}",
            }
            for listing in data.listings
            if listing.latitude is not None
        ],
        "pannellum_css": static("vendor/pannellum/pannellum.css"),
    }
    context.update(
        seo(
            request,
            title=business.name,
            description=business.description
            or _("Book %(salon)s online.") % {"salon": business.name},
            image=image,
            jsonld=[*salon_jsonld(request, data), breadcrumb_jsonld(request, crumbs)],
        )
    )
    return render(request, "marketplace/public/salon.html", context)


@require_safe
def master(request, slug: str, master_id: int):
    try:
        business, found, services, rating = selectors.master_page(slug=slug, master_id=master_id)
    except NotFound as exc:
        return _not_found(request, exc)
    crumbs = [
        (business.name, reverse("marketplace:salon", args=[business.slug])),
        (found.display_name, reverse("marketplace:master", args=[business.slug, found.pk])),
    ]
    context = {
        "business": business,
        "master": found,
        "services": services,
        "rating": rating,
        "crumbs": crumbs,
    }
    context.update(
        seo(
            request,
            title=f"{found.display_name} · {business.name}",
            description=found.bio[:300],
            jsonld=[
                {
                    "@context": "https://schema.org",
                    "@type": "Person",
                    "name": found.display_name,
                    "worksFor": {
                        "@type": "BeautySalon",
                        "name": business.name,
                        "url": request.build_absolute_uri(
                            reverse("marketplace:salon", args=[business.slug])
                        ),
                    },
                },
                breadcrumb_jsonld(request, crumbs),
            ],
        )
    )
    return render(request, "marketplace/public/master.html", context)


@require_safe
def compare(request):
    form = CompareForm(request.GET or None)
    rows, status = None, 200
    if request.GET:
        if form.is_valid():
            with refusals(form) as refused, scopes_disabled():
                rows = form.compare(now=timezone.now())
            status = refused.status
        else:
            status = 400
    context = {"form": form, "rows": rows}
    context.update(seo(request, title=_("Compare salons"), noindex=True))
    return render(request, "marketplace/public/compare.html", context, status=status)


@require_safe
def ranking(request):
    context = seo(request, title=_("How search results are ranked"))
    return render(request, "marketplace/public/ranking.html", context)


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /api/", "Disallow: /admin/"]
    for code in ("en", "fr", "ru", "ar"):
        lines += [
            f"Disallow: /{code}/office/",
            f"Disallow: /{code}/accounts/",
            f"Disallow: /{code}/platform/",
            f"Disallow: /{code}/compare/",
            f"Disallow: /{code}/search/",
        ]
    lines.append(f"Sitemap: {sitemap}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
