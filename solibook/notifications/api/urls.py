"""Notifications API routes."""

from django.urls import path

from solibook.notifications.api import views as notifications

app_name = "notifications_api"

B = "businesses/<id:business_id>/"

urlpatterns = [
    path(
        f"{B}notification-settings/",
        notifications.SalonSettingsApi.as_view(),
        name="salon_settings",
    ),
    path(
        f"{B}message-templates/",
        notifications.MessageTemplateListApi.as_view(),
        name="message_templates",
    ),
    path(
        f"{B}message-templates/preview/",
        notifications.MessageTemplatePreviewApi.as_view(),
        name="message_template_preview",
    ),
    path(
        f"{B}notifications/", notifications.NotificationListApi.as_view(), name="notification_list"
    ),
    path(
        "me/notification-preferences/", notifications.PreferencesApi.as_view(), name="preferences"
    ),
    path("push/key/", notifications.PushKeyApi.as_view(), name="push_key"),
    path(
        "me/push-subscriptions/",
        notifications.PushSubscriptionApi.as_view(),
        name="push_subscriptions",
    ),
]
