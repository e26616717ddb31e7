from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "solibook.notifications"
    label = "notifications"

    def ready(self) -> None:
        from solibook.notifications import receivers

        receivers.connect()
