from django.urls import URLPattern

app_name = "compliance_api"

urlpatterns: list[URLPattern] = []
