"""Reactions to other areas' signals."""

from solibook.catalog.signals import business_created
from solibook.notifications.models import SalonNotificationSettings


def on_business_created(sender, business, **kwargs) -> None:
    """Its notification settings are created with the business (empty: the defaults)."""
    SalonNotificationSettings.objects.get_or_create(business=business)


def connect() -> None:
    business_created.connect(on_business_created, dispatch_uid="notifications-settings")
