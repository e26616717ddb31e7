from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "solibook.finance"
    label = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from solibook.finance import receivers, tenders  # noqa: F401 - registers the built-in tenders

        receivers.connect()
