"""API keys with scopes and rate limits, signed webhooks with their delivery log, the developer page."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopersConfig(AppConfig):
    name = "solibook.developers"
    label = "developers"
    verbose_name = _("Developers")

    def ready(self) -> None:
        # Receivers (other areas' events) and the API key's schema extension.
        from solibook.developers import auth, receivers  # noqa: F401
