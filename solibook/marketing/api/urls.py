from django.urls import path

from solibook.marketing.api import views

app_name = "marketing_api"

P = "businesses/<id:business_id>/marketing/"
C = f"{P}campaigns/<id:campaign_id>/"

urlpatterns = [
    path(f"{P}campaigns/", views.CampaignListApi.as_view(), name="campaign_list"),
    path(C, views.CampaignDetailApi.as_view(), name="campaign_detail"),
    path(f"{C}estimate/", views.CampaignEstimateApi.as_view(), name="campaign_estimate"),
    path(f"{C}preview/", views.CampaignPreviewApi.as_view(), name="campaign_preview"),
    path(f"{C}send/", views.CampaignSendApi.as_view(), name="campaign_send"),
    path(f"{C}cancel/", views.CampaignCancelApi.as_view(), name="campaign_cancel"),
    path(f"{C}report/", views.CampaignReportApi.as_view(), name="campaign_report"),
    path(f"{P}journeys/", views.JourneyListApi.as_view(), name="journey_list"),
    path(f"{P}journeys/<slug:kind>/", views.JourneyDetailApi.as_view(), name="journey_detail"),
    path(
        f"{P}journeys/<slug:kind>/report/", views.JourneyReportApi.as_view(), name="journey_report"
    ),
    path(f"{P}settings/", views.SettingsApi.as_view(), name="settings"),
    path("me/marketing-subscriptions/", views.SubscriptionsApi.as_view(), name="subscriptions"),
]
