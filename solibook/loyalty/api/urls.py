"""Loyalty: the client's wallet, points and badges; the salon's programme."""

from django.urls import path

from solibook.loyalty.api import views as loyalty

app_name = "loyalty_api"

B = "businesses/<id:business_id>/"

urlpatterns = [
    path("me/wallet/", loyalty.MyWalletApi.as_view(), name="my_wallet"),
    path("me/points/", loyalty.MyPointsApi.as_view(), name="my_points"),
    path("me/badges/", loyalty.MyBadgesApi.as_view(), name="my_badges"),
    path(f"{B}loyalty/programme/", loyalty.ProgrammeApi.as_view(), name="programme"),
    path(f"{B}loyalty/tiers/", loyalty.TierListApi.as_view(), name="tier_list"),
    path(f"{B}loyalty/tiers/<id:tier_id>/", loyalty.TierDetailApi.as_view(), name="tier_detail"),
    path(f"{B}loyalty/challenges/", loyalty.ChallengeListApi.as_view(), name="challenge_list"),
    path(f"{B}loyalty/leaderboard/", loyalty.LeaderboardApi.as_view(), name="leaderboard"),
]
