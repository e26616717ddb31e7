from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from solibook.clientarea import urls_book as clientarea_book_urls
from solibook.core.views import healthz, set_language
from solibook.marketplace import urls as marketplace_urls
from solibook.marketplace.sitemaps import SITEMAPS
from solibook.marketplace.views import robots_txt
from solibook.notifications.urls import root_urlpatterns as notification_root_urls

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("solibook.api.urls")),
    path("api/v1/", include("solibook.api.urls_booking")),
    path("api/v1/", include("solibook.api.urls_calendar")),
    path("api/v1/", include("solibook.api.urls_finance")),
    path("api/v1/", include("solibook.api.urls_accounting")),
    path("api/v1/", include("solibook.api.urls_clients")),
    path("api/v1/", include("solibook.api.urls_marketplace")),
    path("api/v1/", include("solibook.api.urls_clientarea")),
    path("api/v1/", include("solibook.api.urls_loyalty")),  # loyalty and referrals
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("solibook.api.urls_notifications")),
    path("", include("solibook.notifications.urls")),  # private calendar feeds
    *notification_root_urls,  # /sw.js and /manifest.webmanifest (the installable app)
]

urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("solibook.accounts.urls")),
    path("office/", include("solibook.crm.urls")),
    path("office/", include("solibook.accounting.urls")),
    path("office/", include("solibook.finance.urls")),
    path("office/", include("solibook.notifications.urls_office")),
    path("notifications/", include("solibook.notifications.urls_client")),
    path("platform/", include("solibook.platform.urls")),
    path("privacy/", include("solibook.privacy.urls")),
    path("", include("solibook.clientarea.urls")),  # client account, reviews, offers, moderation
    path("", include("solibook.loyalty.urls")),  # wallet, points, loyalty settings
    path("", include("solibook.referrals.urls")),  # referral links, partners, review queue
    # The booking wizard's pages join the marketplace namespace (marketplace:book).
    path(
        "",
        include(
            (
                marketplace_urls.urlpatterns + clientarea_book_urls.urlpatterns,
                marketplace_urls.app_name,
            )
        ),
    ),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
