from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorporateConfig(AppConfig):
    name = "solibook.corporate"
    label = "corporate"
    verbose_name = _("Corporate wellness")

    def ready(self) -> None:
        from solibook.corporate import receivers, tenders  # noqa: F401 - finance hooks
