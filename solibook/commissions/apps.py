from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionsConfig(AppConfig):
    name = "solibook.commissions"
    label = "commissions"
    verbose_name = _("Commissions and promotion")

    def ready(self) -> None:
        from solibook.commissions import receivers  # noqa: F401 - finance and booking hooks
