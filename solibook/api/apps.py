from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "solibook.api"
    label = "api"
