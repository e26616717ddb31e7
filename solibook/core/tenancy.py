"""Tenant scoping that the ORM enforces.

A `Business` is the tenant. Every model that belongs to one inherits
`TenantModel`: it carries the `business` key, and its default manager refuses
to run a query unless a business scope is active (django-scopes, as pretix
does). A forgotten filter therefore raises `ScopeError` instead of leaking
another salon's rows.

- Back-office pages and API views open the scope for the business in the URL
  after checking membership (`solibook.accounts.access`).
- Marketplace selectors that legitimately read across salons say so with
  `scopes_disabled()`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar, Self

from django.db import models
from django_scopes import ScopedManager, scope, scopes_disabled

__all__ = ["TenantModel", "business_scope", "scopes_disabled"]


class TenantModel(models.Model):
    business = models.ForeignKey(
        "catalog.Business", on_delete=models.CASCADE, related_name="+", db_index=True
    )

    objects: ClassVar[models.Manager[Self]] = ScopedManager(business="business")

    class Meta:
        abstract = True


@contextmanager
def business_scope(business) -> Iterator[None]:
    """Run the block with every tenant query limited to `business`."""
    with scope(business=business):
        yield
