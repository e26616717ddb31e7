from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "solibook.billing"
    label = "billing"
