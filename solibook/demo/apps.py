from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "solibook.demo"
    label = "demo"
