from django.urls import path

from solibook.marketplace import views

app_name = "marketplace"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("compare/", views.compare, name="compare"),
    path("how-ranking-works/", views.ranking, name="ranking"),
    path("salons/<slug:slug>/", views.salon, name="salon"),
    path("salons/<slug:slug>/masters/<int:master_id>/", views.master, name="master"),
    path("in/<str:city_slug>/", views.city, name="city"),
    path("in/<str:city_slug>/<slug:category_slug>/", views.city_category, name="city_category"),
]
