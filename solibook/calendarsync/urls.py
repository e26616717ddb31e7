from django.urls import URLPattern

app_name = "calendarsync"

urlpatterns: list[URLPattern] = []
