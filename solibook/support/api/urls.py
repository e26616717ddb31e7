from django.urls import URLPattern

app_name = "support_api"

urlpatterns: list[URLPattern] = []
