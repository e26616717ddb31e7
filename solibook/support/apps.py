"""The support desk: tickets from clients and salons, threads, SLA timers, canned replies, live chat."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "solibook.support"
    label = "support"
    verbose_name = _("Support")
