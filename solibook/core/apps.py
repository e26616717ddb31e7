from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "solibook.core"
    label = "core"

    def ready(self):
        from django.urls import register_converter

        from solibook.core import locking  # noqa: F401 - bounds lock waits on every connection
        from solibook.core.ids import IdConverter

        register_converter(IdConverter, "id")  # <id:..._id> in every urls.py
