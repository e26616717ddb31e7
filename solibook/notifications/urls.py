from django.urls import path

from solibook.notifications.views import calendar_feed
from solibook.notifications.views_client import manifest, service_worker

app_name = "notifications"

urlpatterns = [
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
]

# Root-scoped files of the installable app (outside the app namespace, so
# templates write {% url 'service-worker' %}).
root_urlpatterns = [
    path("sw.js", service_worker, name="service-worker"),
    path("manifest.webmanifest", manifest, name="web-manifest"),
]
