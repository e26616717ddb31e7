"""Commission lines and disputes, boosts; the operator's dispute queue."""

from django.urls import path

from solibook.commissions.api import views

app_name = "commissions_api"

urlpatterns = [
    path(
        "businesses/<id:business_id>/commission-lines/",
        views.CommissionLinesApi.as_view(),
        name="lines",
    ),
    path(
        "businesses/<id:business_id>/commission-lines/<id:line_id>/disputes/",
        views.CommissionDisputeApi.as_view(),
        name="line_dispute",
    ),
    path("businesses/<id:business_id>/boosts/", views.BoostsApi.as_view(), name="boosts"),
    path(
        "businesses/<id:business_id>/boosts/<id:promotion_id>/active/",
        views.BoostActiveApi.as_view(),
        name="boost_active",
    ),
    path(
        "platform/commission-disputes/",
        views.PlatformDisputesApi.as_view(),
        name="platform_disputes",
    ),
    path(
        "platform/commission-disputes/<id:dispute_id>/decision/",
        views.PlatformDisputeDecisionApi.as_view(),
        name="platform_dispute_decision",
    ),
]
