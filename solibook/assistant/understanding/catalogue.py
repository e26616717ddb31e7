"""A salon's `Catalogue` for understanding: every active service with its names in the four
languages (its own name and its variants' names, its category's names and the category's
synonyms from the platform taxonomy), and every active master by display name and first name.
"""

from __future__ import annotations

from django_scopes import scope

from solibook.assistant.understanding import Catalogue, CatalogueEntry
from solibook.catalog.models import Master, Service
from solibook.catalog.taxonomy import category_terms


def _service_names(service: Service) -> tuple[str, ...]:
    category = service.category
    names = [service.name, *(v.name for v in service.variants.all())]
    names += [category.name_en, category.name_fr, category.name_ru, category.name_ar]
    for words in category_terms(category.slug).values():
        names += words
    return tuple(dict.fromkeys(n for n in names if n))


def _master_names(master: Master) -> tuple[str, ...]:
    full = master.display_name.strip()
    first = full.split()[0] if full else ""
    return tuple(dict.fromkeys(n for n in (full, first) if n))


def catalogue_for(*, business) -> Catalogue:
    """The catalogue of `business` (active services bookable online, active masters)."""
    with scope(business=business):
        services = (
            Service.objects.filter(business=business, is_active=True, bookable_online=True)
            .select_related("category")
            .prefetch_related("variants")
            .order_by("position", "id")
        )
        masters = Master.objects.filter(business=business, is_active=True).order_by(
            "position", "id"
        )
        return Catalogue(
            services=tuple(CatalogueEntry(id=s.pk, names=_service_names(s)) for s in services),
            masters=tuple(CatalogueEntry(id=m.pk, names=_master_names(m)) for m in masters),
        )
