from django.urls import URLPattern

app_name = "assistant_api"

urlpatterns: list[URLPattern] = []
