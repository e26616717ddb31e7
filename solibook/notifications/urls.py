from django.urls import path

from solibook.notifications.views import client, office, public

app_name = "notifications"

# Pages, in every language (config/urls.py mounts them inside i18n_patterns).
urlpatterns = [
    path("notifications/preferences/", client.preferences, name="preferences"),
    path(
        "office/<slug:business_slug>/notifications/",
        office.notification_settings,
        name="settings",
    ),
    path(
        "office/<slug:business_slug>/notifications/templates/",
        office.template_list,
        name="templates",
    ),
    path(
        "office/<slug:business_slug>/notifications/templates/edit/",
        office.template_edit,
        name="template_edit",
    ),
    path(
        "office/<slug:business_slug>/notifications/templates/preview/",
        office.template_preview,
        name="template_preview",
    ),
]

# Files served from the site root, without a language prefix and outside the app
# namespace (a namespace has one place in the URL tree): calendar apps read the
# private feed, browsers the installable app's service worker and manifest.
root_urlpatterns = [
    path("calendar/<str:token>.ics", public.calendar_feed, name="calendar-feed"),
    path("sw.js", public.service_worker, name="service-worker"),
    path("manifest.webmanifest", public.manifest, name="web-manifest"),
]
