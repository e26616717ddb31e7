from django.urls import URLPattern

app_name = "developers_api"

urlpatterns: list[URLPattern] = []
