"""The style advisor's public page (from a listed salon's page)."""

from django.urls import path

from solibook.styleadvisor.views import public

app_name = "styleadvisor"

urlpatterns = [
    path("salons/<slug:slug>/style-advisor/", public.advisor, name="advisor"),
]
