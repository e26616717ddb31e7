from django.urls import URLPattern

app_name = "developers"

urlpatterns: list[URLPattern] = []
