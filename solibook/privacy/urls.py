from django.urls import path

from solibook.privacy.views import client

app_name = "privacy"

urlpatterns = [
    path("privacy/export/", client.export, name="export"),
    path("privacy/erase/", client.erase, name="erase"),
    path("me/export.json", client.export_json, name="export_json"),
]
