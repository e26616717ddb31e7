from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "solibook.core"
    label = "core"

    def ready(self):
        from solibook.core import locking  # noqa: F401 - bounds lock waits on every connection
