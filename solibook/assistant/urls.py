from django.urls import URLPattern

app_name = "assistant"

urlpatterns: list[URLPattern] = []
