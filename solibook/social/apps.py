"""Social publishing: posts to the salon's social profiles, tracked links and their effect."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialConfig(AppConfig):
    name = "solibook.social"
    label = "social"
    verbose_name = _("Social publishing")

    def ready(self) -> None:
        from solibook.social import receivers

        receivers.connect()
