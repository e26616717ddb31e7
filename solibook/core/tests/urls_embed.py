"""A stand-in for the booking widget: framed only by the business's sites."""

from django.http import HttpResponse
from django.urls import path
from django_scopes import scopes_disabled

from solibook.catalog.models import Business
from solibook.core.security import allow_framing


def widget(request, slug):
    with scopes_disabled():
        business = Business.objects.get(slug=slug)
    return allow_framing(HttpResponse("widget"), business.embed_origins)


def page(request):
    return HttpResponse("page")


urlpatterns = [path("widget/<slug:slug>/", widget), path("page/", page)]
