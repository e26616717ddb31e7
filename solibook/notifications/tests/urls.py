"""The project's URLs plus the calendar feed (until config/urls.py includes it)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("", include("solibook.notifications.urls")), *project_urlpatterns]
