"""A salon's `Catalogue` for understanding: every active service with its names in the four
languages (its own name and its variants' names, its category's names and the category's
synonyms from the platform taxonomy), and every active master by display name and first name.
"""

from __future__ import annotations

from collections.abc import Iterable

from django_scopes import scope

from solibook.assistant.understanding import Catalogue, CatalogueEntry
from solibook.catalog.models import Master, Service
from solibook.catalog.taxonomy import CATEGORIES, category_terms

_TAXONOMY = {row[0]: row[2:] for row in CATEGORIES}  # slug → (en, fr, ru, ar)


def service_names(
    *, name: str, category_slug: str, variants: Iterable[str] = (), category_names=None
) -> tuple[str, ...]:
    """A service's names for matching: its own, its variants', its category's in the four
    languages (`category_names`, else the taxonomy's) and the category's synonyms."""
    names = [name, *variants, *(category_names or _TAXONOMY.get(category_slug, ()))]
    for words in category_terms(category_slug).values():
        names += words
    return tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def master_names(display_name: str) -> tuple[str, ...]:
    full = display_name.strip()
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
            services=tuple(
                CatalogueEntry(
                    id=s.pk,
                    names=service_names(
                        name=s.name,
                        category_slug=s.category.slug,
                        variants=[v.name for v in s.variants.all()],
                        category_names=(
                            s.category.name_en,
                            s.category.name_fr,
                            s.category.name_ru,
                            s.category.name_ar,
                        ),
                    ),
                )
                for s in services
            ),
            masters=tuple(
                CatalogueEntry(id=m.pk, names=master_names(m.display_name)) for m in masters
            ),
        )
