"""The virtual consultant: a chat that answers and books, on the site and in messengers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "solibook.assistant"
    label = "assistant"
    verbose_name = _("Virtual consultant")
