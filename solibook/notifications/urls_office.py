"""Back-office pages: included under /<lang>/office/ by config/urls.py."""

from django.urls import path

from solibook.notifications import views_office

app_name = "notifications_office"

urlpatterns = [
    path(
        "<slug:business_slug>/notifications/", views_office.notification_settings, name="settings"
    ),
    path(
        "<slug:business_slug>/notifications/templates/",
        views_office.template_list,
        name="templates",
    ),
    path(
        "<slug:business_slug>/notifications/templates/edit/",
        views_office.template_edit,
        name="template_edit",
    ),
    path(
        "<slug:business_slug>/notifications/templates/preview/",
        views_office.template_preview,
        name="template_preview",
    ),
]
