from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "solibook.privacy"
    label = "privacy"
