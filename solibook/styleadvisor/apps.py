from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StyleadvisorConfig(AppConfig):
    name = "solibook.styleadvisor"
    label = "styleadvisor"
    verbose_name = _("Style advisor")
