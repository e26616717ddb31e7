from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "solibook.notifications"
    label = "notifications"
