from django.urls import path

from solibook.marketing.views import client, office, public

app_name = "marketing"

P = "office/<slug:business_slug>/marketing/"

urlpatterns = [
    path(P, office.campaign_list, name="campaign_list"),
    path(f"{P}campaigns/new/", office.campaign_edit, name="campaign_new"),
    path(f"{P}campaigns/<id:campaign_id>/", office.campaign_detail, name="campaign_detail"),
    path(f"{P}campaigns/<id:campaign_id>/edit/", office.campaign_edit, name="campaign_edit"),
    path(f"{P}campaigns/<id:campaign_id>/send/", office.campaign_send, name="campaign_send"),
    path(f"{P}campaigns/<id:campaign_id>/cancel/", office.campaign_cancel, name="campaign_cancel"),
    path(f"{P}journeys/", office.journey_list, name="journeys"),
    path(f"{P}journeys/<slug:kind>/", office.journey_update, name="journey_update"),
    path(f"{P}settings/", office.settings_page, name="settings"),
    path("marketing/subscriptions/", client.subscriptions, name="subscriptions"),
    path("m/o/<str:token>.gif", public.opened, name="open"),
    path("m/c/<str:token>/", public.clicked, name="click"),
    path("m/u/<str:token>/", public.unsubscribe, name="unsubscribe"),
]
