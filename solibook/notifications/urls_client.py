"""The client's pages: included under /<lang>/notifications/ by config/urls.py."""

from django.urls import path

from solibook.notifications import views_client

app_name = "notifications_client"

urlpatterns = [
    path("preferences/", views_client.preferences, name="preferences"),
]
