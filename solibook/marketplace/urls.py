from django.urls import path

from solibook.marketplace.views import public

app_name = "marketplace"

urlpatterns = [
    path("", public.home, name="home"),
    path("search/", public.search, name="search"),
    path("compare/", public.compare, name="compare"),
    path("how-ranking-works/", public.ranking, name="ranking"),
    path("salons/<slug:slug>/", public.salon, name="salon"),
    path("salons/<slug:slug>/masters/<id:master_id>/", public.master, name="master"),
    path("in/<str:city_slug>/", public.city, name="city"),
    path("in/<str:city_slug>/<slug:category_slug>/", public.city_category, name="city_category"),
]
