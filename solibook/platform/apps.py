from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "solibook.platform"
    label = "platform"
