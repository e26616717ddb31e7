from django.urls import URLPattern

app_name = "calendarsync_api"

urlpatterns: list[URLPattern] = []
