"""The signed-in user's personal data: export and erasure."""

from django.urls import path

from solibook.privacy.api import views

app_name = "privacy_api"

urlpatterns = [
    path("me/data/", views.MyDataApi.as_view(), name="my_data"),
    path("me/erase/", views.EraseMeApi.as_view(), name="erase_me"),
    path("me/export/", views.ClientExportApi.as_view(), name="export"),
]
