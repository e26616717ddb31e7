from django.urls import path

from solibook.loyalty import views

app_name = "loyalty"

urlpatterns = [
    path("me/wallet/", views.wallet, name="wallet"),
    path("office/<slug:business_slug>/loyalty/", views.office_programme, name="office"),
    path(
        "office/<slug:business_slug>/loyalty/tiers/<int:tier_id>/delete/",
        views.office_tier_delete,
        name="office_tier_delete",
    ),
    path(
        "office/<slug:business_slug>/loyalty/leaderboard/",
        views.office_leaderboard,
        name="office_leaderboard",
    ),
]
