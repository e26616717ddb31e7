from django.urls import path

from solibook.calendarsync.api import views

app_name = "calendarsync_api"

P = "businesses/<id:business_id>/masters/<id:master_id>/calendar-sync/"
OWN = "businesses/<id:business_id>/my-calendar-sync/"

urlpatterns = [
    path(P, views.CalendarSyncApi.as_view(), name="state"),
    path(f"{P}caldav/", views.CalDAVConnectApi.as_view(), name="caldav"),
    path(f"{P}google/authorize/", views.GoogleAuthorizeApi.as_view(), name="google_authorize"),
    path(f"{P}google/", views.GoogleConnectApi.as_view(), name="google"),
    path(f"{P}sync/", views.SyncNowApi.as_view(), name="sync"),
    path(OWN, views.OwnCalendarSyncApi.as_view(), name="own_state"),
    path(f"{OWN}caldav/", views.OwnCalDAVConnectApi.as_view(), name="own_caldav"),
    path(
        f"{OWN}google/authorize/",
        views.OwnGoogleAuthorizeApi.as_view(),
        name="own_google_authorize",
    ),
    path(f"{OWN}google/", views.OwnGoogleConnectApi.as_view(), name="own_google"),
    path(f"{OWN}sync/", views.OwnSyncNowApi.as_view(), name="own_sync"),
    path("me/calendar-feed/", views.ClientFeedApi.as_view(), name="client_feed"),
]
