"""The site's routes with the demo's mounted, as config/urls.py does when DEMO_INBOX is on."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from config.urls import urlpatterns as site

urlpatterns = [
    *site,
    *i18n_patterns(path("", include("solibook.demo.urls")), prefix_default_language=True),
]
