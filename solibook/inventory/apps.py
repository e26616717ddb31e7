from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "solibook.inventory"
    label = "inventory"
    verbose_name = _("Stock")

    def ready(self) -> None:
        from solibook.inventory import receivers  # noqa: F401 - booking and finance hooks
