from django.urls import path

from solibook.partnerships.api import views

app_name = "partnerships_api"

P = "businesses/<id:business_id>/partnerships/"

urlpatterns = [
    path(f"{P}landings/", views.LandingListApi.as_view(), name="landing_list"),
    path(f"{P}landings/<id:landing_id>/", views.LandingDetailApi.as_view(), name="landing_detail"),
    path(
        f"{P}landings/<id:landing_id>/active/",
        views.LandingActiveApi.as_view(),
        name="landing_active",
    ),
]
