"""Demo pages; config/urls.py mounts them only in the demo profile."""

from django.urls import path

from solibook.demo.views import public

app_name = "demo"

urlpatterns = [
    path("demo/inbox/", public.inbox, name="inbox"),
]
