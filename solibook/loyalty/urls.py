from django.urls import path

from solibook.loyalty.views import client, office

app_name = "loyalty"

urlpatterns = [
    path("me/wallet/", client.wallet, name="wallet"),
    path("office/<slug:business_slug>/loyalty/", office.office_programme, name="office"),
    path(
        "office/<slug:business_slug>/loyalty/tiers/<id:tier_id>/delete/",
        office.office_tier_delete,
        name="office_tier_delete",
    ),
    path(
        "office/<slug:business_slug>/loyalty/leaderboard/",
        office.office_leaderboard,
        name="office_leaderboard",
    ),
]
