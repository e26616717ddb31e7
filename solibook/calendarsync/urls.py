from django.urls import path

from solibook.calendarsync.views import client, office

app_name = "calendarsync"

P = "office/<slug:business_slug>/calendar-sync/"
OWN = "office/<slug:business_slug>/my-calendar-sync/"

urlpatterns = [
    path(P, office.overview, name="overview"),
    path(f"{P}<id:master_id>/", office.master_page, name="master"),
    path(f"{P}<id:master_id>/google/", office.master_google, name="google"),
    path(f"{P}<id:master_id>/sync/", office.master_sync, name="sync"),
    path(f"{P}<id:master_id>/disconnect/", office.master_disconnect, name="disconnect"),
    path(OWN, office.own_page, name="own"),
    path(f"{OWN}google/", office.own_google, name="own_google"),
    path(f"{OWN}sync/", office.own_sync, name="own_sync"),
    path(f"{OWN}disconnect/", office.own_disconnect, name="own_disconnect"),
    path("calendar-sync/google/callback/", office.google_callback, name="google_callback"),
    path("me/calendar/", client.feed_page, name="feed_page"),
    path("me/calendar/new/", client.feed_issue, name="feed_issue"),
    path("me/calendar/stop/", client.feed_revoke, name="feed_revoke"),
    path("calendar/visits/<str:token>.ics", client.client_feed_view, name="client_feed"),
]
