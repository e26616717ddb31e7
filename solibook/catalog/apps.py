from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "solibook.catalog"
    label = "catalog"

    def ready(self) -> None:
        from solibook.catalog import versioning  # noqa: F401 - connects the version receivers
