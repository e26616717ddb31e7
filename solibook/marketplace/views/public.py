"""Public marketplace pages: server-rendered, indexable, fast.

They read across salons on purpose (selectors open `scopes_disabled()`),
and never write. Bad input gets the page back with the error shown and a
4xx status, never a 500.
"""

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_scopes import scopes_disabled

from solibook.catalog.models import Category, Weekday
from solibook.core.errors import DomainError, NotFound
from solibook.core.refusals import refusals
from solibook.marketplace import selectors
from solibook.marketplace.forms import CompareForm, SearchForm, has_search
from solibook.marketplace.search import SearchQuery, salon_search
from solibook.marketplace.seo import seo
from solibook.marketplace.structured import salon_jsonld

SEARCH_KEEP = ("category", "city")


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


@require_GET
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
        )
    )
    return render(request, "marketplace/public/home.html", context)


@require_GET
def search(request):
    form = SearchForm(request.GET)
    page, status = _search_context(request, form)
    with scopes_disabled():
        categories = list(Category.objects.all())
    context = {"form": form, "page": page, "categories": categories, "today": timezone.now().date()}
    context.update(seo(request, title=_("Search results"), keep=SEARCH_KEEP, noindex=True))
    return render(request, "marketplace/public/search.html", context, status=status)


@require_GET
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
    context = {
        "form": form,
        "page": page,
        "city": found,
        "categories": categories,
        "heading": title,
    }
    context.update(
        seo(
            request,
            title=title,
            description=_("Compare %(n)s salons in %(city)s and book a free time online.")
            % {"n": found["salons"], "city": found["city"]},
        )
    )
    return render(request, "marketplace/public/city.html", context, status=status)


@require_GET
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
    context = {
        "form": form,
        "page": page,
        "city": found,
        "category": category,
        "categories": categories,
        "heading": title,
    }
    context.update(
        seo(
            request,
            title=title,
            description=_("Salons offering %(category)s in %(city)s, with prices and free times.")
            % {"category": category.name, "city": found["city"]},
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


@require_GET
def salon(request, slug: str):
    try:
        data = selectors.salon_page(slug=slug)
    except NotFound as exc:
        return _not_found(request, exc)
    business = data.business
    image = request.build_absolute_uri(data.photos[0].image.url) if data.photos else ""
    context = {
        "data": data,
        "business": business,
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
            jsonld=salon_jsonld(request, data),
        )
    )
    return render(request, "marketplace/public/salon.html", context)


@require_GET
def master(request, slug: str, master_id: int):
    try:
        business, found, services, rating = selectors.master_page(slug=slug, master_id=master_id)
    except NotFound as exc:
        return _not_found(request, exc)
    context = {"business": business, "master": found, "services": services, "rating": rating}
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
                }
            ],
        )
    )
    return render(request, "marketplace/public/master.html", context)


@require_GET
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


@require_GET
def ranking(request):
    context = seo(request, title=_("How search results are ranked"))
    return render(request, "marketplace/public/ranking.html", context)


@require_GET
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
