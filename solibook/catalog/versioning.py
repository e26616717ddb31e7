"""The catalogue's version: what lets availability cache the catalogue safely.

Availability reads services, steps, masters, resources, shifts and opening
hours on every request; they change rarely. `booking.selectors` keeps a
per-process snapshot keyed by `Business.catalog_version`, which is read
fresh from the database on every request, and every change to those rows
increments it in the same transaction as the change:
- saves and deletes of the watched models through these signal receivers
  (this is cache invalidation, not business logic, so that no write path,
  the admin included, can forget it);
- bulk writes, which send no signals, call `catalog_changed` themselves.
"""

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from solibook.catalog import models as catalog

WATCHED = (
    catalog.Location,
    catalog.OpeningHours,
    catalog.ResourceType,
    catalog.Resource,
    catalog.Service,
    catalog.ServiceResourceType,
    catalog.ServiceVariant,
    catalog.ServiceStep,
    catalog.Master,
    catalog.MasterLocation,
    catalog.MasterService,
    catalog.WeeklyShift,
    catalog.ShiftBreak,
    catalog.DateOverride,
    catalog.LocationClosure,
)


def catalog_changed(business_id: int) -> None:
    catalog.Business.objects.filter(pk=business_id).update(catalog_version=F("catalog_version") + 1)


def _bump(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # fixtures loading
    catalog_changed(instance.business_id)


for model in WATCHED:
    post_save.connect(_bump, sender=model, dispatch_uid=f"catalog-version-save-{model.__name__}")
    post_delete.connect(
        _bump, sender=model, dispatch_uid=f"catalog-version-delete-{model.__name__}"
    )


@receiver(m2m_changed, dispatch_uid="catalog-version-m2m")
def _bump_m2m(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, catalog.Service | catalog.Master):
        catalog_changed(instance.business_id)
