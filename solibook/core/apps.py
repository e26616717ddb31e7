from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "solibook.core"
    label = "core"
