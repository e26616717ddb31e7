"""Two-way calendar sync per master (CalDAV, Google Calendar) and the client's own calendar feed."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarSyncConfig(AppConfig):
    name = "solibook.calendarsync"
    label = "calendarsync"
    verbose_name = _("Calendar sync")

    def ready(self) -> None:
        from solibook.calendarsync import receivers

        receivers.connect()
