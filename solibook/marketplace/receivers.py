"""How the marketplace follows the booking engine and the catalogue.

- A booking change rewrites the free time of the days it touched, in the
  booking's own transaction (a search right after the commit sees it).
- A catalogue, schedule or time-off change schedules one rebuild of the
  business's listings and coming days after commit (a task: a schedule
  change may touch weeks of days for every master).
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment
from solibook.booking.signals import appointment_changed
from solibook.catalog import models as catalog
from solibook.catalog.versioning import WATCHED
from solibook.marketplace.index import appointment_days, free_time_refresh
from solibook.marketplace.models import SalonListing
from solibook.marketplace.tasks import refresh_business

FOLLOWED = (*WATCHED, catalog.TimeOff, catalog.LocationPhoto)


def on_appointment_changed(
    sender, appointment: Appointment, kind: str, data: dict, **kwargs
) -> None:
    with scopes_disabled():
        if not SalonListing.objects.filter(location_id=appointment.location_id).exists():
            return
        # The booking usually carries its location with the business loaded
        # (placing reads them so); read them only when it does not.
        if not _loaded_with_business(appointment):
            appointment.location = catalog.Location.objects.select_related("business").get(
                pk=appointment.location_id
            )
        free_time_refresh(appointment.location, appointment_days(appointment, data, kind))


def _loaded_with_business(appointment: Appointment) -> bool:
    fields = Appointment._meta.get_field("location")
    if not fields.is_cached(appointment):
        return False
    return catalog.Location._meta.get_field("business").is_cached(appointment.location)


def schedule_business_refresh(business_id: int) -> None:
    """Once per transaction and business, after commit."""
    connection = transaction.get_connection()
    if any(
        getattr(entry[1], "marketplace_business", None) == business_id
        for entry in connection.run_on_commit
    ):
        return

    def run() -> None:
        refresh_business.enqueue(business_id=business_id)

    run.marketplace_business = business_id
    transaction.on_commit(run)


def _catalogue_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    schedule_business_refresh(
        instance.pk if isinstance(instance, catalog.Business) else instance.business_id
    )


def _m2m_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, catalog.Service | catalog.Master):
        schedule_business_refresh(instance.business_id)


def connect() -> None:
    appointment_changed.connect(
        on_appointment_changed, sender=Appointment, dispatch_uid="marketplace-free-time"
    )
    for model in (*FOLLOWED, catalog.Business):
        post_save.connect(
            _catalogue_changed, sender=model, dispatch_uid=f"marketplace-save-{model.__name__}"
        )
        post_delete.connect(
            _catalogue_changed, sender=model, dispatch_uid=f"marketplace-delete-{model.__name__}"
        )
    m2m_changed.connect(_m2m_changed, dispatch_uid="marketplace-m2m")
