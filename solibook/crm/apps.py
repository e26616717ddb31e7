from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "solibook.crm"
    label = "crm"
