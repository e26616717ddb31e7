from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularSwaggerSplitView

from solibook.api.schema_view import CachedSchemaView
from solibook.core.health import livez, readyz
from solibook.core.metrics import metrics
from solibook.core.views import favicon, healthz, set_language
from solibook.marketplace.sitemaps import SITEMAPS
from solibook.marketplace.views.public import robots_txt
from solibook.notifications.urls import root_urlpatterns as notification_root_urls

# Every area's REST routes: solibook/<app>/api/urls.py, namespace "<app>_api".
API_AREAS = [
    "accounts",
    "catalog",
    "clients",
    "booking",
    "offers",
    "reviews",
    "marketplace",
    "finance",
    "inventory",
    "accounting",
    "loyalty",
    "referrals",
    "notifications",
    "clientarea",
    "privacy",
    "insights",
    "commissions",
    "billing",
    "purchasing",
    "forecasting",
    "recommendations",
    "retention",
    "reviewanalysis",
    "styleadvisor",
    "marketing",
    "social",
    "partnerships",
    "corporate",
    "developers",
    "calendarsync",
    "compliance",
    "support",
    "assistant",
    "platform",
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),  # bearer token or allowed networks
    path("favicon.ico", favicon, name="favicon"),
    path(
        "api/v1/", include([path("", include(f"solibook.{area}.api.urls")) for area in API_AREAS])
    ),
    path("i18n/setlang/", set_language, name="set_language"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("api/schema/", CachedSchemaView.as_view(), name="api-schema"),  # once per deploy
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    *notification_root_urls,  # private calendar feeds, /sw.js, /manifest.webmanifest
]

urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("solibook.accounts.urls")),  # sign-up, log-in, two-factor
    # Back-office pages (full paths from the language root, before the catch-all ones).
    path("", include("solibook.catalog.urls")),  # business, locations, team, catalogue
    path("", include("solibook.clients.urls")),  # client cards, segments, imports
    path("", include("solibook.booking.urls")),  # the calendar
    path("", include("solibook.insights.urls")),  # staff performance
    path("", include("solibook.accounting.urls")),
    path("", include("solibook.finance.urls")),
    path("", include("solibook.inventory.urls")),  # stock, products, recipes, counts
    path("", include("solibook.billing.urls")),  # plans, invoices, the operator's billing
    path("", include("solibook.purchasing.urls")),  # suppliers' offers, orders, reorder
    path("", include("solibook.notifications.urls")),  # office settings, client preferences
    path("", include("solibook.forecasting.urls")),
    path("", include("solibook.recommendations.urls")),
    path("", include("solibook.retention.urls")),
    path("", include("solibook.reviewanalysis.urls")),
    path("", include("solibook.styleadvisor.urls")),
    path("", include("solibook.marketing.urls")),
    path("", include("solibook.social.urls")),
    path("", include("solibook.partnerships.urls")),
    path("", include("solibook.corporate.urls")),
    path("", include("solibook.developers.urls")),
    path("", include("solibook.calendarsync.urls")),
    path("", include("solibook.compliance.urls")),
    path("", include("solibook.support.urls")),
    path("", include("solibook.assistant.urls")),
    path("", include("solibook.platform.urls")),
    path("", include("solibook.privacy.urls")),
    path("", include("solibook.clientarea.urls")),  # client account, booking wizard
    path("", include("solibook.reviews.urls")),  # office reviews, report, moderation
    path("", include("solibook.offers.urls")),  # office off-peak and promo codes
    path("", include("solibook.loyalty.urls")),  # wallet, points, loyalty settings
    path("", include("solibook.referrals.urls")),  # referral links, partners, review queue
    path("", include("solibook.commissions.urls")),  # commission lines, disputes, boosts, rules
    path("", include("solibook.marketplace.urls")),  # last: the public catalogue pages
    prefix_default_language=True,
)

if settings.DEMO_INBOX:  # the demo profile only (`make run`): refused in production settings
    urlpatterns += i18n_patterns(
        path("", include("solibook.demo.urls")), prefix_default_language=True
    )

if settings.SERVE_MEDIA:  # public pictures only (solibook.core.media), as `make run` needs
    from django.urls import re_path

    from solibook.core.media import public_media

    urlpatterns += [re_path(r"^media/(?P<path>.+)$", public_media, name="media")]
elif settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
