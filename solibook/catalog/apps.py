from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "solibook.catalog"
    label = "catalog"
