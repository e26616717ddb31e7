from django.urls import path

from solibook.notifications.views import calendar_feed

app_name = "notifications"

urlpatterns = [
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
]
