from django.urls import path

from solibook.privacy import views

app_name = "privacy"

urlpatterns = [
    path("export/", views.export, name="export"),
    path("erase/", views.erase, name="erase"),
]
